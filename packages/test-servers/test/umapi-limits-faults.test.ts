import { afterEach, describe, expect, it } from 'vitest'
import { manualClock } from '../src/manual-clock.js'
import { FaultQueue, startFakeUmapi, type FakeUmapi } from '../src/umapi/index.js'
import { call, fetchToken } from './umapi-client.js'

let fake: FakeUmapi | undefined

afterEach(async () => {
  await fake?.close()
  fake = undefined
})

async function start(options: Parameters<typeof startFakeUmapi>[0] = {}): Promise<{ f: FakeUmapi; token: string }> {
  fake = await startFakeUmapi(options)
  return { f: fake, token: await fetchToken(fake) }
}

describe('per-client limits', () => {
  it('answers 429 with Retry-After and the throttle body past the limit, per endpoint, until the window slides', async () => {
    const clock = manualClock()
    const { f, token } = await start({ limits: { groups: 2 }, windowMs: 150, retryAfterSeconds: 0.05, now: clock.now })
    const groups = () => call(f, token, `/groups/${f.orgId}/0`)
    expect((await groups()).status).toBe(200)
    expect((await groups()).status).toBe(200)
    const limited = await groups()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(limited.body).toEqual({ error_code: '429050', message: 'Too many requests' })
    expect((await call(f, token, `/users/${f.orgId}/0`)).status).toBe(200)
    expect(f.tooManyRequests()).toBe(1)
    expect(f.stats.limited429).toBe(1)
    clock.advance(170)
    expect((await groups()).status).toBe(200)
  })

  it('keeps refusing a client that retries before Retry-After has passed (penalty), even once the window is free', async () => {
    const clock = manualClock()
    const { f, token } = await start({ limits: { user: 1 }, windowMs: 20, retryAfterSeconds: 7, now: clock.now })
    const user = () => call(f, token, `/organizations/${f.orgId}/users/a@example.com`)
    expect((await user()).status).toBe(404)
    expect((await user()).headers.get('retry-after')).toBe('7')
    clock.advance(40)
    const again = await user()
    expect(again.status).toBe(429)
    expect(Number(again.headers.get('retry-after'))).toBeLessThanOrEqual(7)
    expect(f.stats.limited429).toBe(2)
  })

  it('uses the documented defaults (10 action POSTs per window)', async () => {
    const { f, token } = await start()
    const statuses: number[] = []
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await call(f, token, `/action/${f.orgId}`, { json: [{ user: 'a@example.com', do: [{ removeFromOrg: {} }] }] }))
          .status,
      )
    expect(statuses).toEqual([...Array(10).fill(200), 429])
    expect(f.requests.at(-1)?.status).toBe(429)
  })
})

describe('fault injection', () => {
  it('answers N injected 429s with Retry-After seconds or an HTTP-date, then serves normally', async () => {
    const { f, token } = await start()
    const date = new Date(Date.now() + 30_000)
    f.faults.tooManyRequests(3, { times: 2 }).status(429, { retryAfter: date })
    const path = `/users/${f.orgId}/0`
    const first = await call(f, token, path)
    expect(first.status).toBe(429)
    expect(first.headers.get('retry-after')).toBe('3')
    expect(first.body.error_code).toBe('429050')
    expect((await call(f, token, path)).headers.get('retry-after')).toBe('3')
    expect((await call(f, token, path)).headers.get('retry-after')).toBe(date.toUTCString())
    expect((await call(f, token, path)).status).toBe(200)
    expect(f.stats.injected429).toBe(3)
    expect(f.tooManyRequests()).toBe(3)
    expect(f.faults.pending()).toBe(0)
  })

  it.each([500, 502, 503, 504])('injects a %i', async (status) => {
    const { f, token } = await start()
    f.faults.status(status)
    const res = await call(f, token, `/groups/${f.orgId}/0`)
    expect(res.status).toBe(status)
    expect(res.body.error_code).toBe(`${status}000`)
    expect((await call(f, token, `/groups/${f.orgId}/0`)).status).toBe(200)
  })

  it('restricts a fault to an endpoint and leaves token requests alone by default', async () => {
    const { f, token } = await start()
    f.faults.status(503, { endpoint: 'action' })
    await fetchToken(f)
    expect((await call(f, token, `/users/${f.orgId}/0`)).status).toBe(200)
    expect(
      (await call(f, token, `/action/${f.orgId}`, { json: [{ user: 'a@example.com', do: [{ removeFromOrg: {} }] }] }))
        .status,
    ).toBe(503)
  })

  it('can fault the token endpoint when asked', async () => {
    const { f } = await start()
    f.faults.status(502, { endpoint: 'token' })
    await expect(fetchToken(f)).rejects.toThrow(/502/)
    await expect(fetchToken(f)).resolves.toMatch(/^ey/)
  })

  it('delays a reply and then serves it', async () => {
    const { f, token } = await start()
    f.faults.delay(120)
    const t0 = Date.now()
    const res = await call(f, token, `/groups/${f.orgId}/0`)
    expect(res.status).toBe(200)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110)
  })

  it('lets a client time out on a slow reply', async () => {
    const { f, token } = await start()
    // The reply is held far longer than the client waits, however late a loaded machine fires its timer.
    f.faults.delay(5_000)
    const res = fetch(`${f.umapiUrl}/groups/${f.orgId}/0`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Api-Key': f.clientId },
      signal: AbortSignal.timeout(50),
    })
    await expect(res).rejects.toThrow(/timeout|aborted/i)
  })

  it('resets the connection without a response', async () => {
    const { f, token } = await start()
    f.faults.reset({ endpoint: 'users' })
    await expect(call(f, token, `/users/${f.orgId}/0`)).rejects.toThrow(/fetch failed/)
    expect(f.requests.at(-1)).toMatchObject({ endpoint: 'users', status: 0 })
    expect((await call(f, token, `/users/${f.orgId}/0`)).status).toBe(200)
  })

  it('answers a one-shot 401 with a valid token', async () => {
    const { f, token } = await start()
    f.faults.unauthorized()
    const res = await call(f, token, `/organizations/${f.orgId}/users/a@example.com`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toContain('invalid_token')
    expect((await call(f, token, `/organizations/${f.orgId}/users/a@example.com`)).status).toBe(404)
  })

  it('consumes faults in order, one per matching request', async () => {
    const { f, token } = await start()
    f.faults.status(503, { endpoint: 'groups' }).status(504).unauthorized({ endpoint: 'groups' })
    const seen: number[] = []
    for (let i = 0; i < 4; i++) seen.push((await call(f, token, `/groups/${f.orgId}/0`)).status)
    expect(seen).toEqual([503, 504, 401, 200])
  })

  it('rejects a fault count that is not a positive integer', () => {
    const queue = new FaultQueue()
    expect(() => queue.status(503, { times: 0 })).toThrow(/positive integer, got 0/)
    expect(queue.pending()).toBe(0)
  })
})
