import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { noexecTmp } from '@ust-sync/test-servers'
import { binaryFormat } from './binary-format.js'
import { ROOT } from './run-cli.js'

/**
 * The self-contained builds for the other platforms, made on this Linux machine (`npm run package --
 * --target …`): each archive's layout, and the format and CPU of its Node and of the OS keyring's native
 * addon, read from their headers. They cannot run here; linux-x64 runs in install-package.test.ts.
 */
const TARGETS = [
  {
    name: 'win-x64',
    format: 'PE',
    arch: 'x64',
    node: 'bin/node.exe',
    launcher: 'bin/ust.cmd',
    addon: 'keyring-win32-x64-msvc',
  },
  {
    name: 'darwin-arm64',
    format: 'Mach-O',
    arch: 'arm64',
    node: 'bin/node',
    launcher: 'bin/ust',
    addon: 'keyring-darwin-arm64',
  },
  {
    name: 'darwin-x64',
    format: 'Mach-O',
    arch: 'x64',
    node: 'bin/node',
    launcher: 'bin/ust',
    addon: 'keyring-darwin-x64',
  },
  {
    name: 'linux-arm64',
    format: 'ELF',
    arch: 'arm64',
    node: 'bin/node',
    launcher: 'bin/ust',
    addon: 'keyring-linux-arm64-gnu',
  },
] as const
const tmp = noexecTmp()
let work: string
const unpacked = new Map<string, string>()
const archives: string[] = []

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ust-platforms-'))
  for (const target of TARGETS) {
    const out = execFileSync(process.execPath, ['scripts/package.ts', '--target', target.name, '--no-build'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(tmp.dir ? { TMPDIR: tmp.dir } : {}) },
    })
    const archive = out.trim().split('\n').pop()!
    archives.push(archive)
    expect(archive).toMatch(new RegExp(`-${target.name}\\.tar\\.gz$`))
    const dir = join(work, target.name)
    execFileSync('mkdir', ['-p', dir])
    execFileSync('tar', ['-xzf', archive, '-C', dir])
    unpacked.set(target.name, join(dir, 'ust'))
  }
}, 900_000)
afterAll(async () => {
  await Promise.all(archives.map((a) => rm(a, { force: true })))
  tmp.release?.()
  if (work) await rm(work, { recursive: true, force: true })
})

/** Every native addon (`*.node`) under `dir`, relative to it. */
async function addons(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.node'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
}

describe.each(TARGETS)('the $name build', (target) => {
  const root = () => unpacked.get(target.name)!

  it(`carries Node and the keyring addon built for ${target.format} ${target.arch}, and nothing for another platform`, async () => {
    expect(await binaryFormat(join(root(), target.node))).toEqual({ format: target.format, arch: target.arch })
    const found = await addons(join(root(), 'lib/node_modules'))
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(`@napi-rs/${target.addon}/`)
    expect(await binaryFormat(join(root(), 'lib/node_modules', found[0]!))).toEqual({
      format: target.format,
      arch: target.arch,
    })
    expect((await readFile(join(root(), 'bin/node.LICENSE'), 'utf8')).startsWith('Node.js is licensed')).toBe(true)
  })

  it('has a launcher for its system, the scheduling recipes and the docs', async () => {
    const launcher = await readFile(join(root(), target.launcher), 'utf8')
    if (target.name.startsWith('win')) {
      expect(launcher).toContain('"%~dp0\\node.exe"')
      expect(launcher).toContain('lib\\node_modules\\ust-sync\\bin\\run.js')
      expect(launcher).toMatch(/\r\n$/)
    } else {
      expect(launcher.startsWith('#!/bin/sh\n')).toBe(true)
      expect(statSync(join(root(), target.launcher)).mode & 0o111).not.toBe(0)
      expect(statSync(join(root(), target.node)).mode & 0o111).not.toBe(0)
    }
    for (const file of [
      'lib/node_modules/ust-sync/bin/run.js',
      'lib/node_modules/ust-sync/oclif.manifest.json',
      'scheduling/README.md',
      'scheduling/windows/register-ust-task.ps1',
      'scheduling/windows/run-ust-sync.ps1',
      'scheduling/systemd/ust-sync.service',
      'docs/admin/scheduling.md',
      'docs/admin/install.md',
      'docs/commands.md',
      'README.md',
      'LICENSE',
    ])
      expect(existsSync(join(root(), file)), file).toBe(true)
    const cron = await readFile(join(root(), 'scheduling/cron/ust-sync.cron'), 'utf8')
    // The cron line calls the wrapper where the archive, unpacked into /opt, puts it.
    const wrapper = /\/opt\/ust\/(scheduling\/\S+\.sh)/.exec(cron)?.[1]
    expect(wrapper && existsSync(join(root(), wrapper)), wrapper).toBe(true)
    const readme = await readFile(join(root(), 'README.txt'), 'utf8')
    expect(readme).toContain(target.name.startsWith('win') ? 'register-ust-task.ps1' : 'ln -s /opt/ust/bin/ust')
  })
})
