import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, CredentialError } from '@ust-sync/api'
import { type FakeSign, type ManualClock, manualClock, startFakeSign } from '@ust-sync/test-servers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { recordingContext } from '../../umapi/test/helpers/test-context.js'
import { parseSignSettings } from '../src/config/sign-settings.js'
import { SignTarget } from '../src/sign-target.js'

const OAUTH = { clientId: 'ust-app', clientSecret: 'client-Secr3t-xyz', refreshToken: 'refresh-T0ken-abc' }
let fake: FakeSign
let dir: string

beforeEach(async () => {
  fake = await startFakeSign({ integrationKey: 'not-used-here', oauth: OAUTH })
  fake.account.addUser({ email: 'ann@example.com' })
  dir = await mkdtemp(join(tmpdir(), 'ust-sign-oauth-'))
})
afterEach(async () => {
  await fake.close()
  await rm(dir, { recursive: true, force: true })
})

function target(refreshToken = OAUTH.refreshToken, clock: ManualClock = manualClock()): SignTarget {
  const { context } = recordingContext(clock)
  const settings = parseSignSettings({
    host: fake.url,
    admin_email: 'owner@example.com',
    oauth_client_id: OAUTH.clientId,
    oauth_client_secret: OAUTH.clientSecret,
    oauth_refresh_token: refreshToken,
    create_users: false,
    deactivate_users: false,
    cache_path: dir,
  })
  return new SignTarget(settings, context)
}

describe('Sign target with OAuth', () => {
  it('gets access tokens with the refresh token, renews them before they expire and when Sign refuses one', async () => {
    const clock = manualClock()
    const t = target(OAUTH.refreshToken, clock)
    expect((await t.snapshot({ includeGroups: true })).users.map((u) => u.email)).toEqual(['ann@example.com'])
    const refreshes = () => fake.requests.filter((r) => r.path === '/oauth/v2/refresh').length
    expect(refreshes()).toBe(1)
    // An hour later the token is renewed before it is used.
    clock.advance(3600_000)
    await t.snapshot({ includeGroups: true })
    expect(refreshes()).toBe(2)
    // Sign refuses a token as expired: a new one, and the request once more.
    fake.faults.status(401, 'INVALID_ACCESS_TOKEN', { endpoint: 'listUsers' })
    expect((await t.snapshot({ includeGroups: true })).users).toHaveLength(1)
    expect(refreshes()).toBe(3)
    expect(fake.requests.filter((r) => r.status === 401)).toHaveLength(1)
  })

  it('a refused refresh token is a CredentialError that shows no secret', async () => {
    const error = (await target('wrong-refresh-token')
      .snapshot({ includeGroups: true })
      .catch((e: unknown) => e)) as CredentialError
    expect(error).toBeInstanceOf(CredentialError)
    expect(error.message).not.toContain('wrong-refresh-token')
    expect(error.message).not.toContain(OAUTH.clientSecret)
  })

  it('refuses two credentials at once, and a refresh token without its client', () => {
    const base = { host: 'h', admin_email: 'a@b.c', create_users: false, deactivate_users: false }
    expect(() => parseSignSettings({ ...base, integration_key: 'k', oauth_refresh_token: 'r' })).toThrow(ConfigError)
    expect(() => parseSignSettings({ ...base, oauth_refresh_token: 'r' })).toThrow(/oauth_client_id/)
  })
})
