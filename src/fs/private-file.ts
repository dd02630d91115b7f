import { randomBytes } from 'node:crypto'
import { closeSync, constants, fchmodSync, fstatSync, openSync } from 'node:fs'
import { access, lstat, open, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ConfigError } from '@ust-sync/api'
import { restrictToOwner } from './windows-acl.js'

/**
 * Mode of every file ust creates that may hold names, emails or secrets: owner read/write only (on Windows,
 * where modes mean nothing, an ACL for the owner alone: windows-acl.ts).
 */
export const PRIVATE_MODE = 0o600

/**
 * Checks, before any work is done, that `path` can receive an output file: its directory exists and is
 * writable, and the path is either new or a regular file. A symbolic link, FIFO, device or directory is
 * refused ({@link ConfigError}, exit 2), so a long read never ends in "cannot write" and no file is written
 * through a link planted in its place. `what` names the output in the message (e.g. `--plan-out`).
 */
export async function checkOutputPath(path: string, what: string): Promise<void> {
  const refuse = (problem: string, suggestion: string) =>
    new ConfigError(`${what} ${path}: ${problem}`, { code: 'config.output-path', suggestions: [suggestion] })
  const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw refuse(`cannot be checked (${error.code})`, 'Give a path in a directory ust can read and write')
  })
  if (existing?.isSymbolicLink())
    throw refuse('is a symbolic link; ust does not write through links', 'Give the path of a new or regular file')
  if (existing && !existing.isFile())
    throw refuse('exists and is not a regular file', 'Give the path of a new or regular file')
  const directory = dirname(path)
  const folder = await stat(directory).catch(() => undefined)
  if (!folder?.isDirectory())
    throw refuse(`its directory ${directory} does not exist`, 'Create the directory first, or give another path')
  await access(directory, constants.W_OK).catch(() => {
    throw refuse(
      `its directory ${directory} is not writable`,
      'Give a path in a directory the user running ust can write',
    )
  })
}

/** A private file being written: chunks go to a temporary file that {@link commit} moves into place. */
export interface PrivateOutput {
  write(chunk: string | Uint8Array): Promise<void>
  /** Flushes and renames the file into place (atomically replacing a regular file there). */
  commit(): Promise<void>
  /** Removes the temporary file; the path is left as it was. */
  abort(): Promise<void>
}

/**
 * Opens `path` for writing as a 0600 file, whatever the umask: a temporary file in the same directory is
 * created exclusively (`O_EXCL | O_NOFOLLOW`: never an existing file, never through a link), written, and
 * renamed over `path` on commit. A crash leaves the old file or the new one, never half of one.
 */
export async function openPrivateOutput(path: string, what: string, mode = PRIVATE_MODE): Promise<PrivateOutput> {
  await checkOutputPath(path, what)
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
  const handle: FileHandle = await open(temp, flags, PRIVATE_MODE)
  let isOpen = true
  const close = async () => {
    if (isOpen) {
      isOpen = false
      await handle.close()
    }
  }
  try {
    await handle.chmod(mode)
    if (mode === PRIVATE_MODE) restrictToOwner(temp)
  } catch (error) {
    await close()
    await rm(temp, { force: true })
    throw error
  }
  return {
    write: async (chunk) => {
      await (typeof chunk === 'string' ? handle.write(chunk) : handle.write(chunk))
    },
    commit: async () => {
      try {
        await handle.sync()
        await close()
        await checkOutputPath(path, what)
        await rename(temp, path)
      } catch (error) {
        await close().catch(() => {})
        await rm(temp, { force: true })
        throw error
      }
    },
    abort: async () => {
      await close().catch(() => {})
      await rm(temp, { force: true })
    },
  }
}

/** Writes `data` to `path` as a private file in one go ({@link openPrivateOutput}). */
export async function writePrivateFile(path: string, data: string | Uint8Array, what = 'the file'): Promise<void> {
  const output = await openPrivateOutput(path, what)
  try {
    await output.write(data)
  } catch (error) {
    await output.abort()
    throw error
  }
  await output.commit()
}

/**
 * Opens `path` for appending (a log file) as 0600, creating it or tightening an existing file, and returns
 * the descriptor: lines are written to that descriptor, so a link planted later is never followed. A
 * symbolic link or anything but a regular file at `path` is refused (`O_NOFOLLOW`, checked on the
 * descriptor; `O_NONBLOCK` so that a FIFO cannot block the open).
 */
export function openPrivateAppendSync(path: string): number {
  const flags =
    constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK
  let fd: number
  try {
    fd = openSync(path, flags, PRIVATE_MODE)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new Error('it is a symbolic link; ust does not write through links')
    throw error
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd)
    throw new Error('it exists and is not a regular file')
  }
  try {
    fchmodSync(fd, PRIVATE_MODE)
    restrictToOwner(path)
  } catch (error) {
    closeSync(fd)
    throw error
  }
  return fd
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
    if (mode === PRIVATE_MODE) restrictToOwner(temp)
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
