import type { TargetUser } from '@ust-sync/api'
import type { DesiredUser } from './plan.types.js'
import { userKey } from './user-key.js'

/** Index entry: one user position, or several when the key is shared. */
type Slot = number | number[]

/**
 * A target's users, de-duplicated, indexed by lower-cased email and — only where it differs from the
 * email — by lower-cased username (half the entries for the usual email usernames).
 */
export interface TargetIndex {
  users: TargetUser[]
  byEmail: Map<string, Slot>
  byUsername: Map<string, Slot>
}

function put(map: Map<string, Slot>, key: string, index: number): void {
  const slot = map.get(key)
  if (slot === undefined) map.set(key, index)
  else if (typeof slot === 'number') map.set(key, [slot, index])
  else slot.push(index)
}

function each(slot: Slot | undefined, visit: (index: number) => void): void {
  if (slot === undefined) return
  if (typeof slot === 'number') visit(slot)
  else for (const index of slot) visit(index)
}

/** Same user key (UST de-duplicates users read twice, e.g. through two groups with `--adobe-users`). */
function sameUser(a: TargetUser, b: TargetUser): boolean {
  return (
    userKey(a.identityType, a.username, a.domain, a.email) === userKey(b.identityType, b.username, b.domain, b.email)
  )
}

/** Indexes a snapshot's users; a user read twice (same user key) is kept once, as UST does. */
export function indexTarget(snapshotUsers: readonly TargetUser[]): TargetIndex {
  const users: TargetUser[] = []
  const byEmail = new Map<string, Slot>()
  const byUsername = new Map<string, Slot>()
  for (const user of snapshotUsers) {
    const email = user.email.toLowerCase()
    const index = users.length
    // One look-up per user in the usual case (a new email); duplicates are rare.
    const existing = byEmail.get(email)
    if (existing === undefined) byEmail.set(email, index)
    else {
      let duplicate = false
      each(existing, (i) => (duplicate ||= sameUser(users[i] as TargetUser, user)))
      if (duplicate) continue
      if (typeof existing === 'number') byEmail.set(email, [existing, index])
      else existing.push(index)
    }
    users.push(user)
    const username = user.username === user.email ? email : user.username.toLowerCase()
    if (username !== email) put(byUsername, username, index)
  }
  return { users, byEmail, byUsername }
}

/** Whether `candidate` may match `user` through its username (UST's defect fixed: non-email usernames need the same domain). */
function usernameMatches(user: Pick<DesiredUser, 'username' | 'domain'>, candidate: TargetUser): boolean {
  return user.username.includes('@') || candidate.domain.toLowerCase() === user.domain.toLowerCase()
}

/** Positions of the users of `index` that could be `user`: same email, or same username (same domain for non-email usernames). */
export function candidatesOf(index: TargetIndex, user: Pick<DesiredUser, 'email' | 'username' | 'domain'>): number[] {
  const found: number[] = []
  const email = user.email.toLowerCase()
  const username = user.username.toLowerCase()
  each(index.byEmail.get(email), (i) => found.push(i))
  const byName = (i: number): void => {
    if (!found.includes(i) && usernameMatches(user, index.users[i] as TargetUser)) found.push(i)
  }
  each(index.byUsername.get(username), byName)
  // Target users whose username is their email are indexed by email only.
  if (username !== email)
    each(
      index.byEmail.get(username),
      (i) => (index.users[i] as TargetUser).username.toLowerCase() === username && byName(i),
    )
  return found
}

/** A match and anything worth a warning about it. */
export interface Match {
  index: number
  /** The match is an Adobe ID while the directory user is not (attributes must not be updated). */
  crossAdobeId: boolean
  ambiguous?: string
}

/**
 * Matches a directory user to a target user (UST's matching defect fixed): by email or username case-insensitively,
 * preferring the same identity type, then another non-Adobe-ID type, and an Adobe ID only when the
 * directory user is one or no other candidate exists; a directory Adobe ID matches Adobe IDs only.
 * `taken` marks users already matched.
 */
export function matchUser(index: TargetIndex, user: DesiredUser, taken: Uint8Array): Match | undefined {
  const email = user.email.toLowerCase()
  const single = index.byEmail.get(email)
  // Fast path: one user with this email, of the same type, and no other user by that username.
  if (
    typeof single === 'number' &&
    taken[single] === 0 &&
    (index.users[single] as TargetUser).identityType === user.identityType
  ) {
    const username = user.username.toLowerCase()
    if (username === email ? !index.byUsername.has(username) : false) return { index: single, crossAdobeId: false }
  }
  const candidates = candidatesOf(index, user).filter((i) => taken[i] === 0)
  if (candidates.length === 0) return undefined
  const typeOf = (i: number): string => (index.users[i] as TargetUser).identityType
  // A directory Adobe ID is only ever an Adobe ID: a personal account is not an org's Federated/Enterprise ID.
  const tiers =
    user.identityType === 'adobeID'
      ? [candidates.filter((i) => typeOf(i) === 'adobeID')]
      : [
          candidates.filter((i) => typeOf(i) === user.identityType),
          candidates.filter((i) => typeOf(i) !== user.identityType && typeOf(i) !== 'adobeID'),
          candidates.filter((i) => typeOf(i) === 'adobeID'),
        ]
  const tier = tiers.find((t) => t.length > 0)
  if (!tier) return undefined
  const chosen = tier[0] as number
  const match: Match = { index: chosen, crossAdobeId: typeOf(chosen) === 'adobeID' && user.identityType !== 'adobeID' }
  if (tier.length > 1) {
    const describe = (i: number): string => {
      const t = index.users[i] as TargetUser
      return `${t.identityType} ${t.username}${t.username.includes('@') ? '' : `@${t.domain}`}`
    }
    match.ambiguous = `Directory user ${user.key} matches several Adobe users (${tier.map(describe).join(', ')}); using ${describe(chosen)}`
  }
  return match
}
