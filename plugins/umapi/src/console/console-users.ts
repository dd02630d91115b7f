import type { DirectoryUser, IdentityType } from '@ust-sync/api'
import { toTargetUser, type Interner, type WireUser } from '../snapshot/map-records.js'

/** What decides which users of the source org are kept and which of their groups they carry. */
export interface UserFilter {
  /** `identity_type_filter`; undefined keeps every type. */
  identityType?: IdentityType
  /** Selected groups by lower-cased name, spelled as the configuration spells them. */
  wanted: ReadonlyMap<string, string>
  /** Keep users in none of the selected groups (`--users all`). */
  allUsers: boolean
  /** Carry every group of the user, not only the selected ones (`additional_groups` rules). */
  memberGroups: boolean
}

/**
 * The groups a source-org user carries: the selected groups it is in (as the configuration spells them,
 * compared ignoring case like UST), then, with `memberGroups`, every other group it has in the org.
 */
function groupsOf(own: readonly string[], filter: UserFilter): string[] {
  const groups: string[] = []
  for (const name of own) {
    const selected = filter.wanted.get(name.toLowerCase())
    if (selected !== undefined && !groups.includes(selected)) groups.push(selected)
  }
  if (filter.memberGroups)
    for (const name of own) if (!filter.wanted.has(name.toLowerCase()) && !groups.includes(name)) groups.push(name)
  return groups
}

/**
 * A user of the source org as a directory user, or a reason to leave it out: `unaddressable` (no email
 * or an unknown identity type; UST skips these too), `filtered` (another identity type than
 * `identity_type_filter`, or in no selected group without `--users all`).
 */
export function toDirectoryUser(
  wire: WireUser,
  filter: UserFilter,
  intern: Interner,
  origin: string,
): DirectoryUser | 'unaddressable' | 'filtered' {
  const user = toTargetUser(wire, intern)
  if (!user) return 'unaddressable'
  if (filter.identityType !== undefined && user.identityType !== filter.identityType) return 'filtered'
  const groups = groupsOf(user.groups, filter)
  if (!filter.allUsers && !groups.some((g) => filter.wanted.has(g.toLowerCase()))) return 'filtered'
  const directory: DirectoryUser = {
    identityType: user.identityType,
    email: user.email,
    domain: user.domain,
    groups,
    origin,
    attributes: {
      email: user.email,
      type: user.identityType,
      username: user.username,
      domain: user.domain,
      firstname: user.firstname,
      lastname: user.lastname,
      country: user.country,
    },
  }
  if (user.username.toLowerCase() !== user.email.toLowerCase()) directory.username = user.username
  if (user.firstname !== undefined) directory.firstname = user.firstname
  if (user.lastname !== undefined) directory.lastname = user.lastname
  if (user.country !== undefined) directory.country = user.country
  return directory
}

/** UST's key of a source-org user: identity type, username and domain, ignoring case. */
export function userKey(user: DirectoryUser): string {
  return `${user.identityType},${(user.username ?? user.email).toLowerCase()},${(user.domain ?? '').toLowerCase()}`
}
