import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeSign, startFakeSign } from '../src/index.js'

const KEY = 'fake-test-key'
let fake: FakeSign

beforeEach(async () => {
  fake = await startFakeSign({ integrationKey: KEY, pageSize: 2 })
  for (const name of ['a', 'b', 'c']) fake.account.addUser({ email: `${name}@example.com` })
})
afterEach(() => fake.close())

async function call(url: string, init: RequestInit = {}, key = KEY) {
  const response = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  })
  const text = await response.text()
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    headers: response.headers,
  }
}

const api = (path: string) => `${fake.apiAccessPoint}api/rest/v6/${path}`

describe('fake Acrobat Sign server', () => {
  it('discovers the regional access point; API calls on the entry host are refused', async () => {
    const base = await call(`${fake.url}/api/rest/v6/baseUris`)
    expect(base.body?.apiAccessPoint).toBe(fake.apiAccessPoint)
    expect(String(base.body?.apiAccessPoint)).toMatch(/\/$/)
    const wrong = await call(`${fake.url}/api/rest/v6/users`)
    expect(wrong).toMatchObject({ status: 400, body: { code: 'INVALID_API_ACCESS_POINT' } })
  })

  it('refuses a missing or wrong bearer token with Sign codes', async () => {
    expect((await fetch(api('users'))).status).toBe(401)
    expect(await call(api('users'), {}, 'nope')).toMatchObject({ status: 401, body: { code: 'INVALID_ACCESS_TOKEN' } })
  })

  it('pages users with cursors, leaving nextCursor out on the last page; bad cursors and sizes are 400', async () => {
    const first = await call(api('users?pageSize=1000'))
    const cursor = (first.body?.page as { nextCursor?: string } | undefined)?.nextCursor
    expect((first.body?.userInfoList as unknown[] | undefined)?.length).toBe(2)
    const second = await call(api(`users?cursor=${cursor}`))
    expect(second.body?.page).toEqual({})
    expect((second.body?.userInfoList as unknown[] | undefined)?.length).toBe(1)
    expect(await call(api('users?cursor=xyz'))).toMatchObject({ status: 400, body: { code: 'INVALID_CURSOR' } })
    expect(await call(api('users?pageSize=0'))).toMatchObject({ status: 400, body: { code: 'INVALID_PAGE_SIZE' } })
  })

  it('validates writes and keeps one primary group; throttles with Retry-After and retryAfter', async () => {
    expect(await call(api('users'), { method: 'POST', body: '{"email":"bad"}' })).toMatchObject({ status: 400 })
    expect(await call(api('users'), { method: 'POST', body: '{"email":"a@example.com"}' })).toMatchObject({
      status: 409,
      body: { code: 'USER_ALREADY_EXISTS' },
    })
    const id = fake.account.userByEmail('a@example.com')!.id
    const group = fake.account.addGroup('G')
    const put = await call(api(`users/${id}/groups`), {
      method: 'PUT',
      body: JSON.stringify({
        groupInfoList: [{ id: group.groupId, isPrimaryGroup: true, isGroupAdmin: true, status: 'ACTIVE' }],
      }),
    })
    expect(put.status).toBe(200)
    expect(fake.account.describe('a@example.com')).toMatchObject({ primary: 'G', groupAdminOf: ['G'] })
    fake.faults.throttle(7, { endpoint: 'getUser' })
    const throttled = await call(api(`users/${id}`))
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('retry-after')).toBe('7')
    expect(throttled.body).toMatchObject({ code: 'THROTTLING_TOO_MANY_REQUESTS', retryAfter: 7 })
    expect((await call(api(`users/${id}`))).body).toMatchObject({ status: 'ACTIVE', accountType: 'GLOBAL' })
  })
})
