import { afterEach, describe, expect, it } from 'vitest'
import type { PlannedCommand } from '@ust-sync/api'
import { type FakeUmapi, type ManualClock, manualClock, startFakeUmapi } from '@ust-sync/test-servers'
import { requestsTo, targetFor } from './helpers/test-context.js'

let fake: FakeUmapi
afterEach(async () => fake?.close())

/** 100 users each joining several profiles: 100 entries, 10 action requests. */
const plan: PlannedCommand[] = Array.from({ length: 100 }, (_, i) => ({
  kind: 'user',
  id: `c${i}`,
  user: {
    identityType: 'federatedID',
    email: `u${i}@example.com`,
    username: `u${i}@example.com`,
    domain: 'example.com',
  },
  addGroups: ['P1', 'P2'],
}))

async function fakeWithLimits(clock: ManualClock): Promise<FakeUmapi> {
  // Limits scaled down: 4 action / 3 users-page requests per 1 s window (UMAPI: 10 / 25 per minute).
  // The fake and the plugin share a manual clock: windows, waits and request times are exact, never real time.
  const f = await startFakeUmapi({
    now: clock.now,
    limits: { action: 4, users: 3 },
    windowMs: 1000,
    retryAfterSeconds: 1,
    pageSize: { users: 10 },
  })
  f.org.addProductProfile('P1', { productName: 'X' })
  f.org.addProductProfile('P2', { productName: 'X' })
  for (let i = 0; i < 100; i++) f.org.addUser({ email: `u${i}@example.com` })
  return f
}

describe('pacing', () => {
  it('keeps a run that would exceed the limits at zero 429s, at nearly the full allowed rate', async () => {
    const clock = manualClock()
    fake = await fakeWithLimits(clock)
    const { target, lines } = targetFor(fake, {
      clock,
      server: { rate_limits: { action: 4, users: 3 }, rate_window_seconds: 1 },
    })
    const started = clock.now()
    await target.snapshot({ includeGroups: false })
    const results = await target.apply(plan, { testOnly: false })
    const elapsed = clock.now() - started
    expect(results.map((r) => r.status)).toEqual(Array(100).fill('done'))
    expect(fake.tooManyRequests()).toBe(0)
    const users = requestsTo(fake, 'users').map((r) => r.time - started)
    const posts = requestsTo(fake, 'action').map((r) => r.time - started)
    expect(users).toHaveLength(10)
    expect(posts).toHaveLength(10)
    // Never more than the limit in any window: the request `limit` places later is a full window on.
    for (let i = 3; i < users.length; i++) expect(users[i]! - users[i - 3]!).toBeGreaterThan(1000)
    for (let i = 4; i < posts.length; i++) expect(posts[i]! - posts[i - 4]!).toBeGreaterThan(1000)
    // 10 users pages at 3/s and 10 POSTs at 4/s need 3 + 2 windows; pacing adds a millisecond per wait
    // and nothing else (the fake answers in no clock time).
    expect(elapsed).toBe(5005)
    // Each wait is a full window from the request `limit` places earlier (INFO: one second or more).
    const users3 = 'info: rate limit: waiting 1 s to stay within 3 users requests per 1 s'
    const action4 = 'info: rate limit: waiting 1 s to stay within 4 action requests per 1 s'
    expect(lines.filter((l) => l.includes('rate limit'))).toEqual([users3, users3, users3, action4, action4])
    expect(fake.org.users().map((u) => fake.org.groupsOf(u).join())).toEqual(Array(100).fill('P1,P2'))
  }, 20_000)

  it('the same run without matching client limits does trip the server limit (the test can fail)', async () => {
    const clock = manualClock()
    fake = await fakeWithLimits(clock)
    const { target } = targetFor(fake, {
      clock,
      server: { rate_limits: { action: 100 }, rate_window_seconds: 1, retries: 10 },
    })
    const results = await target.apply(plan, { testOnly: false })
    expect(results.map((r) => r.status)).toEqual(Array(100).fill('done'))
    // How many depends on which in-flight request reaches the fake first; that there are some does not.
    expect(fake.tooManyRequests()).toBeGreaterThan(0)
  }, 20_000)
})
