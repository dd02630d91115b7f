import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '@ust-sync/api'
import type { SyncOptions } from '../sync/options.types.js'

/**
 * What a baseline belongs to: the directory read (the source's identity: connector kind and what it
 * reads, e.g. `ldap:ldaps://dc1:636/dc=example,dc=com`), the orgs it protects (each target's identity:
 * `umapi:<org id>`, `sandbox:<org file real path>`) and the selection (`--connector`, `--users`,
 * `--user-filter`). Never the config file's path: the same config copied elsewhere finds the same baseline,
 * and another config against the same org and directory too.
 */
export interface BaselineKey {
  source: string
  /** `name=identity` of each target, primary first. */
  targets: string[]
}

/**
 * The number of directory users selected at the last successful run against the same directory, orgs and
 * selection, kept in the data dir: what the directory-drop guard compares a new read with. Stored in
 * `<dataDir>/state/directory-<hash of the key>.json`, with the key in clear (identities hold no secrets).
 */
export class DirectoryHistory {
  readonly path: string
  private readonly key: Record<string, unknown>

  constructor(key: BaselineKey, options: SyncOptions, dataDir: string) {
    this.key = {
      source: key.source,
      targets: key.targets,
      connector: options.connector.id,
      users: options.users,
      userFilter: options.userFilter?.source ?? null,
    }
    const hash = createHash('sha256').update(JSON.stringify(this.key)).digest('hex').slice(0, 16)
    this.path = join(dataDir, 'state', `directory-${hash}.json`)
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
      const state = { directoryUsersSelected, at: new Date(now).toISOString(), key: this.key }
      await writeFile(temporary, `${JSON.stringify(state)}\n`, { mode: 0o600 })
      await rename(temporary, this.path)
    } catch (error) {
      logger.warn(
        `Could not record the directory size in ${this.path} (${(error as NodeJS.ErrnoException).code ?? error}); the next run cannot detect a sudden drop`,
      )
    }
  }
}

/** A connector's identity when it declares one; else its plugin id and a digest of its non-secret settings. */
export function connectorIdentity(
  connector: { identity?(): string } | undefined,
  pluginId: string,
  file: { values: Record<string, unknown>; secrets: Array<{ key: string }> } | undefined,
): string {
  const declared = connector?.identity?.()
  if (declared) return declared
  const secret = new Set(file?.secrets.map((s) => s.key) ?? [])
  const settings = Object.entries(flatten(file?.values ?? {})).filter(([key]) => !secret.has(key))
  const digest = createHash('sha256').update(JSON.stringify(settings.sort())).digest('hex').slice(0, 16)
  return `${pluginId}:settings-${digest}`
}

/** `{a: {b: 1}}` → `{'a.b': 1}` (the dotted paths secret references use). */
function flatten(values: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const flat: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(values)) {
    const path = `${prefix}${key}`
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      Object.assign(flat, flatten(value as Record<string, unknown>, `${path}.`))
    else flat[path] = value
  }
  return flat
}
