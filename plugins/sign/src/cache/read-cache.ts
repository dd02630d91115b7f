import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AccountUser } from '../snapshot/account-user.js'

/** How long cached user details are used for reads (UST's 24 hours). */
export const CACHE_TTL_MS = 24 * 60 * 60 * 1000
const VERSION = 1

interface CacheFile {
  version: number
  /** The account it belongs to (entry host and admin email), to refuse another account's file. */
  account: string
  savedAt: number
  users: AccountUser[]
}

/**
 * The read cache of one Sign account: user details and primary memberships (what `GET /users/{id}` and
 * `GET /users/{id}/groups` return), so a run within 24 hours reads only the user list and the users that
 * are new or changed in it. A file of personal data: written 0600 in a 0700 directory, atomically. It
 * serves reads only: every write is checked against the live user first. A run that fails or leaves
 * anything unconfirmed deletes it.
 */
export class ReadCache {
  readonly file: string

  constructor(
    dir: string,
    private readonly account: string,
    private readonly now: () => number,
  ) {
    this.file = join(dir, `${createHash('sha256').update(account).digest('hex').slice(0, 16)}.json`)
  }

  /** Cached users by id, or an empty map when there is no fresh cache for this account. */
  async load(): Promise<Map<string, AccountUser>> {
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as CacheFile
      if (data.version !== VERSION || data.account !== this.account || !Array.isArray(data.users)) return new Map()
      const age = this.now() - data.savedAt
      if (!(age >= 0 && age < CACHE_TTL_MS)) return new Map()
      return new Map(data.users.map((u) => [u.id, u]))
    } catch {
      return new Map()
    }
  }

  /** Replaces the cache with `users`; `savedAt` is kept when only some users were re-read. */
  async save(users: readonly AccountUser[], savedAt: number): Promise<void> {
    const dir = join(this.file, '..')
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const data: CacheFile = { version: VERSION, account: this.account, savedAt, users: [...users] }
    const temp = `${this.file}.${process.pid}.tmp`
    const text = JSON.stringify(data)
    // Created exclusively (O_EXCL): a file or symbolic link already at the temporary name (a crashed run's,
    // or one planted to redirect the write) is removed, never written through.
    await writeFile(temp, text, { mode: 0o600, flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
      await unlink(temp)
      await writeFile(temp, text, { mode: 0o600, flag: 'wx' })
    })
    await rename(temp, this.file)
  }

  /** When the cache on disk was filled (its users' age), or undefined. */
  async savedAt(): Promise<number | undefined> {
    try {
      return (JSON.parse(await readFile(this.file, 'utf8')) as CacheFile).savedAt
    } catch {
      return undefined
    }
  }

  /** Deletes the cache (a failed or partial run: the next reads everything again). */
  async invalidate(): Promise<void> {
    await rm(this.file, { force: true })
  }
}
