import { afterEach, describe, expect, it } from 'vitest'
import type { PlannedCommand } from '@ust-sync/api'
import { startFakeUmapi, type FakeUmapi } from '../../../test/fakes/umapi/index.js'
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

async function fakeWithLimits(): Promise<FakeUmapi> {
  // Limits scaled down: 4 action / 3 users-page requests per 1 s window (UMAPI: 10 / 25 per minute).
  const f = await startFakeUmapi({
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
    fake = await fakeWithLimits()
    const { target, lines } = targetFor(fake, {
      server: { rate_limits: { action: 4, users: 3 }, rate_window_seconds: 1 },
    })
    const started = Date.now()
    await target.snapshot({ includeGroups: false })
    const results = await target.apply(plan, { testOnly: false })
    const elapsed = Date.now() - started
    expect(results.every((r) => r.status === 'done')).toBe(true)
    expect(fake.tooManyRequests()).toBe(0)
    expect(requestsTo(fake, 'users')).toHaveLength(10)
    expect(requestsTo(fake, 'action')).toHaveLength(10)
    // 10 users pages at 3/s and 10 POSTs at 4/s need at least 3 + 2 windows; pacing should not add much more.
    expect(elapsed).toBeGreaterThanOrEqual(5000)
    expect(elapsed).toBeLessThan(7500)
    expect(
      lines.some((l) => /^debug: rate limit: waiting [\d.]+ s to stay within 4 action requests per 1 s$/.test(l)),
    ).toBe(true)
    expect(fake.org.users().every((u) => fake.org.groupsOf(u).join() === 'P1,P2')).toBe(true)
  }, 20_000)

  it('the same run without matching client limits does trip the server limit (the test can fail)', async () => {
    fake = await fakeWithLimits()
    const { target } = targetFor(fake, {
      server: { rate_limits: { action: 100 }, rate_window_seconds: 1, retries: 10 },
    })
    const results = await target.apply(plan, { testOnly: false })
    expect(results.every((r) => r.status === 'done')).toBe(true)
    expect(fake.tooManyRequests()).toBeGreaterThan(0)
  }, 20_000)
})
