import { EventEmitter } from 'node:events'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { parseBody, readBody } from '../umapi/http-util.js'
import { type GraphEndpoint, type GraphFault, GraphFaultQueue } from './graph-faults.js'
import { type GraphReply, graphError } from './graph-reply.js'
import { listGroups, listMembers, listUsers, type GraphRead } from './graph-routes.js'
import { GraphThrottle, resourceUnits } from './graph-throttle.js'
import { GraphTokens } from './graph-tokens.js'
import { FakeTenant } from './tenant-state.js'

/** Options of {@link startFakeGraph}; every field is optional. */
export interface FakeGraphOptions {
  /** Serve HTTPS with this key/cert (e.g. `createTestCa()`); plain HTTP when absent. */
  tls?: { key: string | Buffer; cert: string | Buffer }
  tenantId?: string
  clientId?: string
  clientSecret?: string
  /** The app's certificate (PEM): a client assertion signed with its key is accepted instead of the secret. */
  certificatePem?: string
  /** Application permissions granted (admin-consented); default User.Read.All and GroupMember.Read.All. */
  permissions?: string[]
  /** `expires_in` of tokens, seconds; default 3599. */
  tokenLifetimeSeconds?: number
  /** Read budget: resource units per window (default 8000 per 10 s, a large tenant's). */
  throttle?: { resourceUnits?: number; windowMs?: number }
  now?: () => number
}

/** One request as the fake saw it. */
export interface GraphRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string>
  endpoint: GraphEndpoint | 'unknown'
  /** Status answered; 0 when the connection was dropped. */
  status: number
}

/** Handle of a running fake Graph + token endpoint. */
export interface FakeGraph {
  /** Base URL, e.g. `https://127.0.0.1:41234`: the token endpoint at `/{tenant}/oauth2/v2.0/token`, Graph at `/v1.0`. */
  url: string
  /** Host and port (`127.0.0.1:41234`), for `authority_host` and `graph_host`. */
  host: string
  tenantId: string
  clientId: string
  clientSecret: string
  tenant: FakeTenant
  requests: GraphRequest[]
  faults: GraphFaultQueue
  stats: { tokensIssued: number; throttled: number; resourceUnits: number }
  /** Resolves once `count` requests to `endpoint` have been answered (counting from the start). */
  served(endpoint: GraphEndpoint, count: number): Promise<void>
  expireAllTokens(): void
  close(): Promise<void>
}

const READ_PERMISSIONS: Record<Exclude<GraphEndpoint, 'token'>, string[]> = {
  users: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  groups: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All'],
  members: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All'],
}

interface Route {
  endpoint: GraphEndpoint | 'unknown'
  tenant?: string
  groupId?: string
  transitive?: boolean
  usersOnly?: boolean
  baseUnits: number
}

function classify(method: string, path: string): Route {
  const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path)
  if (token && method === 'POST') return { endpoint: 'token', tenant: decodeURIComponent(token[1] ?? ''), baseUnits: 0 }
  if (method !== 'GET') return { endpoint: 'unknown', baseUnits: 1 }
  if (path === '/v1.0/users') return { endpoint: 'users', baseUnits: 2 }
  if (path === '/v1.0/groups') return { endpoint: 'groups', baseUnits: 1 }
  const members = /^\/v1\.0\/groups\/([^/]+)\/(members|transitiveMembers)(\/microsoft\.graph\.user)?$/.exec(path)
  if (members) {
    const transitive = members[2] === 'transitiveMembers'
    return {
      endpoint: 'members',
      groupId: decodeURIComponent(members[1] ?? ''),
      transitive,
      usersOnly: members[3] !== undefined,
      baseUnits: transitive ? 5 : 3,
    }
  }
  return { endpoint: 'unknown', baseUnits: 1 }
}

/**
 * Starts a fake Microsoft Graph v1.0 (users, groups, group members and transitive members) with its
 * Entra ID token endpoint on 127.0.0.1 (graph-api.md §14): client-credentials tokens (secret, Basic or a
 * certificate assertion), bearer tokens enforced, application permissions (403 Authorization_RequestDenied),
 * `$select` / `$filter` / `$top` / `$skiptoken` paging, the resource-unit read budget (429 + Retry-After),
 * Graph's error shapes, and fault injection (status with Retry-After, resets, truncated pages, 401).
 */
export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const tenantId = options.tenantId ?? '11111111-2222-3333-4444-555555555555'
  const clientId = options.clientId ?? 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
  const clientSecret = options.clientSecret ?? 'fake-graph-secret'
  const now = options.now ?? Date.now
  const permissions = new Set(options.permissions ?? ['User.Read.All', 'GroupMember.Read.All'])
  const tenant = new FakeTenant(tenantId)
  const faults = new GraphFaultQueue()
  const requests: GraphRequest[] = []
  const events = new EventEmitter()
  const answered: Record<GraphEndpoint, number> = { token: 0, users: 0, groups: 0, members: 0 }
  const stats = { tokensIssued: 0, throttled: 0, resourceUnits: 0 }
  let url = ''
  let tokens: GraphTokens
  const throttle = new GraphThrottle(
    options.throttle?.resourceUnits ?? 8000,
    options.throttle?.windowMs ?? 10_000,
    now,
    clientId,
    tenantId,
  )

  const serve = (route: Route, record: GraphRequest, read: GraphRead, body: unknown): GraphReply => {
    if (route.endpoint === 'unknown')
      return graphError(400, 'BadRequest', `Resource not found for the segment '${record.path.split('/').pop()}'.`)
    if (route.endpoint === 'token') {
      const reply = tokens.issue(
        route.tenant ?? '',
        (body ?? {}) as Record<string, string>,
        record.headers.authorization,
        `${url}/${route.tenant}/oauth2/v2.0/token`,
      )
      stats.tokensIssued = tokens.issued
      return reply
    }
    const auth = tokens.check(record.headers.authorization)
    if (auth !== 'ok')
      return graphError(
        401,
        'InvalidAuthenticationToken',
        auth === 'missing'
          ? 'Access token is empty.'
          : auth === 'expired'
            ? 'Lifetime validation failed, the token is expired.'
            : 'IDX14100: JWT is not well formed.',
      )
    if (!READ_PERMISSIONS[route.endpoint].some((p) => permissions.has(p)))
      return graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.')
    const units = resourceUnits(route.baseUnits, read.query)
    const limited = throttle.charge(units)
    if (limited) {
      stats.throttled = throttle.throttled
      return limited
    }
    stats.resourceUnits += units
    const reply =
      route.endpoint === 'users'
        ? listUsers(tenant, read)
        : route.endpoint === 'groups'
          ? listGroups(tenant, read)
          : listMembers(tenant, read, route.groupId ?? '', route.transitive === true, route.usersOnly === true)
    return { ...reply, headers: { ...reply.headers, 'x-ms-resource-unit': String(units) } }
  }

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = new URL(req.url ?? '/', url)
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
    const route = classify(req.method ?? 'GET', target.pathname)
    const record: GraphRequest = {
      method: req.method ?? 'GET',
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers,
      endpoint: route.endpoint,
      status: 0,
    }
    requests.push(record)
    const raw = await readBody(req)
    const body = parseBody(headers['content-type'], raw)
    const done = (): void => {
      if (route.endpoint === 'unknown') return
      answered[route.endpoint]++
      events.emit('served')
    }
    const fault: GraphFault | undefined = route.endpoint === 'unknown' ? undefined : faults.take(route.endpoint)
    if (fault?.kind === 'reset') {
      req.socket.destroy()
      done()
      return
    }
    let reply: GraphReply
    if (fault?.kind === 'status')
      reply =
        fault.status === 429
          ? graphError(
              429,
              'TooManyRequests',
              'Too many requests.',
              fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {},
            )
          : graphError(
              fault.status,
              fault.status === 503 ? 'serviceNotAvailable' : 'generalException',
              http.STATUS_CODES[fault.status] ?? 'Injected fault',
              fault.retryAfter ? { 'Retry-After': fault.retryAfter } : undefined,
            )
    else if (fault?.kind === 'unauthorized')
      reply = graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.')
    else
      reply = serve(
        route,
        record,
        { url: target, query: target.searchParams, eventual: headers.consistencylevel?.toLowerCase() === 'eventual' },
        body,
      )
    let text = reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body))
    if (fault?.kind === 'truncate') text = text.slice(0, Math.floor(text.length / 2))
    record.status = reply.status
    res.writeHead(reply.status, {
      'Content-Type':
        'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
      'Content-Length': String(Buffer.byteLength(text)),
      'request-id': crypto.randomUUID(),
      ...reply.headers,
    })
    res.end(text, done)
  }
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handler(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(`fake Graph bug: ${String(e)}`)
    })
  }
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`
  tokens = new GraphTokens({
    tenantId,
    clientId,
    clientSecret,
    ...(options.certificatePem ? { certificatePem: options.certificatePem } : {}),
    scope: `${url}/.default`,
    lifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    now,
  })
  return {
    url,
    host: `127.0.0.1:${port}`,
    tenantId,
    clientId,
    clientSecret,
    tenant,
    requests,
    faults,
    stats,
    served: (endpoint, count) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (answered[endpoint] < count) return
          events.off('served', check)
          resolve()
        }
        events.on('served', check)
        check()
      }),
    expireAllTokens: () => tokens.expireAll(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()))
        server.closeAllConnections()
      }),
  }
}
