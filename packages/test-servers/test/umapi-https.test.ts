import { rmSync } from 'node:fs'
import https from 'node:https'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, startFakeUmapi, type FakeUmapi, type TestCa } from '../src/umapi/index.js'
import { UMAPI_SCOPE } from './umapi-client.js'

let ca: TestCa
let fake: FakeUmapi

beforeAll(async () => {
  ca = createTestCa()
  fake = await startFakeUmapi({ tls: { key: ca.keyPem, cert: ca.certPem } })
})
afterAll(async () => {
  await fake.close()
  rmSync(ca.dir, { recursive: true, force: true })
})

/** One HTTPS request with node:https and an explicit CA (no process-wide CA change). */
function request(url: string, options: https.RequestOptions, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, options, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('HTTPS', () => {
  it('serves token and UMAPI calls to a client that trusts the test CA (localhost and 127.0.0.1)', async () => {
    expect(fake.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const form = new URLSearchParams({
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
      grant_type: 'client_credentials',
      scope: UMAPI_SCOPE,
    })
    const tokenRes = await request(
      `${fake.url}/ims/token/v2/`,
      { method: 'POST', ca: ca.caPem, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
      form.toString(),
    )
    expect(tokenRes.status).toBe(200)
    const token = (JSON.parse(tokenRes.text) as { access_token: string }).access_token
    const viaName = fake.umapiUrl.replace('127.0.0.1', 'localhost')
    const users = await request(`${viaName}/users/${fake.orgId}/0`, {
      ca: ca.caPem,
      headers: { Authorization: `Bearer ${token}`, 'X-Api-Key': fake.clientId },
    })
    expect(users.status).toBe(200)
    expect(JSON.parse(users.text)).toEqual({ lastPage: true, result: 'success', users: [] })
  })

  it('is rejected by a client without the CA', async () => {
    await expect(request(`${fake.url}/status`, {})).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i)
  })
})
