import type { OktaEndpoint } from './faults.js'

/** Per-minute limits by bucket (Okta's Workforce figures, okta-api.md §9). */
export const OKTA_DEFAULT_LIMITS: Record<OktaEndpoint, number> = { users: 600, groups: 500, members: 1000, token: 600 }

/** The `X-Rate-Limit-*` state of one bucket after counting a request. */
export interface BucketReading {
  limit: number
  remaining: number
  /** Epoch seconds when the window resets. */
  reset: number
  /** Whether this request is over the limit (answer 429). */
  over: boolean
}

/**
 * Okta's fixed per-minute windows, one per bucket, org-wide: every request counts (a 429 too), the
 * `X-Rate-Limit-*` headers report the bucket after counting it.
 */
export class OktaRateLimiter {
  private readonly windows = new Map<OktaEndpoint, { start: number; count: number }>()
  /** Most requests counted in any one window, by bucket (429s included: above the limit means a client overran it). */
  readonly busiest: Record<OktaEndpoint, number> = { users: 0, groups: 0, members: 0, token: 0 }

  constructor(
    private readonly limits: Record<OktaEndpoint, number>,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  count(bucket: OktaEndpoint): BucketReading {
    const now = this.now()
    const start = Math.floor(now / this.windowMs) * this.windowMs
    let window = this.windows.get(bucket)
    if (!window || window.start !== start) {
      window = { start, count: 0 }
      this.windows.set(bucket, window)
    }
    window.count++
    const limit = this.limits[bucket]
    this.busiest[bucket] = Math.max(this.busiest[bucket], window.count)
    return {
      limit,
      remaining: Math.max(0, limit - window.count),
      reset: Math.ceil((start + this.windowMs) / 1000),
      over: window.count > limit,
    }
  }

  /** The reading of a bucket without counting a request. */
  peek(bucket: OktaEndpoint): BucketReading {
    const now = this.now()
    const start = Math.floor(now / this.windowMs) * this.windowMs
    const window = this.windows.get(bucket)
    const count = window?.start === start ? window.count : 0
    const limit = this.limits[bucket]
    return {
      limit,
      remaining: Math.max(0, limit - count),
      reset: Math.ceil((start + this.windowMs) / 1000),
      over: false,
    }
  }
}
