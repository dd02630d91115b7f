import { afterEach, describe, expect, it } from 'vitest'
import { type FakeUmapi, manualClock, startFakeUmapi } from '@ust-sync/test-servers'
import { requestsTo, targetFor } from './helpers/test-context.js'

const SECRET = 'p1ant3d-s3cret-VALUE-42'
let fake: FakeUmapi
afterEach(async () => fake?.close())

describe('IMS authentication', () => {
  it('fetches one token (form-encoded client credentials) and reuses it', async () => {
    fake = await startFakeUmapi({ clientSecret: SECRET })
    const { target } = targetFor(fake)
    await target.snapshot({ includeGroups: true })
    await target.snapshot({ includeGroups: false })
    const tokens = requestsTo(fake, 'token')
    expect(tokens).toHaveLength(1)
    expect(tokens[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(tokens[0]!.body).toEqual({
      client_id: fake.clientId,
      client_secret: SECRET,
      grant_type: 'client_credentials',
      scope: 'openid,AdobeID,user_management_sdk',
    })
    expect(tokens[0]!.query).toEqual({})
  })

  it('replaces a short-lived token before it expires, so a long run never sees a 401', async () => {
    // One clock for the plugin and the fake: 4 runs 450 ms apart outlive the 1 s token, without real waiting.
    const clock = manualClock()
    fake = await startFakeUmapi({ tokenLifetimeSeconds: 1, now: clock.now })
    const { target } = targetFor(fake, { clock })
    for (let i = 0; i < 4; i++) {
      await target.snapshot({ includeGroups: false })
      clock.advance(450)
    }
    expect(fake.stats.tokensIssued).toBe(2)
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(0)
  })

  it('fetches a new token once after a 401 and carries on', async () => {
    fake = await startFakeUmapi()
    fake.org.addUser({ email: 'a@example.com' })
    const { target, lines } = targetFor(fake)
    await target.snapshot({ includeGroups: false })
    fake.expireAllTokens()
    const { users } = await target.snapshot({ includeGroups: false })
    expect(users).toHaveLength(1)
    expect(fake.requests.map((r) => [r.endpoint, r.status])).toEqual([
      ['token', 200],
      ['users', 200],
      ['users', 401],
      ['token', 200],
      ['users', 200],
    ])
    expect(lines.filter((l) => l.includes('answered 401'))).toEqual([
      'info: UMAPI answered 401 to GET users page 0: fetching a new access token and trying once more',
    ])
  })

  it('gives up after a second 401 with an error that says where', async () => {
    fake = await startFakeUmapi()
    fake.faults.unauthorized({ times: 2 })
    const { target } = targetFor(fake)
    await expect(target.snapshot({ includeGroups: false })).rejects.toThrow(
      `UMAPI GET users page 0 at ${fake.umapiUrl}: HTTP 401 error.unauthorized: Failed to authenticate provided token`,
    )
  })

  it('reports a refused secret with IMS reason and URL, and never shows the secret', async () => {
    fake = await startFakeUmapi()
    const { target, lines } = targetFor(fake, { enterprise: { client_secret: SECRET } })
    const error = await target.snapshot({ includeGroups: false }).then(
      () => expect.fail('expected the token request to be refused'),
      (e: unknown) => e as Error & { suggestions: string[] },
    )
    expect(error.message).toBe(
      `IMS at ${fake.url}/ims/token/v3 refused the credentials of client ${fake.clientId}: HTTP 400 invalid_client (invalid client_secret parameter)`,
    )
    expect(error).toMatchObject({ exitCode: 3, code: 'credential.umapi.refused' })
    expect(error.suggestions[0]).toContain('client_secret')
    expect(JSON.stringify([error.message, error.suggestions, lines])).not.toContain(SECRET)
  })
})
