import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import type { Logger } from '@ust-sync/api'
import type { SyncOptions } from '../sync/options.types.js'

/**
 * The number of directory users selected at the last successful run of a config with the same selection
 * (`--connector`, `--users`, `--user-filter`), kept in the data dir: what the directory-drop guard compares
 * a new read with. Stored in `<dataDir>/state/<config name>-<hash>.json`.
 */
export class DirectoryHistory {
  readonly path: string

  constructor(configFile: string, options: SyncOptions, dataDir: string) {
    const absolute = resolve(configFile)
    const selection = JSON.stringify({
      config: absolute,
      connector: options.connector,
      users: options.users,
      userFilter: options.userFilter?.source ?? null,
    })
    const hash = createHash('sha256').update(selection).digest('hex').slice(0, 16)
    this.path = join(dataDir, 'state', `${basename(absolute)}-${hash}.json`)
  }

  /** The count of the last successful read, or undefined (first run, or the state is unreadable). */
  async lastSelected(): Promise<number | undefined> {
    try {
      const state = JSON.parse(await readFile(this.path, 'utf8')) as { directoryUsersSelected?: unknown }
      const count = state.directoryUsersSelected
      return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined
    } catch {
      return undefined
    }
  }

  /** Records a successful read; a failure to write is a warning (the run itself succeeded). */
  async record(directoryUsersSelected: number, now: number, logger: Logger): Promise<void> {
    const temporary = `${this.path}.${process.pid}.tmp`
    try {
      await mkdir(join(this.path, '..'), { recursive: true })
      const state = { directoryUsersSelected, at: new Date(now).toISOString() }
      await writeFile(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 })
      await rename(temporary, this.path)
    } catch (error) {
      logger.warn(
        `Could not record the directory size in ${this.path} (${(error as NodeJS.ErrnoException).code ?? error}); the next run cannot detect a sudden drop`,
      )
    }
  }
}
