/** Statuses UMAPI clients retry (umapi.md §8.3); 500 is deliberately not among them. */
export const RETRYABLE_STATUSES: readonly number[] = [429, 502, 503, 504]

/** True for an HTTP status worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.includes(status)
}

/**
 * Milliseconds a `Retry-After` header asks to wait: delta-seconds or an HTTP-date (relative to `nowMs`).
 * Undefined when absent, unparsable, or not in the future (the caller then backs off on its own).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Number(trimmed) * 1000
    return ms > 0 ? ms : undefined
  }
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  const ms = date - nowMs
  return ms > 0 ? ms : undefined
}

/**
 * umapi-client's backoff before attempt `failedAttempts + 1` when the server named no wait:
 * `2^(n-1) · 15 s` plus 0–5 s of jitter (15–20 s, 30–35 s, 60–65 s, …). `random` returns [0, 1).
 */
export function backoffDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  return 2 ** (failedAttempts - 1) * 15_000 + Math.floor(random() * 5_001)
}

/** Wait before the next attempt: the server's `Retry-After` when given, else {@link backoffDelayMs}. */
export function retryDelayMs(
  failedAttempts: number,
  retryAfter: string | null | undefined,
  nowMs: number,
  random?: () => number,
): number {
  return parseRetryAfter(retryAfter, nowMs) ?? backoffDelayMs(failedAttempts, random)
}
