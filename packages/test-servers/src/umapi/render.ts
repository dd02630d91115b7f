import type { FakeGroup, FakeOrg, FakeUser } from './org-state.js'

/** User object as UMAPI returns it (umapi.md §4): unset fields and empty `groups` omitted. */
export function renderUser(
  org: FakeOrg,
  user: FakeUser,
  options: { directOnly: boolean; excludeGroups?: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: user.id,
    email: user.email,
    status: user.status,
    username: user.username,
    domain: user.domain,
  }
  if (user.firstname !== undefined) out.firstname = user.firstname
  if (user.lastname !== undefined) out.lastname = user.lastname
  if (user.country !== undefined) out.country = user.country
  out.type = user.type
  if (!options.excludeGroups) {
    const groups = org.groupsOf(user, { directOnly: options.directOnly })
    if (groups.length > 0) out.groups = groups
  }
  return out
}

/** Group object as `GET /groups` returns it (umapi.md §3.4). */
export function renderGroup(org: FakeOrg, group: FakeGroup): Record<string, unknown> {
  const out: Record<string, unknown> = {
    groupId: group.groupId,
    groupName: group.groupName,
    type: group.type,
    memberCount: org.membersOf(group).length,
  }
  if (group.type === 'USER_GROUP' || group.type === 'PRODUCT_PROFILE') {
    const admin = org.adminGroupOf(group)
    if (admin) out.adminGroupName = admin.groupName
  }
  if (group.type === 'USER_ADMIN_GROUP') out.userGroupName = group.baseName
  if (group.type === 'PROFILE_ADMIN_GROUP' || group.type === 'DEVELOPER_GROUP') out.productProfileName = group.baseName
  if (group.type === 'PRODUCT_PROFILE' || group.type === 'PRODUCT_ADMIN_GROUP') out.productName = group.productName
  if (group.type === 'PRODUCT_PROFILE') out.licenseQuota = group.licenseQuota
  return out
}
