import http, { type IncomingMessage } from 'node:http'
import https from 'node:https'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { TlsClientCertificate } from './client-certificates.js'

/** How long a reply may stay silent (no headers, or no body data) before the request fails; undici's default. */
const REPLY_TIMEOUT_MS = 300_000
const MAX_REDIRECTS = 20
/** Statuses whose response has no body (Fetch standard). */
const NULL_BODY = new Set([101, 103, 204, 205, 304])
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/**
 * Most bytes a compressed reply may decode to. A few hundred kilobytes of gzip can expand to gigabytes (a
 * "zip bomb"); the largest UMAPI page is about a megabyte.
 */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024
const bounded = { maxOutputLength: MAX_DECODED_BYTES }
type Decode = (data: Buffer, options: zlib.ZlibOptions) => Promise<Buffer>
const gunzip = promisify(zlib.gunzip) as Decode
const brotli = promisify(zlib.brotliDecompress) as Decode
const inflate = promisify(zlib.inflate) as Decode
const inflateRaw = promisify(zlib.inflateRaw) as Decode

const decoders: Record<string, (data: Buffer) => Promise<Buffer>> = {
  gzip: (data) => gunzip(data, bounded),
  'x-gzip': (data) => gunzip(data, bounded),
  br: (data) => brotli(data, bounded),
  // "deflate" is meant to be zlib-wrapped, but some servers send it raw (Fetch accepts both).
  deflate: (data) =>
    inflate(data, bounded).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ERR_BUFFER_TOO_LARGE') throw error
      return inflateRaw(data, bounded)
    }),
}

/** How a request's TLS goes, decided per URL (redirects included). */
export interface RouteTls {
  /** False: this host's certificate is not verified (`ssl_verify: false` for it). */
  verifyTls: boolean
  /** The client certificate offered to this host (`network.client_certificates`). */
  clientCertificate?: TlsClientCertificate
}

/** The reply did not come (or stalled) within {@link REPLY_TIMEOUT_MS}; the network layer words it. */
class ReplyTimeoutError extends Error {
  readonly code = 'UST_REPLY_TIMEOUT'
}

/** The reply's body is not valid in its `Content-Encoding`; the network layer words it. */
class UndecodableReplyError extends Error {
  readonly code = 'UST_UNDECODABLE_REPLY'
}

/**
 * Request headers kept when a redirect leaves the origin: any other (`Authorization`, `Cookie`,
 * `X-Api-Key`, a proxy's or a vendor's token header) may carry a credential meant for the first host.
 */
const CROSS_ORIGIN_SAFE_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'content-type',
  'content-length',
  'user-agent',
])

/** Methods Fetch upper-cases (any other is sent as written). */
const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'])
const NEVER_ABORTED = new AbortController().signal

/** What one exchange sends: the request's parts, read once. */
interface Outgoing {
  method: string
  headers: Headers
  body: Buffer | undefined
  signal: AbortSignal
  redirect: RequestRedirect
}

async function outgoing(input: string | URL | Request, init: RequestInit | undefined): Promise<[URL, Outgoing]> {
  // ky hands over a ready Request (and `{}` for the options fetch does not know): use it as it is.
  if (!(input instanceof Request) && (init?.body == null || typeof init.body === 'string')) {
    // A URL and a text body (or none): read as it is, without building a Request.
    const headers = new Headers(init?.headers)
    const text = init?.body ?? undefined
    if (text !== undefined && !headers.has('content-type')) headers.set('content-type', 'text/plain;charset=UTF-8')
    const method = init?.method ?? 'GET'
    return [
      new URL(String(input)),
      {
        method: STANDARD_METHODS.has(method.toUpperCase()) ? method.toUpperCase() : method,
        headers,
        body: text === undefined ? undefined : Buffer.from(text),
        signal: init?.signal ?? NEVER_ABORTED,
        redirect: init?.redirect ?? 'follow',
      },
    ]
  }
  const request =
    input instanceof Request && (init === undefined || Object.keys(init).length === 0)
      ? input
      : new Request(input, init)
  const body = request.body ? await readWhole(request.body) : undefined
  const { method, headers, signal, redirect } = request
  return [new URL(request.url), { method, headers, body, signal, redirect }]
}

/**
 * A request body's bytes, read with a reader that is then released: ky cancels the body of every request
 * it sent, and cancelling a body `arrayBuffer()` read (locked for good) fails with an error whose stack is
 * captured: ~0.2 ms of CPU per request through ky (2,000 POSTs: ~2.15 -> ~1.69 s), for nothing.
 */
async function readWhole(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  try {
    for (let part = await reader.read(); !part.done; part = await reader.read()) chunks.push(part.value)
  } finally {
    reader.releaseLock()
  }
  return Buffer.concat(chunks)
}

/**
 * {@link exchange} after a full turn of the event loop. A reply handled late (ust busy for seconds, e.g.
 * mapping a large directory while the org is read) frees its kept-alive connection at once, but the
 * server may have dropped that connection meanwhile: its close is queued behind the reply. Sent straight
 * away, the next request would go on the dead connection and fail as a reset (for UMAPI: a read retried
 * after 15 s or more, a write of unknown outcome). Within one full turn the close is read (poll phase) and
 * the connection leaves the pool (close phase), so the request goes on a live or a new connection.
 */
async function exchangeAfterLoopTurn(
  url: URL,
  out: Outgoing,
  tls: RouteTls,
  maxReplyBytes: number,
): Promise<{ reply: IncomingMessage; data: Buffer[] }> {
  // Two check phases: the first may come before this turn's close phase.
  for (let check = 0; check < 2; check++) await new Promise((resolve) => setImmediate(resolve))
  return exchange(url, out, tls, maxReplyBytes)
}

/** Sends one request and reads its reply whole (decoded as its `Content-Encoding` says). */
function exchange(
  url: URL,
  out: Outgoing,
  tls: RouteTls,
  maxReplyBytes: number,
): Promise<{ reply: IncomingMessage; data: Buffer[] }> {
  const headers: Record<string, string> = {}
  for (const [name, value] of out.headers) headers[name] = value
  headers.accept ??= '*/*'
  headers['accept-encoding'] ??= 'gzip, deflate, br'
  if (out.body) headers['content-length'] = String(out.body.length)
  const send = url.protocol === 'https:' ? https.request : http.request
  return new Promise((resolve, reject) => {
    if (out.signal.aborted) return reject(out.signal.reason)
    // The global agents: keep-alive, and the proxy and `no_proxy` applyNetwork installed. TLS verification
    // switched off, or a client certificate, applies to this request only: the agent keeps such sockets apart.
    const req = send(url, {
      method: out.method,
      headers,
      ...(tls.verifyTls ? {} : { rejectUnauthorized: false }),
      ...tls.clientCertificate,
    })
    const onAbort = () => req.destroy(out.signal.reason)
    out.signal.addEventListener('abort', onAbort, { once: true })
    const fail = (error: unknown) => {
      out.signal.removeEventListener('abort', onAbort)
      reject(out.signal.aborted ? out.signal.reason : new TypeError('fetch failed', { cause: error }))
    }
    req.setTimeout(REPLY_TIMEOUT_MS, () =>
      req.destroy(new ReplyTimeoutError(`no reply from ${url.host} within ${REPLY_TIMEOUT_MS / 1000} s`)),
    )
    req.on('error', fail)
    req.on('response', (reply) => {
      const chunks: Buffer[] = []
      let size = 0
      reply.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > maxReplyBytes) {
          const limit = `${maxReplyBytes / 2 ** 20} MiB`
          reply.destroy()
          return fail(new UndecodableReplyError(`the reply is larger than ${limit} (network.max_reply_mb)`))
        }
        chunks.push(chunk)
      })
      reply.on('error', fail)
      reply.on('end', () => {
        out.signal.removeEventListener('abort', onAbort)
        const decode = chunks.length > 0 ? decoders[String(reply.headers['content-encoding']).toLowerCase()] : undefined
        if (!decode) return resolve({ reply, data: chunks })
        decode(Buffer.concat(chunks)).then(
          (data) => resolve({ reply, data: [data] }),
          (error: NodeJS.ErrnoException) =>
            fail(
              new UndecodableReplyError(
                `${reply.headers['content-encoding']}: ${error.code === 'ERR_BUFFER_TOO_LARGE' ? `it decodes to more than ${MAX_DECODED_BYTES / 2 ** 20} MiB` : error.message}`,
              ),
            ),
        )
      })
    })
    req.end(out.body)
  })
}

function toResponse(url: URL, reply: IncomingMessage, data: Buffer[], method: string, redirected: boolean): Response {
  const status = reply.statusCode ?? 0
  const headers = new Headers()
  const raw = reply.rawHeaders
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!)
  // The body is decoded already: what is left must not claim otherwise.
  headers.delete('content-encoding')
  headers.delete('content-length')
  const empty = NULL_BODY.has(status) || method === 'HEAD'
  // The chunks as they came, behind a stream: a Uint8Array body would be copied once more.
  const body = empty
    ? null
    : new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of data) controller.enqueue(chunk)
          controller.close()
        },
      })
  const response = new Response(body, { status, statusText: reply.statusMessage ?? '', headers })
  Object.defineProperties(response, { url: { value: url.href }, redirected: { value: redirected } })
  return response
}

/**
 * `fetch` on `node:http`/`node:https` with their global agents, so it goes through the proxy and trusts
 * the CAs the network layer applied process-wide, like the global `fetch` does, for about half its CPU
 * per request (2,000 POSTs to a bare HTTPS server: ~1.1 s instead of ~2.1 s; through ky ~2.3 s instead
 * of ~4 s), which is a large part of a large sync's cost.
 *
 * What differs from the global `fetch`: the reply's body is read whole before the `Response` is
 * returned (no streaming; gzip, deflate and br are decoded), and a reply silent for 300 s fails with a
 * {@link ReplyTimeoutError}; a reply of more than `maxReplyBytes` (before decoding; default and decoded cap
 * {@link MAX_DECODED_BYTES}) fails as undecodable. Redirects follow `redirect` ('follow' keeps only
 * {@link CROSS_ORIGIN_SAFE_HEADERS} when the origin changes: no `Authorization`, cookie or API key, and turns a POST into a GET on 301/302/303). Other failures reject, as fetch
 * does, with `TypeError('fetch failed')` whose `cause` is Node's error; an abort rejects with the
 * signal's reason. `route` is asked about every URL before it is contacted, redirects included: it throws
 * to refuse one, and returns whether its TLS certificate is verified (false: for this request only) and the
 * client certificate to offer it.
 */
export async function nodeFetch(
  input: string | URL | Request,
  init: RequestInit | undefined,
  route: (url: URL) => RouteTls,
  maxReplyBytes = MAX_DECODED_BYTES,
): Promise<Response> {
  let [url, out] = await outgoing(input, init)
  for (let hops = 0; ; hops++) {
    const { reply, data } = await exchangeAfterLoopTurn(url, out, route(url), maxReplyBytes)
    const location = reply.headers.location
    if (!REDIRECTS.has(reply.statusCode ?? 0) || location === undefined || out.redirect === 'manual')
      return toResponse(url, reply, data, out.method, hops > 0)
    const next = new URL(location, url)
    if (out.redirect === 'error' || hops >= MAX_REDIRECTS)
      // The target's origin only: a Location may carry credentials or tokens in its path or query.
      throw new TypeError('fetch failed', { cause: new Error(`redirect to ${next.origin} not followed`) })
    out = redirection(out, url, next, reply.statusCode ?? 0)
    url = next
  }
}

/**
 * The request that follows a redirect (`status`) from `url` to `next`: only the cross-origin-safe headers
 * to another origin, and a GET without body after a 303 (but HEAD), or after a 301/302 of a POST.
 */
function redirection(out: Outgoing, url: URL, next: URL, status: number): Outgoing {
  const headers = new Headers(out.headers)
  if (next.origin !== url.origin)
    for (const name of [...headers.keys()]) if (!CROSS_ORIGIN_SAFE_HEADERS.has(name)) headers.delete(name)
  const toGet = status === 303 ? out.method !== 'HEAD' : out.method === 'POST' && (status === 301 || status === 302)
  if (toGet) for (const name of ['content-type', 'content-length']) headers.delete(name)
  return { ...out, headers, method: toGet ? 'GET' : out.method, body: toGet ? undefined : out.body }
}
