import type { FakeSignAccount, SignUser } from './account.js'
import type { SignEndpoint } from './faults.js'

/** An answer: status, JSON body (none for an empty 200), extra headers. */
export interface SignReply {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/** A routed API request (below `/api/rest/v6/`). */
export interface SignCall {
  endpoint: SignEndpoint
  method: string
  /** Path parameter: the user id. */
  id?: string
  query: URLSearchParams
  body: unknown
}

/** A Sign error answer (`{code, message}`). */
export const signError = (status: number, code: string, message: string): SignReply => ({
  status,
  body: { code, message },
})

/** Which endpoint `method path` addresses (path below the API root), or undefined. */
export function routeOf(method: string, path: string): { endpoint: SignEndpoint; id?: string } | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent)
  // `id` is read only where there are at least two parts (never empty: empty parts are dropped).
  const [first, id = '', sub] = parts
  if (first === 'baseUris' && parts.length === 1 && method === 'GET') return { endpoint: 'baseUris' }
  if (first === 'groups' && parts.length === 1)
    return method === 'GET' ? { endpoint: 'listGroups' } : method === 'POST' ? { endpoint: 'createGroup' } : undefined
  if (first !== 'users') return undefined
  if (parts.length === 1)
    return method === 'GET' ? { endpoint: 'listUsers' } : method === 'POST' ? { endpoint: 'createUser' } : undefined
  if (parts.length === 2)
    return method === 'GET'
      ? { endpoint: 'getUser', id }
      : method === 'PUT'
        ? { endpoint: 'updateUser', id }
        : undefined
  if (parts.length === 3 && sub === 'state' && method === 'PUT') return { endpoint: 'userState', id }
  if (parts.length === 3 && sub === 'groups')
    return method === 'GET'
      ? { endpoint: 'getUserGroups', id }
      : method === 'PUT'
        ? { endpoint: 'putUserGroups', id }
        : undefined
  return undefined
}

/** Cursor paging (`pageSize`, at most the server's own size; `cursor`; `page.nextCursor` left out on the last page). */
function page<T>(items: T[], query: URLSearchParams, defaultSize: number, kind: string) {
  const sizeText = query.get('pageSize')
  const size = sizeText === null ? defaultSize : Number(sizeText)
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    return signError(400, 'INVALID_PAGE_SIZE', `pageSize must be an integer from 1 to 1000, got ${sizeText}`)
  const cursor = query.get('cursor')
  let start = 0
  if (cursor !== null) {
    const match = /^([a-z]+)-(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (!match || match[1] !== kind || Number(match[2]) > items.length)
      return signError(400, 'INVALID_CURSOR', 'The cursor provided is invalid')
    start = Number(match[2])
  }
  // The server serves at most its own page size, whatever larger size is asked (assumption: clamped).
  const end = start + Math.min(size, defaultSize)
  return {
    list: items.slice(start, end),
    page: end < items.length ? { nextCursor: Buffer.from(`${kind}-${end}`).toString('base64url') } : {},
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The API's answers over one account (sign-api.md §4–§6; the fake's assumptions are marked there with (A)). */
export class SignRoutes {
  constructor(
    private readonly account: FakeSignAccount,
    private readonly pageSize: number,
    /** "Users in Multiple Groups": memberships not named in a PUT stay; otherwise a new primary moves the user. */
    private readonly multiGroup = false,
  ) {}

  handle(call: SignCall): SignReply {
    if ((call.method === 'POST' || call.method === 'PUT') && !isObject(call.body))
      return signError(400, 'INVALID_JSON', 'The request body is not a valid JSON object')
    switch (call.endpoint) {
      case 'listUsers':
        return this.listUsers(call.query)
      case 'listGroups':
        return this.listGroups(call.query)
      case 'createGroup':
        return this.createGroup(call.body as Record<string, unknown>)
      case 'createUser':
        return this.createUser(call.body as Record<string, unknown>)
      default:
        return this.userCall(call)
    }
  }

  private userCall(call: SignCall): SignReply {
    const user = call.id === undefined ? undefined : this.account.user(call.id)
    if (!user) return signError(404, 'INVALID_USER_ID', `No user with id ${call.id}`)
    const body = call.body as Record<string, unknown>
    switch (call.endpoint) {
      case 'getUser':
        return { status: 200, body: this.detail(user) }
      case 'updateUser':
        return this.updateUser(user, body)
      case 'userState':
        return this.setState(user, body)
      case 'getUserGroups':
        return { status: 200, body: { groupInfoList: user.memberships.map((m) => this.membership(m)) } }
      default:
        return this.putGroups(user, body)
    }
  }

  private listUsers(query: URLSearchParams): SignReply {
    const paged = page(this.account.allUsers(), query, this.pageSize, 'users')
    if ('status' in paged) return paged
    const userInfoList = paged.list.map((u) => ({
      id: u.id,
      email: u.email,
      ...(u.firstName ? { firstName: u.firstName } : {}),
      ...(u.lastName ? { lastName: u.lastName } : {}),
      isAccountAdmin: u.isAccountAdmin,
      accountId: this.account.accountId,
    }))
    return { status: 200, body: { page: paged.page, userInfoList } }
  }

  private listGroups(query: URLSearchParams): SignReply {
    const paged = page(this.account.allGroups(), query, this.pageSize, 'groups')
    if ('status' in paged) return paged
    return { status: 200, body: { page: paged.page, groupInfoList: paged.list.map((g) => ({ ...g })) } }
  }

  private createGroup(body: Record<string, unknown>): SignReply {
    const name = body.name
    if (typeof name !== 'string' || name.trim() === '') return signError(400, 'INVALID_GROUP_NAME', 'name is required')
    if (this.account.groupByName(name)) return signError(409, 'GROUP_ALREADY_EXISTS', `Group ${name} already exists`)
    return { status: 201, body: { id: this.account.addGroup(name).groupId } }
  }

  private createUser(body: Record<string, unknown>): SignReply {
    const email = body.email
    if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
      return signError(400, 'INVALID_EMAIL', `email is missing or invalid: ${String(email)}`)
    if (this.account.userByEmail(email)) return signError(409, 'USER_ALREADY_EXISTS', `User ${email} already exists`)
    const primary = typeof body.primaryGroupId === 'string' ? body.primaryGroupId : undefined
    if (primary !== undefined && !this.account.group(primary))
      return signError(404, 'INVALID_GROUP_ID', `No group with id ${primary}`)
    const user = this.account.createUser(
      {
        email,
        ...(typeof body.firstName === 'string' ? { firstName: body.firstName } : {}),
        ...(typeof body.lastName === 'string' ? { lastName: body.lastName } : {}),
        isAccountAdmin: body.isAccountAdmin === true,
      },
      primary,
    )
    return { status: 201, body: { userId: user.id } }
  }

  private updateUser(user: SignUser, body: Record<string, unknown>): SignReply {
    if (body.id !== undefined && body.id !== user.id)
      return signError(400, 'MODIFYING_IMMUTABLE_FIELDS', 'id cannot be changed')
    if (body.email !== undefined && typeof body.email !== 'string')
      return signError(400, 'INVALID_EMAIL', 'email must be a string')
    if (body.isAccountAdmin !== undefined) {
      if (typeof body.isAccountAdmin !== 'boolean')
        return signError(400, 'BAD_REQUEST', 'isAccountAdmin must be a boolean')
      user.isAccountAdmin = body.isAccountAdmin
    }
    if (typeof body.firstName === 'string') user.firstName = body.firstName
    if (typeof body.lastName === 'string') user.lastName = body.lastName
    return { status: 200 }
  }

  private setState(user: SignUser, body: Record<string, unknown>): SignReply {
    const state = body.state
    if (state !== 'ACTIVE' && state !== 'INACTIVE')
      return signError(400, 'INVALID_STATE', `state must be ACTIVE or INACTIVE, got ${String(state)}`)
    const same = (state === 'INACTIVE') === (user.status === 'INACTIVE')
    user.status = state
    const code = same ? `ALREADY_${state}` : 'OK'
    return { status: 200, body: { code, message: `User state is ${state}`, state } }
  }

  private putGroups(user: SignUser, body: Record<string, unknown>): SignReply {
    const list = body.groupInfoList
    if (!Array.isArray(list) || list.length === 0 || !list.every(isObject))
      return signError(400, 'BAD_REQUEST', 'groupInfoList must be a non-empty list of groups')
    const next = user.memberships.map((m) => ({ ...m }))
    for (const entry of list) {
      const id = entry.id
      if (typeof id !== 'string' || !this.account.group(id))
        return signError(404, 'INVALID_GROUP_ID', `No group with id ${String(id)}`)
      const at = next.findIndex((m) => m.groupId === id)
      if (entry.status === 'DELETED') {
        if (at >= 0) next.splice(at, 1)
        continue
      }
      const primary = entry.isPrimaryGroup === true
      if (primary && !this.multiGroup) {
        // One group per user: naming a new primary group moves the user there.
        for (let i = next.length - 1; i >= 0; i--) if (next[i]!.groupId !== id) next.splice(i, 1)
      }
      if (primary) for (const m of next) m.isPrimaryGroup = false
      const membership = {
        groupId: id,
        isGroupAdmin: entry.isGroupAdmin === true,
        isPrimaryGroup: primary || (at >= 0 && next[at]!.isPrimaryGroup),
        createdDate: at >= 0 ? next[at]!.createdDate : new Date(0).toISOString(),
      }
      if (at >= 0) next[at] = membership
      else next.push(membership)
    }
    if (next.filter((m) => m.isPrimaryGroup).length !== 1)
      return signError(400, 'BAD_REQUEST', 'A user must keep exactly one primary group')
    user.memberships = next
    return { status: 200 }
  }

  private detail(user: SignUser) {
    const primary = user.memberships.find((m) => m.isPrimaryGroup)
    return {
      id: user.id,
      email: user.email,
      ...(user.firstName ? { firstName: user.firstName } : {}),
      ...(user.lastName ? { lastName: user.lastName } : {}),
      accountId: this.account.accountId,
      accountType: 'GLOBAL',
      isAccountAdmin: user.isAccountAdmin,
      status: user.status,
      createdDate: user.createdDate,
      ...(primary ? { primaryGroupId: primary.groupId } : {}),
    }
  }

  private membership(m: SignUser['memberships'][number]) {
    return {
      id: m.groupId,
      name: this.account.group(m.groupId)?.groupName ?? '',
      isGroupAdmin: m.isGroupAdmin,
      isPrimaryGroup: m.isPrimaryGroup,
      status: 'ACTIVE',
      createdDate: m.createdDate,
      settings: { userCanSend: { value: true, inherited: true } },
    }
  }
}
