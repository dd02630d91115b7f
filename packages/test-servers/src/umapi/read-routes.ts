import type { FakeOrg } from './org-state.js'
import { parseBool } from './http-util.js'
import { paginate, parsePageIndex } from './paging.js'
import { renderGroup, renderUser } from './render.js'
import { isReply, resultError, type Reply } from './reply.js'

/** Page sizes of the paged GETs. */
export interface PageSizes {
  users: number
  groups: number
}

function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean | Reply {
  const value = parseBool(query.get(name), fallback)
  return (
    value ??
    resultError('error', `Invalid value "${query.get(name)}" for query parameter ${name}: expected true or false`)
  )
}

/** `GET /users/{org}/{page}[?directOnly&domain]`: active users, paged; unknown domain → 404. */
export function getUsers(org: FakeOrg, pageSegment: string, query: URLSearchParams, sizes: PageSizes): Reply {
  const index = parsePageIndex(pageSegment)
  if (isReply(index)) return index
  const directOnly = boolParam(query, 'directOnly', true)
  if (isReply(directOnly)) return directOnly
  const domain = query.get('domain')
  const all = org.activeUsers(domain ?? undefined)
  if (domain !== null && all.length === 0 && !org.isClaimed(domain.toLowerCase())) {
    return {
      status: 404,
      body: { lastPage: false, result: 'error.domain.not_found', message: `Not found: Domain ${domain}` },
    }
  }
  const page = paginate(all, index, sizes.users)
  return {
    status: 200,
    headers: page.headers,
    body: {
      lastPage: page.lastPage,
      result: 'success',
      users: page.items.map((u) => renderUser(org, u, { directOnly })),
    },
  }
}

/**
 * `GET /users/{org}/{page}/{group}[?directOnly&excludeGroups&status]`: members of a user group, profile
 * or admin group. An admin group whose base group exists but which has no members yet → empty page;
 * unknown group → 404 `error.group.not_found`. Every profile member counts as licensed, so
 * `status=inactive` lists nobody.
 */
export function getUsersInGroup(
  org: FakeOrg,
  pageSegment: string,
  groupName: string,
  query: URLSearchParams,
  sizes: PageSizes,
): Reply {
  const index = parsePageIndex(pageSegment)
  if (isReply(index)) return index
  const directOnly = boolParam(query, 'directOnly', true)
  if (isReply(directOnly)) return directOnly
  const excludeGroups = boolParam(query, 'excludeGroups', false)
  if (isReply(excludeGroups)) return excludeGroups
  const status = query.get('status')
  if (status !== null && status !== 'active' && status !== 'inactive') {
    return resultError('error', `Invalid value "${status}" for query parameter status: expected active or inactive`)
  }
  const group = org.findGroup(groupName)
  if (!group && !org.deriveAdminGroup(groupName)) {
    return {
      status: 404,
      body: { lastPage: false, result: 'error.group.not_found', message: `Not found: Group ${groupName}` },
    }
  }
  const members = group && status !== 'inactive' ? org.membersOf(group, { directOnly }) : []
  const page = paginate(members, index, sizes.users)
  return {
    status: 200,
    headers: page.headers,
    body: {
      lastPage: page.lastPage,
      result: 'success',
      groupName: group?.groupName ?? groupName,
      users: page.items.map((u) => renderUser(org, u, { directOnly, excludeGroups })),
    },
  }
}

/** `GET /organizations/{org}/users/{userString}[?domain]`: one active user, or 404 `error.user.not_found`. */
export function getUser(org: FakeOrg, userString: string, query: URLSearchParams): Reply {
  const user = org.findUser(userString, { domain: query.get('domain') ?? undefined })
  if (user?.status !== 'active') return resultError('error.user.not_found', `User not found ${userString}`, 404)
  return { status: 200, body: { result: 'success', user: renderUser(org, user, { directOnly: true }) } }
}

/** `GET /groups/{org}/{page}`: all groups, paged. */
export function getGroups(org: FakeOrg, pageSegment: string, sizes: PageSizes): Reply {
  const index = parsePageIndex(pageSegment)
  if (isReply(index)) return index
  const page = paginate(org.groups(), index, sizes.groups)
  return {
    status: 200,
    headers: page.headers,
    body: { lastPage: page.lastPage, result: 'success', groups: page.items.map((g) => renderGroup(org, g)) },
  }
}
