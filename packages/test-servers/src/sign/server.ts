import { randomBytes } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { FakeSignAccount } from './account.js'
import { type SignEndpoint, SignFaultQueue, type SignFault } from './faults.js'
import { routeOf, type SignReply, SignRoutes, signError } from './routes.js'

const API = '/api/rest/v6/'

/** Options of {@link startFakeSign}. */
export interface FakeSignOptions {
  /** Serve HTTPS with this key/cert (a `createTestCa()`'s); plain HTTP when absent. */
  tls?: { key: string | Buffer; cert: string | Buffer }
  /** The only valid bearer token (an integration key); default `fake-sign-integration-key`. */
  integrationKey?: string
  /** The most items a page holds (a larger `pageSize` is served this many); default 100. `pageSize` above 1000 is refused. */
  pageSize?: number
  /** Name of the Default Group; default `Default Group`. */
  defaultGroup?: string
  /**
   * "Users in Multiple Groups" (UMG): a `PUT /users/{id}/groups` merges by group id (`status: DELETED`
   * removes one). Default false: one group per user, and a PUT naming a new primary group moves the user.
   */
  multiGroup?: boolean
  /**
   * OAuth 2.0: the one client and refresh token `POST /oauth/v2/refresh` (form-encoded,
   * `grant_type=refresh_token`) accepts; access tokens it issues work like the integration key until they
   * expire (`tokenLifetimeSeconds`, default 3600).
   */
  oauth?: { clientId: string; clientSecret: string; refreshToken: string; tokenLifetimeSeconds?: number }
}

/** One request as the fake saw it (the Authorization header is kept out). */
export interface SignRequest {
  method: string
  host: 'entry' | 'regional'
  path: string
  endpoint: SignEndpoint | 'unknown'
  body: unknown
  status: number
}

/** A running fake Acrobat Sign server. */
export interface FakeSign {
  /** The entry host (UST's `host`), e.g. `https://127.0.0.1:PORT`: only `GET /api/rest/v6/baseUris` works there. */
  url: string
  /** `host:port` of the entry host, as written in `connector-sign.yml`. */
  host: string
  /** The account's regional API access point (`apiAccessPoint`), another port, with its trailing slash. */
  apiAccessPoint: string
  account: FakeSignAccount
  faults: SignFaultQueue
  /** Every request, in arrival order. */
  requests: SignRequest[]
  /** Requests answered per endpoint since the last {@link resetCounts}. */
  counts(): Partial<Record<SignEndpoint, number>>
  /** Total requests since the last {@link resetCounts}. */
  total(): number
  resetCounts(): void
  /** Resolves when a request matching `test` has been answered (or was already). */
  served(test: (r: SignRequest) => boolean): Promise<SignRequest>
  close(): Promise<void>
}

/**
 * Starts a fake Acrobat Sign REST v6 API on 127.0.0.1 (reference: sign-api.md §15): an entry host
 * answering `baseUris` and a regional access point (another port) serving users, a user's groups, user
 * state and groups, with cursor paging, bearer integration-key auth (401 `NO_AUTHORIZATION_HEADER` /
 * `INVALID_ACCESS_TOKEN`), `{code, message}` errors, `INVALID_API_ACCESS_POINT` for API calls on the entry
 * host, and fault injection (429 with `Retry-After` and body `retryAfter`, error statuses, resets).
 */
export async function startFakeSign(options: FakeSignOptions = {}): Promise<FakeSign> {
  const key = options.integrationKey ?? 'fake-sign-integration-key'
  const account = new FakeSignAccount(options.defaultGroup)
  const routes = new SignRoutes(account, options.pageSize ?? 100, options.multiGroup ?? false)
  const faults = new SignFaultQueue()
  const requests: SignRequest[] = []
  let counts: Partial<Record<SignEndpoint, number>> = {}
  const waiters: { test: (r: SignRequest) => boolean; resolve: (r: SignRequest) => void }[] = []
  const scheme = options.tls ? 'https' : 'http'
  let regionalUrl = ''
  /** OAuth access tokens issued, with their expiry (ms since the epoch). */
  const issued = new Map<string, number>()
  const validToken = (auth: string | undefined) => {
    if (auth === `Bearer ${key}`) return true
    const expiry = auth?.startsWith('Bearer ') ? issued.get(auth.slice(7)) : undefined
    return expiry !== undefined && Date.now() < expiry
  }
  const refresh = (body: unknown): SignReply => {
    const form = new URLSearchParams(typeof body === 'string' ? body : '')
    const o = options.oauth
    if (!o || form.get('grant_type') !== 'refresh_token')
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'grant_type must be refresh_token' },
      }
    if (form.get('client_id') !== o.clientId || form.get('client_secret') !== o.clientSecret)
      return { status: 401, body: { error: 'invalid_client', error_description: 'unknown client' } }
    if (form.get('refresh_token') !== o.refreshToken)
      return { status: 400, body: { error: 'invalid_grant', error_description: 'refresh token invalid or expired' } }
    const lifetime = o.tokenLifetimeSeconds ?? 3600
    const token = `oauth-${randomBytes(12).toString('hex')}`
    issued.set(token, Date.now() + lifetime * 1000)
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: lifetime } }
  }

  const answered = (record: SignRequest): void => {
    if (record.endpoint !== 'unknown') counts[record.endpoint] = (counts[record.endpoint] ?? 0) + 1
    for (const w of waiters.filter((x) => x.test(record))) {
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve(record)
    }
  }

  const handler = (host: 'entry' | 'regional') => (req: IncomingMessage, res: ServerResponse) => {
    void readJson(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://x')
      const route = url.pathname.startsWith(API)
        ? routeOf(req.method ?? 'GET', url.pathname.slice(API.length))
        : undefined
      const record: SignRequest = {
        method: req.method ?? 'GET',
        host,
        path: url.pathname,
        endpoint: route?.endpoint ?? 'unknown',
        body,
        status: 0,
      }
      requests.push(record)
      if (url.pathname === '/oauth/v2/refresh' && req.method === 'POST') {
        const reply = refresh(body)
        record.status = reply.status
        send(res, reply)
        answered(record)
        return
      }
      const fault = route ? faults.take(route.endpoint) : undefined
      if (fault?.kind === 'reset') {
        req.socket.destroy()
        answered(record)
        return
      }
      const reply = answer(fault, req, body, host, route, url)
      record.status = reply.status
      send(res, reply)
      answered(record)
    })
  }

  const answer = (
    fault: SignFault | undefined,
    req: IncomingMessage,
    body: unknown,
    host: 'entry' | 'regional',
    route: ReturnType<typeof routeOf>,
    url: URL,
  ): SignReply => {
    const auth = req.headers.authorization
    if (!auth) return signError(401, 'NO_AUTHORIZATION_HEADER', 'The Authorization header was not provided')
    if (!validToken(auth))
      return signError(401, 'INVALID_ACCESS_TOKEN', 'Access token provided is invalid or has expired')
    if (!route) return signError(404, 'NOT_FOUND', `No such API: ${req.method} ${url.pathname}`)
    if (fault?.kind === 'throttle')
      return {
        status: 429,
        headers: { 'retry-after': String(fault.retryAfter) },
        body: {
          code: 'THROTTLING_TOO_MANY_REQUESTS',
          message: `Too many requests (apiActionId=fake-${requests.length})`,
          retryAfter: fault.retryAfter,
        },
      }
    if (fault?.kind === 'status') return signError(fault.status, fault.code, `Injected ${fault.code}`)
    if (route.endpoint === 'baseUris')
      return {
        status: 200,
        body: { apiAccessPoint: regionalUrl, webAccessPoint: regionalUrl.replace('://', '://secure.') },
      }
    if (host === 'entry')
      return signError(400, 'INVALID_API_ACCESS_POINT', 'Call GET /baseUris and use the apiAccessPoint it returns')
    return routes.handle({
      endpoint: route.endpoint,
      method: req.method ?? 'GET',
      query: url.searchParams,
      body,
      ...(route.id ? { id: route.id } : {}),
    })
  }

  const listen = async (h: ReturnType<typeof handler>) => {
    const server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, h)
      : http.createServer(h)
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    return server
  }
  const entry = await listen(handler('entry'))
  const regional = await listen(handler('regional'))
  const port = (s: http.Server) => (s.address() as AddressInfo).port
  regionalUrl = `${scheme}://127.0.0.1:${port(regional)}/`
  const stop = (s: http.Server) =>
    new Promise<void>((resolve) => {
      s.closeAllConnections()
      s.close(() => resolve())
    })
  return {
    url: `${scheme}://127.0.0.1:${port(entry)}`,
    host: `127.0.0.1:${port(entry)}`,
    apiAccessPoint: regionalUrl,
    account,
    faults,
    requests,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((n, c) => n + (c ?? 0), 0),
    resetCounts: () => {
      counts = {}
    },
    served: (test) => {
      const seen = requests.find((r) => r.status !== 0 && test(r))
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve) => waiters.push({ test, resolve }))
    },
    close: async () => {
      await Promise.all([stop(entry), stop(regional)])
    },
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  if (chunks.length === 0) return undefined
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function send(res: ServerResponse, reply: SignReply): void {
  const headers: Record<string, string> = { ...reply.headers }
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers)
    res.end()
    return
  }
  const text = JSON.stringify(reply.body)
  res.writeHead(reply.status, { ...headers, 'content-type': 'application/json;charset=UTF-8' })
  res.end(text)
}
