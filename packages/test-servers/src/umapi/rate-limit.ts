import type { LimitedEndpoint } from './types.js'
import type { Reply } from './reply.js'

/** Documented per-client limits per minute (umapi.md §8.1). */
export const DEFAULT_LIMITS: Record<LimitedEndpoint, number> = {
  action: 10,
  users: 25,
  usersInGroup: 25,
  user: 25,
  groups: 5,
}

/**
 * Per-client, per-endpoint sliding-window limiter with a penalty. A request is allowed when fewer
 * than `limit` requests of that client to that endpoint were allowed within the last `windowMs`.
 * The first refused request starts a penalty of `retryAfterSeconds`: until it ends, every request of
 * that client to that endpoint gets 429 with `Retry-After` = the whole seconds left (at least 1), so a
 * client that retries before Retry-After is punished again. Refused requests do not count in the window.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>()
  private readonly blockedUntil = new Map<string, number>()
  /** Keys whose hits are not in time order (the injected clock went back). */
  private readonly unordered = new Set<string>()

  constructor(
    private readonly limits: Record<LimitedEndpoint, number>,
    private readonly windowMs: number,
    private readonly retryAfterSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts the request and returns undefined when allowed; the 429 reply when refused. */
  check(clientId: string, endpoint: LimitedEndpoint): Reply | undefined {
    const key = `${clientId}\u0000${endpoint}`
    const now = this.now()
    const blocked = this.blockedUntil.get(key) ?? 0
    if (now < blocked) return tooManyRequestsReply(Math.max(1, Math.ceil((blocked - now) / 1000)))
    const recent = this.recent(key, now)
    if (recent.length >= this.limits[endpoint]) {
      this.hits.set(key, recent)
      this.blockedUntil.set(key, now + this.retryAfterSeconds * 1000)
      return tooManyRequestsReply(Math.max(1, Math.ceil(this.retryAfterSeconds)))
    }
    if (recent.length > 0 && now < recent[recent.length - 1]!) this.unordered.add(key)
    recent.push(now)
    this.hits.set(key, recent)
    return undefined
  }

  /**
   * The times of `key`'s requests still within the window. They are kept in time order, so the expired
   * ones are a prefix (no pass over every hit per request: long benchmark runs); after a clock that went
   * back (injected `now`), every hit is checked.
   */
  private recent(key: string, now: number): number[] {
    const hits = this.hits.get(key) ?? []
    if (this.unordered.has(key)) return hits.filter((t) => now - t < this.windowMs)
    let expired = 0
    while (expired < hits.length && now - hits[expired]! >= this.windowMs) expired++
    if (expired > 0) hits.splice(0, expired)
    return hits
  }
}

/** The UMAPI throttle answer: 429 + Retry-After (seconds or HTTP-date) + `{"error_code":"429050",...}`. */
export function tooManyRequestsReply(retryAfter: number | Date | undefined): Reply {
  return {
    status: 429,
    headers: retryAfterHeaders(retryAfter),
    body: { error_code: '429050', message: 'Too many requests' },
  }
}

/** The `Retry-After` header (seconds, or an HTTP-date for a Date); no header without a value. */
export function retryAfterHeaders(retryAfter: number | Date | undefined): Record<string, string> {
  if (retryAfter === undefined) return {}
  return { 'Retry-After': retryAfter instanceof Date ? retryAfter.toUTCString() : String(retryAfter) }
}
