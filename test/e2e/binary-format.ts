import { open } from 'node:fs/promises'

/** Executable format and CPU of a binary, read from its header. */
export interface BinaryFormat {
  format: 'PE' | 'Mach-O' | 'ELF' | 'unknown'
  arch: 'x64' | 'arm64' | 'other'
}

type Arch = BinaryFormat['arch']
/** IMAGE_FILE_MACHINE_AMD64 / _ARM64. */
const PE_MACHINES = new Map<number, Arch>([
  [0x8664, 'x64'],
  [0xaa64, 'arm64'],
])
/** CPU_TYPE_X86_64 / CPU_TYPE_ARM64. */
const MACHO_CPUS = new Map<number, Arch>([
  [0x01000007, 'x64'],
  [0x0100000c, 'arm64'],
])
/** EM_X86_64 / EM_AARCH64. */
const ELF_MACHINES = new Map<number, Arch>([
  [0x3e, 'x64'],
  [0xb7, 'arm64'],
])

/** Reads the header of `file`: a Windows PE (node.exe, a .node addon DLL), a 64-bit Mach-O or an ELF. */
export async function binaryFormat(file: string): Promise<BinaryFormat> {
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(4096)
    await handle.read(head, 0, head.length, 0)
    if (head.toString('latin1', 0, 2) === 'MZ') {
      const pe = head.readUInt32LE(0x3c)
      const peHead = Buffer.alloc(6)
      await handle.read(peHead, 0, 6, pe)
      if (peHead.toString('latin1', 0, 4) !== 'PE\0\0') return { format: 'unknown', arch: 'other' }
      return { format: 'PE', arch: PE_MACHINES.get(peHead.readUInt16LE(4)) ?? 'other' }
    }
    if (head.readUInt32LE(0) === 0xfeedfacf)
      return { format: 'Mach-O', arch: MACHO_CPUS.get(head.readUInt32LE(4)) ?? 'other' }
    if (head.toString('latin1', 0, 4) === '\x7fELF')
      return { format: 'ELF', arch: ELF_MACHINES.get(head.readUInt16LE(0x12)) ?? 'other' }
    return { format: 'unknown', arch: 'other' }
  } finally {
    await handle.close()
  }
}
