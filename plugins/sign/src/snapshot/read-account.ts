import type { Logger } from '@ust-sync/api'
import type { ReadCache } from '../cache/read-cache.js'
import type { SignApi, SignGroupInfo, SignUserInfo } from '../sign-api.js'
import { type AccountUser, accountUserOf, inPool } from './account-user.js'

/** The account as read: users (inactive too, the key owner left out) and groups. */
export interface AccountState {
  users: AccountUser[]
  groups: SignGroupInfo[]
  /** Users whose details were fetched (not taken from the cache). */
  fetched: number
}

/** Whether a cached user still agrees with what the list says about them. */
function stillCurrent(cached: AccountUser | undefined, listed: SignUserInfo): cached is AccountUser {
  return (
    cached !== undefined &&
    cached.email === listed.email &&
    cached.isAccountAdmin === (listed.isAccountAdmin === true) &&
    (cached.firstName ?? '') === (listed.firstName ?? '') &&
    (cached.lastName ?? '') === (listed.lastName ?? '')
  )
}

/**
 * Reads the account: the group list and the user list (cursor-paged), then details and groups of every
 * listed user the cache does not hold, or holds with other list fields (new, renamed, admin changed);
 * writes the cache back. Without a cache that is 2 requests per user, as the API requires; with one, only
 * the changed users. The key owner (`admin_email`) is never read nor returned, as in UST.
 */
export async function readAccount(
  api: SignApi,
  cache: ReadCache | undefined,
  adminEmail: string,
  concurrency: number,
  logger: Logger,
  now: number,
): Promise<AccountState> {
  const [groups, listed] = await Promise.all([api.listGroups(), api.listUsers()])
  const cached = cache ? await cache.load() : new Map<string, AccountUser>()
  const admin = adminEmail.toLowerCase()
  const wanted = listed.filter((u) => u.email.toLowerCase() !== admin)
  const stale = wanted.filter((u) => !stillCurrent(cached.get(u.id), u))
  const fresh = await inPool(stale, concurrency, async (u) =>
    accountUserOf(await api.user(u.id), await api.userGroups(u.id)),
  )
  const byId = new Map(fresh.map((u) => [u.id, u]))
  const users = wanted.map((u) => byId.get(u.id) ?? (cached.get(u.id) as AccountUser))
  if (cache) {
    const reused = wanted.length - stale.length
    if (reused > 0) logger.info(`Sign account read: ${reused} users from the cache, ${stale.length} read from Sign`)
    await cache.save(users, reused > 0 ? ((await cache.savedAt()) ?? now) : now)
  }
  return { users, groups, fetched: stale.length }
}
