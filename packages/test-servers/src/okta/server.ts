import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import https from 'node:https'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OktaDirectory } from './directory.js'
import { type OktaEndpoint, type OktaFault, OktaFaults } from './faults.js'
import { checkProof } from './dpop.js'
import { FakeAuthorizationServer } from './oauth.js'
import { type BucketReading, OKTA_DEFAULT_LIMITS, OktaRateLimiter } from './rate-limit.js'
import { listGroups, listMembers, listUsers, type OktaAnswer, oktaError } from './routes.js'
import type { FakeOkta, FakeOktaOptions, OktaRecordedRequest } from './types.js'

/** Which endpoint a path addresses (`/api/v1/groups/` with UST's trailing slash too). */
function classify(path: string): { endpoint: OktaEndpoint | 'other'; groupId?: string } {
  const clean = path.replace(/\/+$/, '')
  if (clean === '/api/v1/users') return { endpoint: 'users' }
  if (clean === '/api/v1/groups') return { endpoint: 'groups' }
  if (clean === '/oauth2/v1/token') return { endpoint: 'token' }
  const members = /^\/api\/v1\/groups\/([^/]+)\/users$/.exec(clean)
  if (members) return { endpoint: 'members', groupId: decodeURIComponent(members[1] ?? '') }
  return { endpoint: 'other' }
}

/** Scope each endpoint needs with an OAuth access token. */
const SCOPE: Record<string, string> = {
  users: 'okta.users.read',
  groups: 'okta.groups.read',
  members: 'okta.groups.read',
}

interface State {
  directory: OktaDirectory
  faults: OktaFaults
  limiter: OktaRateLimiter
  oauth: FakeAuthorizationServer
  token: string
  url: string
  limited: number
  now: () => number
}

/**
 * Starts a fake Okta org on 127.0.0.1 over HTTPS (okta-api.md): SSWS and OAuth (private_key_jwt) auth,
 * `/api/v1/users` (limit ≤ 200, `filter`), `/api/v1/groups?q=`, `/api/v1/groups/{id}/users`, cursor
 * paging with absolute `Link` headers, per-bucket minute limits with `X-Rate-Limit-*` on every reply,
 * Okta's error bodies, and injected faults (429, 5xx, resets, truncated pages).
 */
export async function startFakeOkta(options: FakeOktaOptions): Promise<FakeOkta> {
  const now = options.now ?? Date.now
  const events = new EventEmitter()
  const requests: OktaRecordedRequest[] = []
  const limits = { ...OKTA_DEFAULT_LIMITS, ...options.limits }
  const state: State = {
    directory: new OktaDirectory(),
    faults: new OktaFaults(),
    limiter: new OktaRateLimiter(limits, options.windowMs ?? 60_000, now),
    oauth: new FakeAuthorizationServer(options.app, now),
    token: options.token ?? `00fake${randomBytes(18).toString('base64url')}`,
    url: '',
    limited: 0,
    now,
  }
  const server = https.createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    handle(state, req, res)
      .then((record) => {
        requests.push(record)
        events.emit('served', record)
      })
      .catch((error: unknown) => {
        if (!res.headersSent) send(res, oktaError(500, 'E0000009', `fake Okta bug: ${String(error)}`), undefined)
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  state.url = `https://127.0.0.1:${port}`
  return {
    url: state.url,
    host: `127.0.0.1:${port}`,
    token: state.token,
    directory: state.directory,
    faults: state.faults,
    requests,
    busiestWindow: (bucket) =>
      bucket ? state.limiter.busiest[bucket] : Math.max(...Object.values(state.limiter.busiest)),
    limits,
    limited: () => state.limited,
    served: (match) =>
      new Promise((resolve) => {
        const listener = (record: OktaRecordedRequest) => {
          if (!match(record)) return
          events.off('served', listener)
          resolve(record)
        }
        events.on('served', listener)
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()))
        server.closeAllConnections()
      }),
  }
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))
}

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<OktaRecordedRequest> {
  const url = new URL(req.url ?? '/', state.url)
  const { endpoint, groupId } = classify(url.pathname)
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v
  const record: OktaRecordedRequest = {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    endpoint,
    headers,
    status: 0,
  }
  const form = endpoint === 'token' ? await readForm(req) : {}
  if (endpoint === 'other') {
    record.status = send(
      res,
      oktaError(404, 'E0000022', 'The endpoint does not support the provided HTTP method'),
      undefined,
    )
    return record
  }
  const reading = state.limiter.count(endpoint)
  const fault = state.faults.take(endpoint)
  if (fault) return injectFault(fault, res, reading, record)
  if (reading.over) {
    state.limited++
    record.status = send(
      res,
      oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'),
      reading,
    )
    return record
  }
  const answer = route(state, endpoint, url, req, form, groupId)
  record.status = send(res, answer, reading)
  if (Array.isArray(answer.body)) record.items = answer.body.length
  return record
}

function route(
  state: State,
  endpoint: OktaEndpoint,
  url: URL,
  req: IncomingMessage,
  form: Record<string, string>,
  groupId: string | undefined,
): OktaAnswer {
  if (endpoint === 'token') {
    if (req.method !== 'POST')
      return oktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method')
    return state.oauth.token(form, `${state.url}/oauth2/v1/token`, header(req, 'dpop'))
  }
  if (req.method !== 'GET') return oktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method')
  const refused = authProblem(state, endpoint, req, url)
  if (refused) return refused
  if (endpoint === 'users') return listUsers(state.directory, url)
  if (endpoint === 'groups') return listGroups(state.directory, url)
  return listMembers(state.directory, url, groupId ?? '')
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

function authProblem(state: State, endpoint: OktaEndpoint, req: IncomingMessage, url: URL): OktaAnswer | undefined {
  const invalid = oktaError(401, 'E0000011', 'Invalid token provided')
  const authorization = req.headers.authorization
  if (!authorization) return oktaError(401, 'E0000005', 'Invalid session')
  const [scheme, value] = authorization.split(' ', 2)
  if (scheme === 'SSWS') return value === state.token ? undefined : invalid
  if ((scheme !== 'Bearer' && scheme !== 'DPoP') || !value) return invalid
  const issued = state.oauth.issued(value)
  if (!issued) return invalid
  // A DPoP-bound token needs the DPoP scheme and a fresh proof by its key; a Bearer token is not DPoP.
  if ((scheme === 'DPoP') !== (issued.dpopKey !== undefined)) return invalid
  if (issued.dpopKey) {
    const proof = checkProof(
      header(req, 'dpop'),
      { htm: req.method ?? 'GET', htu: `${url.origin}${decodeURI(url.pathname)}`, accessToken: value },
      state.now(),
    )
    if ('problem' in proof || proof.key !== issued.dpopKey) return invalid
  }
  const needed = SCOPE[endpoint]
  return needed && !issued.scopes.has(needed)
    ? oktaError(403, 'E0000006', 'You do not have permission to perform the requested action')
    : undefined
}

function injectFault(
  fault: OktaFault,
  res: ServerResponse,
  reading: BucketReading,
  record: OktaRecordedRequest,
): OktaRecordedRequest {
  if (fault.kind === 'reset') {
    res.socket?.destroy()
    return record
  }
  if (fault.kind === 'truncate') {
    const body = JSON.stringify([{ id: '00utruncated', status: 'ACTIVE', profile: { email: 'cut@example.test' } }])
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) })
    res.write(body.slice(0, Math.floor(body.length / 2)))
    res.socket?.destroy()
    return record
  }
  if (fault.kind === 'rate-limit') {
    record.status = send(res, oktaError(429, 'E0000047', 'API call exceeded rate limit due to too many requests.'), {
      ...reading,
      remaining: 0,
    })
    return record
  }
  const status = fault.status ?? 500
  const code = status === 401 ? 'E0000011' : 'E0000009'
  record.status = send(
    res,
    oktaError(status, code, status === 401 ? 'Invalid token provided' : 'Internal Server Error'),
    reading,
  )
  return record
}

/** Writes an answer with Okta's headers; returns the status. */
function send(res: ServerResponse, answer: OktaAnswer, reading: BucketReading | undefined): number {
  res.setHeader('Content-Type', 'application/json')
  res.setHeader('X-Okta-Request-Id', randomBytes(8).toString('hex'))
  if (reading) {
    res.setHeader('X-Rate-Limit-Limit', String(reading.limit))
    res.setHeader('X-Rate-Limit-Remaining', String(reading.remaining))
    res.setHeader('X-Rate-Limit-Reset', String(reading.reset))
  }
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value)
  if (Array.isArray(answer.body)) {
    const links = [
      `<${res.req.url ? new URL(res.req.url, `https://${res.req.headers.host}`).toString() : ''}>; rel="self"`,
    ]
    if (answer.next) links.push(`<${answer.next}>; rel="next"`)
    res.setHeader('Link', links)
  }
  res.writeHead(answer.status)
  res.end(JSON.stringify(answer.body))
  return answer.status
}
