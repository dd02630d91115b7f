import { rmSync } from 'node:fs'
import tls from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, type FakeOkta, manualClock, startFakeOkta, type TestCa } from '../src/index.js'

const systemCas = tls.getCACertificates('default')
let ca: TestCa
let okta: FakeOkta | undefined
beforeAll(() => {
  ca = createTestCa()
  tls.setDefaultCACertificates([...systemCas, ca.caPem])
})
afterEach(async () => {
  await okta?.close()
  okta = undefined
})
afterAll(() => {
  tls.setDefaultCACertificates(systemCas)
  rmSync(ca.dir, { recursive: true, force: true })
})

async function start(options: Partial<Parameters<typeof startFakeOkta>[0]> = {}): Promise<FakeOkta> {
  okta = await startFakeOkta({ tls: { key: ca.keyPem, cert: ca.certPem }, token: 'good-token', ...options })
  for (let n = 0; n < 5; n++)
    okta.directory.addUser({ profile: { email: `u${n}@x.test` }, groups: ['Staff', 'Staff Alumni'] })
  okta.directory.addUser({ status: 'DEPROVISIONED', profile: { email: 'gone@x.test' } })
  return okta
}

const get = (path: string, token = 'good-token') =>
  fetch(`${okta?.url}${path}`, { headers: { Authorization: `SSWS ${token}`, Accept: 'application/json' } })

describe('fake Okta', () => {
  it("refuses a wrong token with 401 E0000011 and Okta's five error fields", async () => {
    await start()
    const reply = await get('/api/v1/users', 'bad')
    expect(reply.status).toBe(401)
    expect(await reply.json()).toEqual({
      errorCode: 'E0000011',
      errorSummary: 'Invalid token provided',
      errorLink: 'E0000011',
      errorId: expect.any(String),
      errorCauses: [],
    })
    expect(reply.headers.get('x-okta-request-id')).toBeTruthy()
    expect(reply.headers.get('x-rate-limit-limit')).toBe('600')
  })

  it('pages with absolute self and next links, an opaque cursor, and refuses a tampered one', async () => {
    await start()
    const first = await get('/api/v1/users?limit=2')
    expect((await first.json()).length).toBe(2)
    const link = first.headers.get('link') ?? ''
    expect(link).toMatch(
      /^<https:\/\/127\.0\.0\.1:\d+\/api\/v1\/users\?limit=2>; rel="self", <https:\/\/127\.0\.0\.1:\d+\/api\/v1\/users\?limit=2&after=00u\w+>; rel="next"$/,
    )
    const bad = await get('/api/v1/users?limit=2&after=tampered')
    expect(bad.status).toBe(400)
    expect((await bad.json()).errorCode).toBe('E0000029')
    // Without a query deprovisioned users are left out; a limit above 200 gives 200.
    expect((await (await get('/api/v1/users?limit=500')).json()).length).toBe(5)
  })

  it('filter as documented (E0000031 otherwise, E0000033 with search); q starts-with, exact first; 404 E0000007', async () => {
    await start()
    expect((await (await get('/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22')).json()).length).toBe(1)
    expect((await (await get('/api/v1/users?filter=profile.department%20eq%20%22x%22')).json()).errorCode).toBe(
      'E0000031',
    )
    expect((await (await get('/api/v1/users?filter=status%20eq%20%22x%22&search=a')).json()).errorCode).toBe('E0000033')
    const groups = (await (await get('/api/v1/groups/?q=staff')).json()) as { profile: { name: string } }[]
    expect(groups.map((g) => g.profile.name)).toEqual(['Staff', 'Staff Alumni'])
    const missing = await get('/api/v1/groups/00gnope/users')
    expect(missing.status).toBe(404)
    expect((await missing.json()).errorCode).toBe('E0000007')
  })

  it('counts per-bucket minute windows: 429 E0000047 past the limit, reset in epoch seconds', async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1, 0, 0, 10))
    await start({ limits: { users: 2 }, now: clock.now })
    await get('/api/v1/users')
    const last = await get('/api/v1/users')
    expect(last.headers.get('x-rate-limit-remaining')).toBe('0')
    expect(last.headers.get('x-rate-limit-reset')).toBe(String(Date.UTC(2026, 0, 1, 0, 1) / 1000))
    const over = await get('/api/v1/users')
    expect(over.status).toBe(429)
    expect((await over.json()).errorCode).toBe('E0000047')
    // Other buckets are not affected; the next minute is a new window.
    expect((await get('/api/v1/groups?q=Staff')).status).toBe(200)
    clock.advance(50_000)
    expect((await get('/api/v1/users')).status).toBe(200)
    expect(okta?.limited()).toBe(1)
  })

  it('injects faults after skipping requests, and tells when a request was served', async () => {
    await start()
    okta?.faults.status(503, { endpoint: 'users', skip: 1 }).reset({ endpoint: 'users' })
    const served = okta?.served((r) => r.status === 503)
    expect((await get('/api/v1/users')).status).toBe(200)
    expect((await get('/api/v1/users')).status).toBe(503)
    expect(await served).toMatchObject({ endpoint: 'users', status: 503 })
    await expect(get('/api/v1/users')).rejects.toThrow()
    expect(okta?.faults.pending()).toBe(0)
  })
})
