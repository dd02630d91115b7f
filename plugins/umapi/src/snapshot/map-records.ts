import type { IdentityType, TargetGroup, TargetGroupType, TargetUser } from '@ust-sync/api'

/** A user as UMAPI returns it (umapi.md §4); unset fields are omitted. */
export interface WireUser {
  email?: string
  username?: string
  domain?: string
  type?: string
  firstname?: string
  lastname?: string
  country?: string
  groups?: string[]
}

/** A group as UMAPI returns it (umapi.md §3.4). */
export interface WireGroup {
  groupName?: string
  type?: string
  memberCount?: number
}

const IDENTITY_TYPES: readonly string[] = ['adobeID', 'enterpriseID', 'federatedID'] satisfies IdentityType[]

const GROUP_TYPES: Record<string, TargetGroupType> = {
  USER_GROUP: 'userGroup',
  PRODUCT_PROFILE: 'productProfile',
  SYSADMIN_GROUP: 'adminGroup',
  DEPLOYMENT_ADMIN_GROUP: 'adminGroup',
  SUPPORT_ADMIN_GROUP: 'adminGroup',
  PRODUCT_ADMIN_GROUP: 'adminGroup',
  PROFILE_ADMIN_GROUP: 'adminGroup',
  USER_ADMIN_GROUP: 'adminGroup',
  DEVELOPER_GROUP: 'adminGroup',
  CONTRACT_ADMIN_GROUP: 'adminGroup',
}

/** Returns one shared instance per distinct value (a snapshot repeats a few domains, countries and group names). */
export type Interner = (value: string) => string

/** An {@link Interner} backed by a map (for the values of one read). */
export function interner(): Interner {
  const seen = new Map<string, string>()
  return (value) => {
    const known = seen.get(value)
    if (known !== undefined) return known
    seen.set(value, value)
    return value
  }
}

const asIs: Interner = (value) => value

/** The group names of a wire user: its own list (names shared through `intern`), or the strings in it. */
function groupNames(groups: unknown, intern: Interner): string[] {
  if (!Array.isArray(groups)) return []
  for (const g of groups) if (typeof g !== 'string') return groups.filter((n): n is string => typeof n === 'string')
  for (let i = 0; i < groups.length; i++) groups[i] = intern(groups[i] as string)
  return groups as string[]
}

/**
 * A UMAPI user as a `TargetUser`, or undefined for a user ust cannot address (no email, or type
 * `unknown`). The username defaults to the email, the domain to the email's domain. With `intern`, equal
 * domains, countries and group names share one string (a large org holds far fewer distinct ones).
 */
export function toTargetUser(wire: WireUser, intern: Interner = asIs): TargetUser | undefined {
  const { email, type } = wire
  if (typeof email !== 'string' || !email.includes('@')) return undefined
  const identityType = typeof type === 'string' ? IDENTITY_TYPES.find((t) => t === type) : undefined
  if (identityType === undefined) return undefined
  const user: TargetUser = {
    identityType: identityType as IdentityType,
    email,
    username: wire.username === email ? email : wire.username || email,
    domain: intern(wire.domain || email.slice(email.lastIndexOf('@') + 1)),
    groups: groupNames(wire.groups, intern),
  }
  if (wire.firstname !== undefined) user.firstname = wire.firstname
  if (wire.lastname !== undefined) user.lastname = wire.lastname
  if (wire.country !== undefined) user.country = typeof wire.country === 'string' ? intern(wire.country) : wire.country
  return user
}

/** A UMAPI group as a `TargetGroup` (USER_GROUP → userGroup, PRODUCT_PROFILE → productProfile, admin types → adminGroup). */
export function toTargetGroup(wire: WireGroup): TargetGroup | undefined {
  if (typeof wire.groupName !== 'string') return undefined
  const group: TargetGroup = { name: wire.groupName, type: GROUP_TYPES[wire.type ?? ''] ?? 'other' }
  if (typeof wire.memberCount === 'number') group.memberCount = wire.memberCount
  return group
}
