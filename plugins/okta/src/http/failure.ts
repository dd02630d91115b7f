import type { HTTPError } from 'ky'

/** ky's `HTTPError` (by name: ky is imported lazily). */
export function isHttpError(error: unknown): error is HTTPError {
  return error instanceof Error && error.name === 'HTTPError' && 'response' in error
}

/** ky's `TimeoutError` (by name). */
export function isTimeoutError(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError'
}

/** The delivery facts of the core's `NetworkError`, or undefined for another error. */
export function networkFacts(error: unknown): { delivery: 'not-sent' | 'unknown'; retryable: boolean } | undefined {
  const e = error as { name?: unknown; delivery?: unknown; retryable?: unknown } | undefined
  if (e?.name !== 'NetworkError' || (e.delivery !== 'not-sent' && e.delivery !== 'unknown')) return undefined
  return { delivery: e.delivery, retryable: e.retryable === true }
}

function socketCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/** A failed attempt in a few words: `HTTP 503`, `timed out after 60 s`, the network layer's message. */
export function failureReason(error: unknown, timeoutMs: number): string {
  if (isHttpError(error)) return `HTTP ${error.response.status}`
  if (isTimeoutError(error)) return `timed out after ${Math.round(timeoutMs / 1000)} s`
  if (networkFacts(error)) return (error as Error).message
  const code = socketCode(error)
  return code ? `network error (${code})` : error instanceof Error ? error.message : String(error)
}
