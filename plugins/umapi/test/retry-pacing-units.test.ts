import { describe, expect, it } from 'vitest'
import type { Clock } from '@ust-sync/api'
import { Pacer } from '../src/http/pacer.js'
import { backoffDelayMs, parseRetryAfter, retryDelayMs } from '../src/http/retry-policy.js'
import { refreshMarginMs } from '../src/auth/token-provider.js'

/** A virtual clock: sleeping advances time instantly. */
function virtualClock(): Clock & { t: number } {
  const clock = {
    t: 1_000_000,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms
    },
  }
  return clock
}

describe('retry policy', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-27T10:00:00Z')
    expect(parseRetryAfter('38', now)).toBe(38_000)
    expect(parseRetryAfter(' 0.5 ', now)).toBe(500)
    expect(parseRetryAfter('Fri, 27 Nov 2026 10:00:42 GMT', now)).toBe(42_000)
    expect(parseRetryAfter('Fri, 27 Nov 2026 09:59:00 GMT', now)).toBeUndefined()
    expect(parseRetryAfter('0', now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })

  it('backs off exponentially from 15 s with 0-5 s jitter when the server names no wait', () => {
    expect([1, 2, 3].map((n) => backoffDelayMs(n, () => 0))).toEqual([15_000, 30_000, 60_000])
    expect(backoffDelayMs(1, () => 0.9999)).toBe(20_000)
    expect(retryDelayMs(2, '7', 0, () => 0)).toBe(7_000)
    expect(retryDelayMs(2, 'garbage', 0, () => 0)).toBe(30_000)
  })

  it('refreshes tokens 5 minutes early, or at 90% of a short lifetime', () => {
    expect(refreshMarginMs(86_399_000)).toBe(300_000)
    expect(refreshMarginMs(60_000)).toBe(6_000)
  })
})

describe('Pacer', () => {
  it('never lets more than `limit` requests finish within one window, and keeps the full rate', async () => {
    const clock = virtualClock()
    const waits: number[] = []
    const pacer = new Pacer(10, 60_000, clock, (ms) => waits.push(ms))
    const starts: number[] = []
    for (let i = 0; i < 35; i++) {
      await pacer.run(async () => {
        starts.push(clock.t)
        clock.t += 200 // request latency
      })
    }
    for (let i = 10; i < starts.length; i++) expect(starts[i]! - (starts[i - 10]! + 200)).toBeGreaterThanOrEqual(60_000)
    // ...and no slower: request i+10 starts as soon as request i's slot has aged out of the window.
    for (let i = 10; i < starts.length; i++) expect(starts[i]! - starts[i - 10]!).toBeLessThanOrEqual(60_000 + 200 + 1)
    expect(waits.length).toBe(3)
    expect(pacer.stats.admitted).toBe(35)
  })

  it('admits concurrent callers one slot at a time', async () => {
    const clock = virtualClock()
    const pacer = new Pacer(2, 1000, clock)
    let active = 0
    let peak = 0
    await Promise.all(
      Array.from({ length: 6 }, () =>
        pacer.run(async () => {
          peak = Math.max(peak, ++active)
          await clock.sleep(10)
          active--
        }),
      ),
    )
    expect(peak).toBeLessThanOrEqual(2)
  })
})
