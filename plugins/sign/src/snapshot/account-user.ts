import { ROLE_GROUPS, type TargetUser } from '@ust-sync/api'
import type { SignUserDetail, SignUserGroup } from '../sign-api.js'

/** What ust keeps of a Sign user: details and the primary membership (UST reads nothing else). */
export interface AccountUser {
  id: string
  email: string
  firstName?: string
  lastName?: string
  isAccountAdmin: boolean
  /** `ACTIVE`, `INACTIVE`, `CREATED`, `UNVERIFIED`: anything but `INACTIVE` counts as active (as in UST). */
  status: string
  primaryGroupId?: string
  primaryGroupName?: string
  /** `isGroupAdmin` of the primary membership. */
  groupAdmin: boolean
}

/** A user from `GET /users/{id}` and `GET /users/{id}/groups`. */
export function accountUserOf(detail: SignUserDetail, groups: readonly SignUserGroup[]): AccountUser {
  const primary = groups.find((g) => g.isPrimaryGroup && g.status !== 'DELETED')
  return {
    id: detail.id,
    email: detail.email,
    ...(detail.firstName ? { firstName: detail.firstName } : {}),
    ...(detail.lastName ? { lastName: detail.lastName } : {}),
    isAccountAdmin: detail.isAccountAdmin === true,
    status: String(detail.status),
    ...(primary ? { primaryGroupId: primary.id, primaryGroupName: primary.name ?? '' } : {}),
    groupAdmin: primary?.isGroupAdmin === true,
  }
}

export const isActive = (user: AccountUser): boolean => user.status !== 'INACTIVE'

/**
 * The user as the engine sees a target user: an email-keyed identity and, as `groups`, the primary group
 * plus the role groups (`_account_admin`, `_group_admin`) it holds.
 */
export function targetUserOf(user: AccountUser): TargetUser {
  const at = user.email.lastIndexOf('@')
  const groups: string[] = []
  if (user.primaryGroupName) groups.push(user.primaryGroupName)
  if (user.isAccountAdmin) groups.push(ROLE_GROUPS.accountAdmin)
  if (user.groupAdmin) groups.push(ROLE_GROUPS.groupAdmin)
  return {
    identityType: 'federatedID',
    email: user.email,
    username: user.email,
    domain: user.email.slice(at + 1),
    ...(user.firstName ? { firstname: user.firstName } : {}),
    ...(user.lastName ? { lastname: user.lastName } : {}),
    groups,
  }
}

/** Runs `work` over `items` with at most `limit` at once; rejects with the first failure. */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
