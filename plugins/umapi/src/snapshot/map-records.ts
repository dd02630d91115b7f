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

/** The group names of a wire user: its own list when it holds only strings (no copy), else the strings in it. */
function groupNames(groups: unknown): string[] {
  if (!Array.isArray(groups)) return []
  for (const g of groups) if (typeof g !== 'string') return groups.filter((n): n is string => typeof n === 'string')
  return groups as string[]
}

/**
 * A UMAPI user as a `TargetUser`, or undefined for a user ust cannot address (no email, or type
 * `unknown`). The username defaults to the email, the domain to the email's domain.
 */
export function toTargetUser(wire: WireUser): TargetUser | undefined {
  if (typeof wire.email !== 'string' || !wire.email.includes('@')) return undefined
  if (typeof wire.type !== 'string' || !IDENTITY_TYPES.includes(wire.type)) return undefined
  const user: TargetUser = {
    identityType: wire.type as IdentityType,
    email: wire.email,
    username: wire.username || wire.email,
    domain: wire.domain || wire.email.slice(wire.email.lastIndexOf('@') + 1),
    groups: groupNames(wire.groups),
  }
  if (wire.firstname !== undefined) user.firstname = wire.firstname
  if (wire.lastname !== undefined) user.lastname = wire.lastname
  if (wire.country !== undefined) user.country = wire.country
  return user
}

/** A UMAPI group as a `TargetGroup` (USER_GROUP → userGroup, PRODUCT_PROFILE → productProfile, admin types → adminGroup). */
export function toTargetGroup(wire: WireGroup): TargetGroup | undefined {
  if (typeof wire.groupName !== 'string') return undefined
  const group: TargetGroup = { name: wire.groupName, type: GROUP_TYPES[wire.type ?? ''] ?? 'other' }
  if (typeof wire.memberCount === 'number') group.memberCount = wire.memberCount
  return group
}
