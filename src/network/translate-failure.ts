import { NetworkError } from '@ust-sync/api'
import { clientCertificateFor } from './client-certificates.js'
import { clientCertificateFailure } from './probe/client-certificate-failure.js'
import { failures } from './probe/failures.js'
import { probeEndpoint } from './probe/probe-endpoint.js'
import type { Failure } from './probe/types.js'
import { hostAndPort } from './route.js'
import type { NetworkSettings } from './settings.js'

/** Codes and messages along an error's `cause` chain, outermost first. */
function causes(error: unknown): { code?: string; message: string }[] {
  const out: { code?: string; message: string }[] = []
  let current: unknown = error
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    out.push({
      ...(typeof code === 'string' ? { code } : {}),
      message: current instanceof Error ? current.message : String(current),
    })
    current = (current as { cause?: unknown }).cause
  }
  return out
}

/** Wording from undici or Node that must never reach a user. */
const OPAQUE = /fetch failed|Request was cancelled|UND_ERR_|bad port/i

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])
const RESET_WORDS: Record<string, string> = {
  ECONNRESET: 'connection reset, ECONNRESET',
  EPIPE: 'broken pipe, EPIPE',
  ECONNABORTED: 'connection aborted, ECONNABORTED',
  UND_ERR_SOCKET: 'closed by the other side',
  UND_ERR_CLOSED: 'closed by the other side',
}

/** A reply that never came: undici's (the global fetch) and `nodeFetch`'s. */
const REPLY_TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UST_REPLY_TIMEOUT'])

/** Builds the `NetworkError` (exit 4) for a {@link Failure}. */
export function networkError(failure: Failure, cause?: unknown): NetworkError {
  return new NetworkError(failure.message, {
    code: failure.code,
    suggestions: failure.suggestions,
    delivery: failure.delivery,
    retryable: failure.retryable,
    ...(cause === undefined ? {} : { cause }),
  })
}

/**
 * Turns a failed `fetch` of `url` into a `NetworkError` that says what went wrong in plain words: a
 * reset or a reply timeout from the error itself; anything else (DNS, refused, proxy 407, proxy down,
 * untrusted/expired/mismatched certificate, undici's opaque "fetch failed"/"Request was cancelled") by
 * probing the endpoint the way the connection travels and reporting the first stage that fails.
 */
export async function translateFetchFailure(
  error: unknown,
  url: string,
  settings: NetworkSettings,
  options: { verifyTls: boolean; timeoutMs?: number },
): Promise<NetworkError> {
  const chain = causes(error)
  const codes = chain.map((c) => c.code).filter((c): c is string => c !== undefined)
  const parsed = new URL(url)
  const { host, port } = hostAndPort(parsed)
  const reset = codes.find((c) => RESET_CODES.has(c))
  // Node says "socket hang up" (ECONNRESET) when the other side closed the connection without replying.
  const hungUp = chain.some((c) => c.code === 'ECONNRESET' && c.message === 'socket hang up')
  if (reset !== undefined)
    return networkError(failures.reset(host, port, RESET_WORDS[hungUp ? 'UND_ERR_SOCKET' : reset] ?? reset), error)
  const undecodable = chain.find((c) => c.code === 'UST_UNDECODABLE_REPLY')
  if (undecodable) return networkError(failures.badEncoding(url, undecodable.message), error)
  const certificate = clientCertificateFailure(
    codes,
    host,
    port,
    clientCertificateFor(settings.clientCertificates, host),
  )
  if (certificate) return networkError(certificate, error)
  if (codes.some((c) => REPLY_TIMEOUT_CODES.has(c)))
    return networkError(failures.replyTimeout(url, options.timeoutMs ?? 300_000), error)
  const report = await probeEndpoint({ name: 'request', url, verifyTls: options.verifyTls }, settings, {
    timeoutMs: Math.min(options.timeoutMs ?? 10_000, 10_000),
    http: false,
  })
  const failed = report.stages.find((s) => s.failure)?.failure
  if (failed) return networkError(failed, error)
  const words = chain.map((c) => c.message).filter((m) => !OPAQUE.test(m))
  const code = codes.find((c) => !c.startsWith('UND_ERR_'))
  return networkError(
    failures.other(url, words[words.length - 1] ?? code ?? 'the connection failed for a reason Node does not tell'),
    error,
  )
}
