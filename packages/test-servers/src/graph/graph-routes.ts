import { type GraphReply, graphError } from './graph-reply.js'
import { parseFilter } from './odata-filter.js'
import { DEFAULT_USER_PROPERTIES, type FakeTenant, type GraphUser } from './tenant-state.js'

/** A Graph read request, as the routes see it. */
export interface GraphRead {
  /** Absolute URL of the request (the base of `@odata.nextLink`). */
  url: URL
  query: URLSearchParams
  /** `ConsistencyLevel: eventual` was sent. */
  eventual: boolean
}

const skiptoken = (offset: number): string => `RFNwdAoAAQAAAA${Buffer.from(`o:${offset}`).toString('base64url')}`

function offsetOf(token: string | null): number | undefined {
  if (token === null) return 0
  if (!token.startsWith('RFNwdAoAAQAAAA')) return undefined
  const text = Buffer.from(token.slice(14), 'base64url').toString('utf8')
  const match = /^o:(\d+)$/.exec(text)
  return match ? Number(match[1]) : undefined
}

/** `$select` names, or undefined for Graph's default set. */
function selected(query: URLSearchParams): string[] | undefined {
  const select = query.get('$select')
  return select === null
    ? undefined
    : select
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
}

function project(item: Record<string, unknown>, names: readonly string[], type?: string): Record<string, unknown> {
  const out: Record<string, unknown> = type ? { '@odata.type': type } : {}
  out.id = item.id
  for (const name of names)
    if (name !== 'id') out[name] = item[name] ?? (name === 'otherMails' || name === 'businessPhones' ? [] : null)
  return out
}

/**
 * One page of `items` (graph-api.md §5, §7): `$top` 1–999 (default 100), `$filter` (advanced operators
 * need `ConsistencyLevel: eventual` and `$count=true`), `$select`, `$skiptoken` paging with an absolute
 * `@odata.nextLink` repeating the original query, `@odata.count` on the first page when asked.
 */
export function page(
  read: GraphRead,
  items: Record<string, unknown>[],
  context: string,
  defaults: readonly string[],
  type?: string,
): GraphReply {
  const { query } = read
  const topText = query.get('$top')
  const top = topText === null ? 100 : Number(topText)
  if (!Number.isInteger(top) || top < 1 || top > 999)
    return graphError(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${topText}'. Must be between 1 and 999 inclusive.`,
    )
  const advancedAsked = read.eventual && query.get('$count') === 'true'
  let rows = items
  const filterText = query.get('$filter')
  if (filterText !== null) {
    let filter: ReturnType<typeof parseFilter>
    try {
      filter = parseFilter(filterText)
    } catch (e) {
      return graphError(400, 'Request_BadRequest', (e as Error).message)
    }
    if (filter.advanced && !advancedAsked)
      return graphError(
        400,
        'Request_UnsupportedQuery',
        'Unsupported or invalid query filter clause specified for property of resource.',
      )
    rows = rows.filter(filter.test)
  }
  const offset = offsetOf(query.get('$skiptoken'))
  if (offset === undefined) return graphError(400, 'Request_BadRequest', "Invalid value for '$skiptoken'.")
  const names = selected(query) ?? defaults
  const value = rows.slice(offset, offset + top).map((row) => project(row, names, type))
  const body: Record<string, unknown> = { '@odata.context': `${read.url.origin}/v1.0/$metadata#${context}` }
  if (offset === 0 && advancedAsked && query.get('$count') === 'true') body['@odata.count'] = rows.length
  if (offset + top < rows.length) {
    const next = new URL(read.url)
    next.searchParams.set('$skiptoken', skiptoken(offset + top))
    body['@odata.nextLink'] = next.toString()
  }
  body.value = value
  return { status: 200, body }
}

/** `GET /v1.0/users`. */
export function listUsers(tenant: FakeTenant, read: GraphRead): GraphReply {
  return page(read, tenant.users(), 'users', DEFAULT_USER_PROPERTIES)
}

/** `GET /v1.0/groups`. */
export function listGroups(tenant: FakeTenant, read: GraphRead): GraphReply {
  const groups = tenant
    .groups()
    .map(({ id, displayName }) => ({ id, displayName, securityEnabled: true, mailEnabled: false, groupTypes: [] }))
  return page(read, groups, 'groups', [
    'id',
    'displayName',
    'description',
    'groupTypes',
    'mail',
    'mailEnabled',
    'securityEnabled',
  ])
}

/** `GET /v1.0/groups/{id}/members|transitiveMembers[/microsoft.graph.user]`. */
export function listMembers(
  tenant: FakeTenant,
  read: GraphRead,
  groupId: string,
  transitive: boolean,
  usersOnly: boolean,
): GraphReply {
  const group = tenant.group(groupId)
  if (!group)
    return graphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${groupId}' does not exist or one of its queried reference-property objects are not present.`,
    )
  const users: GraphUser[] = transitive
    ? tenant.transitiveUsers(groupId)
    : group.members.map((id) => tenant.user(id)).filter((u): u is GraphUser => u !== undefined)
  const rows: Record<string, unknown>[] = users
  if (!usersOnly) {
    const nested = group.members.map((id) => tenant.group(id)).filter((g) => g !== undefined)
    for (const g of nested) rows.push({ id: g.id, displayName: g.displayName, '@odata.type': '#microsoft.graph.group' })
  }
  return page(read, rows, usersOnly ? 'users' : 'directoryObjects', DEFAULT_USER_PROPERTIES, '#microsoft.graph.user')
}
