import { randomBytes } from 'node:crypto'
import { closeSync, fchmodSync, openSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'

/** Mode of every file ust creates that may hold names, emails or secrets: owner read/write only. */
export const PRIVATE_MODE = 0o600

/**
 * Writes `data` to `path` readable by its owner only (0600), whatever the umask: the file is created
 * 0600 and chmod'ed explicitly before anything is written (an existing file is tightened too).
 */
export async function writePrivateFile(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w', PRIVATE_MODE)
  try {
    await handle.chmod(PRIVATE_MODE)
    await handle.writeFile(data)
  } finally {
    await handle.close()
  }
}

/** Creates `path` (or tightens an existing file) as 0600 before lines are appended to it, e.g. a log file. */
export function ensurePrivateFileSync(path: string): void {
  const fd = openSync(path, 'a', PRIVATE_MODE)
  try {
    fchmodSync(fd, PRIVATE_MODE)
  } finally {
    closeSync(fd)
  }
}

/**
 * Replaces `path` atomically with `data` and the permission bits `mode` (a temp file in the same
 * directory, flushed, renamed over it): a crash leaves the old file or the new one, never half of one.
 */
export async function replaceFileAtomic(path: string, data: string | Uint8Array, mode = PRIVATE_MODE): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const handle = await open(temp, 'wx', PRIVATE_MODE)
  try {
    await handle.chmod(mode)
    await handle.writeFile(data)
    await handle.sync()
    await handle.close()
    await rename(temp, path)
  } catch (error) {
    await handle.close().catch(() => {})
    await rm(temp, { force: true })
    throw error
  }
}
