import { readFile, stat } from 'node:fs/promises'
import { ConfigError } from '@ust-sync/api'

/**
 * Reads a data file named on the command line (`--plan`, `--adobe-only-user-list`) as UTF-8 text. Only a
 * regular file is read: a FIFO or a device would block the run (or never end), so it is a
 * {@link ConfigError}, as is a file that cannot be read. Error messages name the file, never its content.
 */
export async function readDataFile(path: string, what: string, suggestion: string): Promise<string> {
  try {
    const info = await stat(path)
    if (!info.isFile())
      throw new ConfigError(`${what} ${path} is not a regular file`, {
        code: 'config.not-a-file',
        suggestions: [suggestion],
      })
    return await readFile(path, 'utf8')
  } catch (error) {
    if (error instanceof ConfigError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable')
    throw new ConfigError(`Cannot read ${what} ${path}: ${reason}`, {
      code: 'config.unreadable-file',
      suggestions: [suggestion],
    })
  }
}
