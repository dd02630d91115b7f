import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'

/**
 * Reads a small file a setting names (a certificate, a key), refusing what is not a regular file or is
 * larger than `maxBytes`: a FIFO, `/dev/zero` or a directory would block or never end. Opened
 * non-blocking and checked on the descriptor, so the check and the read concern the same file. Throws
 * an `Error` whose `code` is the errno, `ENOTREG` or `EFBIG`.
 */
export function readRegularFileSync(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const info = fstatSync(fd)
    if (!info.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG' })
    if (info.size > maxBytes)
      throw Object.assign(new Error(`${path} is larger than ${maxBytes} bytes`), { code: 'EFBIG' })
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  ENOTREG: 'not a regular file',
  EFBIG: 'too large for this setting',
  EISDIR: 'a directory',
}

/** Why {@link readRegularFileSync} failed, in words (never the file's content). */
export function unreadableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  return (code && REASONS[code]) ?? code ?? String(error)
}
