/**
 * Milliseconds a `Retry-After` header asks to wait: seconds (Graph may send fractions, e.g. `2.128`) or
 * an HTTP date. Undefined when absent or unusable (the caller then backs off exponentially).
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Math.ceil(Number(trimmed) * 1000)
    return ms > 0 ? ms : undefined
  }
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  const ms = date - nowMs
  return ms > 0 ? ms : undefined
}

/** Exponential backoff when Graph names no wait: 2, 4, 8, … seconds (at most a minute) plus up to 1 s of jitter. */
export function backoffMs(failedAttempts: number, random: () => number = Math.random): number {
  return Math.min(60_000, 2 ** failedAttempts * 1000) + Math.floor(random() * 1000)
}

/** Statuses worth another try: throttling and unavailability (graph-api.md §11). */
export const RETRYABLE_STATUSES: readonly number[] = [429, 502, 503, 504]
