import type { FakeOktaUser, OktaDirectory } from './directory.js'
import { InvalidFilter, parseOktaFilter } from './filter.js'

/** A route's answer: status, JSON body, `next` page URL. */
export interface OktaAnswer {
  status: number
  body: unknown
  next?: string
  headers?: Record<string, string>
}

/** Okta's error body (okta-api.md §8). */
export function oktaError(status: number, code: string, summary: string): OktaAnswer {
  return {
    status,
    body: {
      errorCode: code,
      errorSummary: summary,
      errorLink: code,
      errorId: `oaeFake${status}${code}`,
      errorCauses: [],
    },
  }
}

const badPaging = () => oktaError(400, 'E0000029', 'Invalid paging request.')

/** `limit` as Okta reads it: default `fallback`, capped at `max`; a non-number is a validation error. */
function limitOf(query: URLSearchParams, fallback: number, max: number): number | OktaAnswer {
  const text = query.get('limit')
  if (text === null) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1) return oktaError(400, 'E0000001', 'Api validation failed: limit')
  return Math.min(n, max)
}

/** One page of `items` after the cursor (`after` = id of the last item of the previous page). */
function page<T extends { id: string }>(items: T[], query: URLSearchParams, limit: number, url: URL): OktaAnswer {
  const after = query.get('after')
  let start = 0
  if (after !== null) {
    const index = items.findIndex((item) => item.id === after)
    if (index < 0) return badPaging()
    start = index + 1
  }
  const slice = items.slice(start, start + limit)
  const last = slice.at(-1)
  if (start + limit >= items.length || !last) return { status: 200, body: slice }
  const next = new URL(url)
  next.searchParams.set('after', last.id)
  next.searchParams.set('limit', String(limit))
  return { status: 200, body: slice, next: next.toString() }
}

/** `GET /api/v1/users`: without a query, deprovisioned users are left out; `filter` as documented. */
export function listUsers(directory: OktaDirectory, url: URL): OktaAnswer {
  const query = url.searchParams
  if (query.has('filter') && query.has('search'))
    return oktaError(400, 'E0000033', 'Search query and filter in one request.')
  if (query.has('search')) return oktaError(400, 'E0000031', 'Invalid search: the fake Okta supports filter only')
  const limit = limitOf(query, 200, 200)
  if (typeof limit !== 'number') return limit
  let users: FakeOktaUser[]
  const filter = query.get('filter')
  if (filter !== null) {
    try {
      const predicate = parseOktaFilter(filter)
      users = directory.users().filter(predicate)
    } catch (error) {
      if (error instanceof InvalidFilter)
        return oktaError(400, 'E0000031', `Invalid filter parameter: ${error.message}`)
      throw error
    }
  } else users = directory.users().filter((u) => u.status !== 'DEPROVISIONED')
  return page(users, query, limit, url)
}

/** `GET /api/v1/groups`: `q` is a starts-with match on the name (exact matches first), unpaged, at most 300. */
export function listGroups(directory: OktaDirectory, url: URL): OktaAnswer {
  const query = url.searchParams
  const q = query.get('q')
  const limit = limitOf(query, q === null ? 10_000 : 300, 10_000)
  if (typeof limit !== 'number') return limit
  if (q === null)
    return page(
      directory.groups().map(({ members, ...group }) => group),
      query,
      limit,
      url,
    )
  const lower = q.toLowerCase()
  const matching = directory.groups().filter((g) => g.profile.name.toLowerCase().startsWith(lower))
  const exact = matching.filter((g) => g.profile.name.toLowerCase() === lower)
  const rest = matching.filter((g) => g.profile.name.toLowerCase() !== lower)
  return { status: 200, body: [...exact, ...rest].slice(0, limit).map(({ members, ...group }) => group) }
}

/** `GET /api/v1/groups/{id}/users`: the members, paged (default 1000). Unknown group: 404 `E0000007`. */
export function listMembers(directory: OktaDirectory, url: URL, groupId: string): OktaAnswer {
  const group = directory.groupById(groupId)
  if (!group) return oktaError(404, 'E0000007', `Not found: Resource not found: ${groupId} (UserGroup)`)
  const limit = limitOf(url.searchParams, 1000, 10_000)
  if (typeof limit !== 'number') return limit
  return page(directory.members(group), url.searchParams, limit, url)
}
