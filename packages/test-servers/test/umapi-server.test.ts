import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { manualClock } from '../src/manual-clock.js'
import { startFakeUmapi, type FakeUmapi } from '../src/umapi/index.js'
import { call, fetchToken, UMAPI_SCOPE } from './umapi-client.js'

let fake: FakeUmapi

beforeAll(async () => {
  fake = await startFakeUmapi({ clientId: 'cid-123', clientSecret: 'sekret-456' })
})
afterAll(async () => {
  await fake.close()
})
afterEach(() => {
  fake.faults.clear()
})

const good = { client_id: 'cid-123', client_secret: 'sekret-456', grant_type: 'client_credentials', scope: UMAPI_SCOPE }

async function postToken(path: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${fake.url}${path}`, { method: 'POST', ...init })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('IMS token endpoint', () => {
  it.each(['/ims/token/v2', '/ims/token/v2/', '/ims/token/v3', '/ims/token/v3/'])(
    'issues a bearer token at %s (urlencoded body)',
    async (path) => {
      const before = fake.stats.tokensIssued
      const { status, body } = await postToken(path, { body: new URLSearchParams(good) })
      expect(status).toBe(200)
      expect(body.token_type).toBe('bearer')
      expect(body.expires_in).toBe(86399)
      expect(String(body.access_token)).toMatch(/^ey[\w-]+\.[\w-]+\.[\w-]+$/)
      expect(fake.stats.tokensIssued).toBe(before + 1)
    },
  )

  it('accepts parameters in the query string of an empty POST', async () => {
    const { status } = await postToken(`/ims/token/v3?${new URLSearchParams(good)}`, {})
    expect(status).toBe(200)
  })

  it('accepts multipart form data', async () => {
    const form = new FormData()
    for (const [k, v] of Object.entries(good)) form.append(k, v)
    const { status, body } = await postToken('/ims/token/v2', { body: form })
    expect(status).toBe(200)
    expect(body.access_token).toBeTypeOf('string')
  })

  it.each([
    [{ client_id: 'nope' }, 'invalid_client', 'invalid client_id parameter'],
    [{ client_secret: 'wrong' }, 'invalid_client', 'invalid client_secret parameter'],
    [{ grant_type: 'password' }, 'unsupported_grant_type', 'client_credentials'],
    [{ scope: 'openid,AdobeID' }, 'invalid_scope', 'user_management_sdk'],
  ])('rejects %o with 400 %s and never echoes the secret', async (override, error, description) => {
    const before = fake.stats.tokensIssued
    const { status, body } = await postToken('/ims/token/v3', { body: new URLSearchParams({ ...good, ...override }) })
    expect(status).toBe(400)
    expect(body.error).toBe(error)
    expect(String(body.error_description)).toContain(description)
    expect(JSON.stringify(body)).not.toContain('sekret-456')
    expect(fake.stats.tokensIssued).toBe(before)
  })

  it('rejects a missing client_id and a GET', async () => {
    expect(
      (await postToken('/ims/token/v3', { body: new URLSearchParams({ grant_type: 'client_credentials' }) })).body
        .error,
    ).toBe('invalid_request')
    expect((await fetch(`${fake.url}/ims/token/v3`)).status).toBe(405)
  })
})

describe('UMAPI auth gate', () => {
  const path = () => `/users/${fake.orgId}/0`

  it('answers 401 with WWW-Authenticate and a JSON body without a token, with an unknown token, and after expiry', async () => {
    const noToken = await fetch(`${fake.umapiUrl}${path()}`, { headers: { 'X-Api-Key': 'cid-123' } })
    expect(noToken.status).toBe(401)
    expect(noToken.headers.get('www-authenticate')).toContain('invalid_token')
    expect(await noToken.json()).toEqual({
      lastPage: false,
      result: 'error.unauthorized',
      message: 'Failed to authenticate provided token',
    })
    expect((await call(fake, 'eyBogus.token.value', path())).status).toBe(401)

    const token = await fetchToken(fake)
    expect((await call(fake, token, path())).status).toBe(200)
    fake.expireAllTokens()
    expect((await call(fake, token, path())).status).toBe(401)
    expect((await call(fake, await fetchToken(fake), path())).status).toBe(200)
  })

  it('expires tokens after tokenLifetimeSeconds', async () => {
    const clock = manualClock()
    const shortLived = await startFakeUmapi({ tokenLifetimeSeconds: 0.05, now: clock.now })
    try {
      const token = await fetchToken(shortLived)
      expect((await call(shortLived, token, `/groups/${shortLived.orgId}/0`)).status).toBe(200)
      clock.advance(49)
      expect((await call(shortLived, token, `/groups/${shortLived.orgId}/0`)).status).toBe(200)
      clock.advance(1)
      expect((await call(shortLived, token, `/groups/${shortLived.orgId}/0`)).status).toBe(401)
    } finally {
      await shortLived.close()
    }
  })

  it('answers 403 for a missing or foreign X-Api-Key', async () => {
    const token = await fetchToken(fake)
    const missing = await fetch(`${fake.umapiUrl}${path()}`, { headers: { Authorization: `Bearer ${token}` } })
    expect(missing.status).toBe(403)
    expect(await missing.json()).toMatchObject({ error_code: '403000' })
    const wrong = await call(fake, token, path(), { headers: { 'X-Api-Key': 'other-client' } })
    expect(wrong.status).toBe(403)
    expect(wrong.body).toEqual({ error_code: '403003', message: 'Api Key is invalid' })
  })

  it('answers 400 error.organization.invalid_id for another org', async () => {
    const res = await call(fake, await fetchToken(fake), '/users/99999ABC@AdobeOrg/0')
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ result: 'error.organization.invalid_id', message: 'Bad organization Id' })
  })

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    const token = await fetchToken(fake)
    expect((await call(fake, token, `/nothing/${fake.orgId}`)).status).toBe(404)
    const wrong = await call(fake, token, `/users/${fake.orgId}/0`, { method: 'POST', json: [] })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET')
  })
})

describe('status, request id and recording', () => {
  it('serves /status without auth', async () => {
    const res = await fetch(`${fake.url}/status`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ build: '2559', version: '2.1.54', state: 'LIVE' })
  })

  it('echoes X-Request-Id on success and on errors', async () => {
    const token = await fetchToken(fake)
    const ok = await call(fake, token, `/groups/${fake.orgId}/0`, { headers: { 'X-Request-Id': 'req-1_123' } })
    expect(ok.headers.get('x-request-id')).toBe('req-1_123')
    const bad = await call(fake, 'eyNope', `/groups/${fake.orgId}/0`, { headers: { 'X-Request-Id': 'req-2' } })
    expect(bad.status).toBe(401)
    expect(bad.headers.get('x-request-id')).toBe('req-2')
  })

  it('records method, path, query, headers (Pragma, User-Agent), parsed body, endpoint and status', async () => {
    const token = await fetchToken(fake)
    const tokenReq = fake.requests.findLast((r) => r.endpoint === 'token')!
    expect(tokenReq.body).toMatchObject({ client_id: 'cid-123', grant_type: 'client_credentials' })
    const start = fake.requests.length
    await call(fake, token, `/users/${fake.orgId}/0?directOnly=True`, {
      headers: { Pragma: 'umapi-sync-start', 'User-Agent': 'ust-test/1.0' },
    })
    await call(fake, token, `/action/${fake.orgId}`, { json: [{ user: 'x@example.com', do: [{ removeFromOrg: {} }] }] })
    const [get, post] = fake.requests.slice(start)
    expect(get).toMatchObject({
      method: 'GET',
      path: `/v2/usermanagement/users/${fake.orgId}/0`,
      query: { directOnly: 'True' },
      endpoint: 'users',
      status: 200,
    })
    expect(get!.headers.pragma).toBe('umapi-sync-start')
    expect(get!.headers['user-agent']).toBe('ust-test/1.0')
    expect(get!.headers.authorization).toBe(`Bearer ${token}`)
    expect(get!.time).toBeGreaterThan(Date.now() - 10_000)
    expect(post).toMatchObject({
      method: 'POST',
      endpoint: 'action',
      status: 200,
      body: [{ user: 'x@example.com', do: [{ removeFromOrg: {} }] }],
    })
  })
})
