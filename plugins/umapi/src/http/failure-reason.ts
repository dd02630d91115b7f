import type { HTTPError } from 'ky'
import { formatSeconds } from './format.js'

/** ky's `HTTPError` (by name: ky is loaded lazily, see umapi-http.ts). */
export function isHttpError(error: unknown): error is HTTPError {
  return error instanceof Error && error.name === 'HTTPError' && 'response' in error
}

/** ky's `TimeoutError` (by name). */
export function isTimeoutError(error: unknown): error is Error & { request: Request } {
  return error instanceof Error && error.name === 'TimeoutError' && 'request' in error
}

function causeCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && !code.startsWith('UND_ERR_')) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** What the core's network layer says about a failure (a `NetworkError` from `context.network.fetch`). */
export interface NetworkFacts {
  delivery: 'not-sent' | 'unknown'
  retryable: boolean
}

/** The delivery facts of a core `NetworkError`, or undefined for any other error. */
export function networkFacts(error: unknown): NetworkFacts | undefined {
  const e = error as { name?: unknown; delivery?: unknown; retryable?: unknown } | undefined
  if (e?.name !== 'NetworkError' || (e.delivery !== 'not-sent' && e.delivery !== 'unknown')) return undefined
  return { delivery: e.delivery, retryable: e.retryable === true }
}

/**
 * A failed attempt in a few words for retry and give-up messages: `HTTP 503`, `timed out after 120 s`,
 * the core's plain-language network message, or (with the bare global fetch) the socket error code.
 */
export function failureReason(error: unknown, timeoutMs: number): string {
  if (isHttpError(error)) return `HTTP ${error.response.status}`
  if (isTimeoutError(error)) return `timed out after ${formatSeconds(timeoutMs)}`
  if (networkFacts(error)) return (error as Error).message
  const code = causeCode(error)
  if (code === 'ECONNRESET' || code === 'EPIPE') return `connection reset (${code})`
  if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host name not found (${code})`
  if (code !== undefined) return `network error (${code})`
  return 'the connection failed'
}

/** Whether the request may have reached the server (so a write may have been applied). */
export function maybeDelivered(error: unknown): boolean {
  if (isHttpError(error)) return error.response.status === 502 || error.response.status === 504
  if (isTimeoutError(error)) return true
  const facts = networkFacts(error)
  if (facts) return facts.delivery === 'unknown'
  const code = causeCode(error)
  return !(code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
}
