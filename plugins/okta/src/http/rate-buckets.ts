import { type Clock, type Logger, SourceError } from '@ust-sync/api'

/** Okta's rate-limit buckets ust reads from (okta-api.md §9): each has its own per-minute limit. */
export type BucketName = 'users' | 'groups' | 'group-members' | 'token'

/** The bucket a request URL counts against. */
export function bucketOf(url: string): BucketName {
  const path = new URL(url).pathname.replace(/\/+$/, '')
  if (path === '/api/v1/users') return 'users'
  if (path === '/api/v1/groups') return 'groups'
  if (path.startsWith('/oauth2/')) return 'token'
  return 'group-members'
}

interface BucketState {
  limit: number
  remaining: number
  /** When the window resets, ms since the epoch. */
  resetAt: number
}

/**
 * Proactive pacing from Okta's `X-Rate-Limit-Limit / -Remaining / -Reset` headers: before a request, when
 * its bucket has `reserve` calls or fewer left in the current window (a tenth of the limit, at least
 * one, left for the org's other integrations), ust waits for the window to reset instead of running into
 * a 429. Requests are sent one at a time, so the last reply's headers are current.
 */
export class RateBuckets {
  private readonly state = new Map<BucketName, BucketState>()
  /** Total time waited before requests, ms. */
  waitedMs = 0

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Longest wait for a reset; a longer one (a window far longer than Okta's minute) stops the read. */
    private readonly maxWaitMs: number,
    private readonly onWait: (until: number) => void = () => {},
  ) {}

  /** Records the headers of a reply (any status). */
  update(bucket: BucketName, headers: Headers): void {
    const limit = Number(headers.get('x-rate-limit-limit'))
    const remaining = Number(headers.get('x-rate-limit-remaining'))
    const reset = Number(headers.get('x-rate-limit-reset'))
    if (!headers.has('x-rate-limit-remaining') || !Number.isFinite(remaining) || !Number.isFinite(reset)) return
    this.state.set(bucket, {
      limit: Number.isFinite(limit) && limit > 0 ? limit : remaining,
      remaining,
      resetAt: reset * 1000,
    })
  }

  /** When the bucket's window resets (ms since the epoch), if known. */
  resetAt(bucket: BucketName): number | undefined {
    return this.state.get(bucket)?.resetAt
  }

  /** Waits, when needed, until a request to `bucket` stays within the limit. */
  async admit(bucket: BucketName): Promise<void> {
    const state = this.state.get(bucket)
    if (!state) return
    const reserve = Math.max(1, Math.floor(state.limit / 10))
    const now = this.clock.now()
    if (state.remaining > reserve || now >= state.resetAt) {
      state.remaining -= 1
      return
    }
    // One more second: Okta's reset time is whole seconds and the clocks may differ a little.
    const wait = state.resetAt - now + 1000
    if (wait > this.maxWaitMs)
      throw new SourceError(
        `Okta's ${bucket} rate limit is spent (${state.remaining} of ${state.limit} left) and resets in ${Math.ceil(wait / 1000)} s, longer than ${Math.round(this.maxWaitMs / 1000)} s: stopping before anything is changed`,
        {
          code: 'source.okta.rate-limited',
          suggestions: ["Another integration may be using the org's API rate limit: run the sync again later."],
        },
      )
    this.logger.info(
      `Okta rate limit: ${state.remaining} of ${state.limit} ${bucket} requests left in this minute; waiting ${Math.ceil(wait / 1000)} s for the window to reset`,
    )
    this.onWait(now + wait)
    this.waitedMs += wait
    await this.clock.sleep(wait)
    this.state.delete(bucket)
  }
}
