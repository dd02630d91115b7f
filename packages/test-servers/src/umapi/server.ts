import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { postAction } from './action-route.js'
import { checkGate, unauthorizedReply } from './auth-gate.js'
import { classify, type Route } from './classify.js'
import { FaultQueue, type Fault } from './faults.js'
import { parseBody, readBody, writeJson } from './http-util.js'
import { TokenStore } from './ims.js'
import { FakeOrg } from './org-state.js'
import { DEFAULT_LIMITS, RateLimiter, retryAfterHeaders, tooManyRequestsReply } from './rate-limit.js'
import { getGroups, getUser, getUsers, getUsersInGroup, type PageSizes } from './read-routes.js'
import { isReply, resultError, type Reply } from './reply.js'
import type { FakeUmapi, FakeUmapiOptions, FakeUmapiStats, LimitedEndpoint, RecordedRequest } from './types.js'

/** Body of `GET /status` (umapi.md §1). */
const STATUS_BODY = { build: '2559', version: '2.1.54', state: 'LIVE' }

/** Everything a request handler needs. */
interface ServerState {
  org: FakeOrg
  tokens: TokenStore
  limiter: RateLimiter
  faults: FaultQueue
  sizes: PageSizes
  stats: FakeUmapiStats
  now: () => number
}

/**
 * Starts the fake UMAPI + IMS server on 127.0.0.1 (ephemeral port), HTTPS when `options.tls` is given.
 * Per request: record it → take a matching fault (reset / delay / status / 401) → route: IMS token,
 * `/status`, or UMAPI (method check → auth gate → per-client limit → handler). Every answer echoes
 * `X-Request-Id`.
 */
export async function startFakeUmapi(options: FakeUmapiOptions = {}): Promise<FakeUmapi> {
  const orgId = options.orgId ?? '12345ABCDEF@AdobeOrg'
  const clientId = options.clientId ?? 'fake-client-id'
  const clientSecret = options.clientSecret ?? 'fake-client-secret'
  const stats: FakeUmapiStats = { tokensIssued: 0, limited429: 0, injected429: 0, mostInFlight: 0 }
  const now = options.now ?? Date.now
  const state: ServerState = {
    now,
    org: new FakeOrg(orgId, options.claimedDomains ?? ['example.com']),
    tokens: new TokenStore(clientId, clientSecret, options.tokenLifetimeSeconds ?? 86399, now),
    limiter: new RateLimiter(
      { ...DEFAULT_LIMITS, ...options.limits },
      options.windowMs ?? 60_000,
      options.retryAfterSeconds ?? 60,
      now,
    ),
    faults: new FaultQueue(),
    sizes: { users: options.pageSize?.users ?? 2000, groups: options.pageSize?.groups ?? 400 },
    stats,
  }
  const requests: RecordedRequest[] = []
  // Requests being handled (a delayed one included), and who waits for there to be none.
  let handling = 0
  const idle: (() => void)[] = []
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handling++
    stats.mostInFlight = Math.max(stats.mostInFlight, handling)
    handle(state, requests, req, res)
      .catch((e: unknown) => {
        if (!res.headersSent) writeJson(res, 500, { result: 'error.internal', message: `fake UMAPI bug: ${String(e)}` })
      })
      .finally(() => {
        if (--handling > 0) return
        for (const wake of idle.splice(0)) wake()
      })
  }
  const server = options.tls
    ? https.createServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.clientCa ? { requestCert: true, rejectUnauthorized: true, ca: options.tls.clientCa } : {}),
        },
        handler,
      )
    : http.createServer(handler)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`
  return {
    url,
    umapiUrl: `${url}/v2/usermanagement`,
    orgId,
    clientId,
    clientSecret,
    org: state.org,
    requests,
    faults: state.faults,
    stats,
    expireAllTokens: () => state.tokens.expireAll(),
    tooManyRequests: () => stats.limited429 + stats.injected429,
    settled: () => (handling === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()))
        server.closeAllConnections()
      }),
  }
}

async function handle(
  state: ServerState,
  requests: RecordedRequest[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const target = new URL(req.url ?? '/', 'http://fake')
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
  const route = classify(target.pathname)
  const record: RecordedRequest = {
    method: req.method ?? 'GET',
    path: target.pathname,
    query: Object.fromEntries(target.searchParams),
    headers,
    body: undefined,
    endpoint: route.endpoint,
    status: 0,
    time: state.now(),
  }
  requests.push(record)
  const send = (reply: Reply): void => {
    const echo: Record<string, string> = headers['x-request-id'] ? { 'X-Request-Id': headers['x-request-id'] } : {}
    record.status = reply.status
    if (res.destroyed) return
    if (reply.raw !== undefined) res.writeHead(reply.status, { ...reply.headers, ...echo }).end(reply.raw)
    else writeJson(res, reply.status, reply.body, { ...reply.headers, ...echo })
  }
  let raw: Buffer
  try {
    raw = await readBody(req)
  } catch {
    send(resultError('error', 'Request body too large (max 1 MiB)', 413))
    return
  }
  record.body = parseBody(headers['content-type'], raw)
  const fault = route.endpoint === 'unknown' ? undefined : state.faults.take(route.endpoint)
  if (fault?.kind === 'reset') {
    req.socket.destroy()
    return
  }
  if (fault?.kind === 'delay') await sleep(fault.delayMs)
  if (fault && fault.kind !== 'delay') {
    send(faultReply(state, fault))
    return
  }
  try {
    send(serve(state, route, record, target.searchParams))
  } catch (e) {
    send(resultError('error.internal', `fake UMAPI bug: ${String(e)}`, 500))
  }
}

function faultReply(state: ServerState, fault: Exclude<Fault, { kind: 'delay' | 'reset' }>): Reply {
  if (fault.kind === 'unauthorized') return unauthorizedReply()
  if (fault.kind === 'reply') return fault.reply
  if (fault.status === 429) {
    state.stats.injected429 += 1
    return tooManyRequestsReply(fault.retryAfter)
  }
  const reply: Reply = {
    status: fault.status,
    body: { error_code: `${fault.status}000`, message: http.STATUS_CODES[fault.status] ?? 'Injected fault' },
  }
  if (fault.retryAfter !== undefined) reply.headers = retryAfterHeaders(fault.retryAfter)
  return reply
}

function serve(state: ServerState, route: Route, record: RecordedRequest, query: URLSearchParams): Reply {
  if (route.endpoint === 'unknown') return resultError('error', `Not found: ${record.method} ${record.path}`, 404)
  if (record.method !== route.method) {
    return {
      ...resultError('error', `Method ${record.method} not allowed on ${record.path}; use ${route.method}`, 405),
      headers: { Allow: route.method },
    }
  }
  if (route.endpoint === 'status') return { status: 200, body: STATUS_BODY }
  if (route.endpoint === 'token') {
    const reply = state.tokens.issue(query, record.body)
    state.stats.tokensIssued = state.tokens.issued
    return reply
  }
  const gate = checkGate(record.headers, route.orgId ?? '', state.org.orgId, state.tokens)
  if (isReply(gate)) return gate
  const limited = state.limiter.check(gate.clientId, route.endpoint as LimitedEndpoint)
  if (limited) {
    state.stats.limited429 += 1
    return limited
  }
  switch (route.endpoint) {
    case 'users':
      return getUsers(state.org, route.page ?? '', query, state.sizes)
    case 'usersInGroup':
      return getUsersInGroup(state.org, route.page ?? '', route.name ?? '', query, state.sizes)
    case 'user':
      return getUser(state.org, route.name ?? '', query)
    case 'groups':
      return getGroups(state.org, route.page ?? '', state.sizes)
    case 'action':
      return postAction(state.org, query, record.headers['content-type'], record.body)
  }
}
