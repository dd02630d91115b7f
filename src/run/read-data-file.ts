import { readFile, stat, statfs } from 'node:fs/promises'
import { ConfigError } from '@ust-sync/api'

/** statfs magic numbers of Linux pseudo file systems (proc, sysfs, debugfs, securityfs, cgroup, cgroup2). */
const PSEUDO_FILE_SYSTEMS = new Set([0x9fa0, 0x62656572, 0x64626720, 0x73636673, 0x27e0eb, 0x63677270])

/**
 * Checks that a data file named on the command line (`--plan`, `--adobe-only-user-list`) is a regular
 * file that can be read: a FIFO or a device would block the run (or never end) and a /proc or /sys file
 * is no data file, so each is a {@link ConfigError}, as is a file that cannot be read. Error messages
 * name the file, never its content.
 */
export async function checkDataFile(path: string, what: string, suggestion: string): Promise<void> {
  try {
    const info = await stat(path)
    if (!info.isFile() || PSEUDO_FILE_SYSTEMS.has((await statfs(path)).type))
      throw new ConfigError(`${what} ${path} is not a regular file`, {
        code: 'config.not-a-file',
        suggestions: [suggestion],
      })
  } catch (error) {
    throw asConfigError(error, path, what, suggestion)
  }
}

/** Reads a data file ({@link checkDataFile}) as UTF-8 text. */
export async function readDataFile(path: string, what: string, suggestion: string): Promise<string> {
  await checkDataFile(path, what, suggestion)
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    throw asConfigError(error, path, what, suggestion)
  }
}

function asConfigError(error: unknown, path: string, what: string, suggestion: string): ConfigError {
  if (error instanceof ConfigError) return error
  const code = (error as NodeJS.ErrnoException).code
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable')
  return new ConfigError(`Cannot read ${what} ${path}: ${reason}`, {
    code: 'config.unreadable-file',
    suggestions: [suggestion],
  })
}
