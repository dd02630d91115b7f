import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectorConfig, IdentitySourceDefinition } from '@ust-sync/api'
import { checkIdentitySource } from '@ust-sync/plugin-testkit'
import { type FakeUmapi, startFakeUmapi } from '@ust-sync/test-servers'
import { consoleSourceDefinition } from '../src/console/console-definition.js'
import { fastClock, recordingContext, requestsTo } from './helpers/test-context.js'

const SECRET = `console-Secr3t+/${randomBytes(8).toString('hex')}`
let fake: FakeUmapi
afterEach(async () => fake?.close())

/** connector-adobe-console.yml pointing at the fake source org. */
function consoleConnector(
  f: FakeUmapi,
  extra: ConnectorConfig = {},
  integration: ConnectorConfig = {},
): ConnectorConfig {
  return {
    authentication_method: 'oauth',
    identity_type_filter: 'all',
    server: { host: f.url, auth_host: f.url, auth_endpoint: '/ims/token/v3', timeout: 5, retries: 2 },
    integration: { org_id: f.orgId, client_id: f.clientId, client_secret: SECRET, ...integration },
    ...extra,
  }
}

async function sourceOrg(pageSize?: number): Promise<FakeUmapi> {
  fake = await startFakeUmapi({ clientSecret: SECRET, ...(pageSize ? { pageSize: { users: pageSize } } : {}) })
  fake.org.addUserGroup('Design Team')
  fake.org.addUserGroup('Marketing')
  fake.org.addUser({
    email: 'ann@example.com',
    firstname: 'Ann',
    lastname: 'Lee',
    country: 'US',
    groups: ['Design Team'],
  })
  fake.org.addUser({
    email: 'bob@example.com',
    type: 'enterpriseID',
    firstname: 'Bob',
    country: 'GB',
    groups: ['Marketing', 'Design Team'],
  })
  fake.org.addUser({ email: 'carl@example.com', type: 'adobeID', groups: [] })
  return fake
}

const ALL = { groups: [], allUsers: true, extendedAttributes: [] }

describe('adobe_console identity source (another Adobe org through UMAPI)', () => {
  it('keeps the identity-source contract (testkit): failing reads throw, nothing leaks', async () => {
    await sourceOrg()
    const broken = await startFakeUmapi({ clientSecret: SECRET, pageSize: { users: 200 } })
    try {
      broken.org.addUserGroup('G')
      for (let i = 0; i < 300; i++) broken.org.addUser({ email: `u${i}@example.com`, groups: ['G'] })
      broken.faults.status(500, { endpoint: 'users', times: 100 })
      const report = await checkIdentitySource(consoleSourceDefinition as IdentitySourceDefinition, {
        config: consoleConnector(fake),
        // (a wrong secret is tested below: its message names client_id, which the testkit counts as a secret)
        failingConfig: {
          ...consoleConnector(fake),
          server: { host: 'http://127.0.0.1:1', auth_host: 'http://127.0.0.1:1', retries: 1 },
        },
        failures: { 'users page fails': consoleConnector(broken) },
        secrets: [SECRET],
      })
      expect(report.skipped).toEqual(['selection.groups (no user read has a group)'])
    } finally {
      await broken.close()
    }
  })

  it('--users mapped / group: the users of the selected user groups, each with the selected groups it is in', async () => {
    await sourceOrg()
    const { context } = recordingContext()
    const source = consoleSourceDefinition.create(consoleConnector(fake), context)
    const result = await source.read({ groups: ['design team', 'Nowhere'], allUsers: false, extendedAttributes: [] })
    expect(result.users.map((u) => [u.email, u.identityType, u.firstname, u.country, u.groups])).toEqual([
      ['ann@example.com', 'federatedID', 'Ann', 'US', ['design team']],
      ['bob@example.com', 'enterpriseID', 'Bob', 'GB', ['design team']],
    ])
    expect(result.warnings).toEqual(['No group found for: Nowhere (in Adobe org 12345ABCDEF@AdobeOrg)'])
    // no sync signals: the source org is only read
    expect(requestsTo(fake, 'users').every((r) => r.headers.pragma === undefined)).toBe(true)
  })

  it('--users all with identity_type_filter, and every group with additional_groups rules (memberGroups)', async () => {
    await sourceOrg()
    const { context } = recordingContext()
    const federated = consoleSourceDefinition.create(
      consoleConnector(fake, { identity_type_filter: 'federatedID' }),
      context,
    )
    expect((await federated.read(ALL)).users.map((u) => u.email)).toEqual(['ann@example.com'])
    const all = consoleSourceDefinition.create(consoleConnector(fake), context)
    const result = await all.read({
      groups: ['Marketing'],
      allUsers: true,
      extendedAttributes: ['x'],
      memberGroups: true,
    })
    expect(result.users.map((u) => [u.email, u.groups])).toEqual([
      ['ann@example.com', ['Design Team']],
      ['bob@example.com', ['Marketing', 'Design Team']],
      ['carl@example.com', []],
    ])
    expect(result.warnings[0]).toMatch(/extended_attributes \(x\) are not supported/)
  })

  it('reads with the minimum of requests: one groups page and one request per users page', async () => {
    fake = await startFakeUmapi({ clientSecret: SECRET, pageSize: { users: 200 } })
    fake.org.addUserGroup('G')
    for (let i = 0; i < 450; i++) fake.org.addUser({ email: `u${i}@example.com`, groups: ['G'] })
    const { context } = recordingContext(fastClock(20))
    const result = await consoleSourceDefinition.create(consoleConnector(fake), context).read({ ...ALL, groups: ['G'] })
    expect(result.users).toHaveLength(450)
    expect([
      requestsTo(fake, 'users').length,
      requestsTo(fake, 'groups').length,
      requestsTo(fake, 'token').length,
    ]).toEqual([3, 1, 1])
  })

  it('a wrong secret is a CredentialError naming integration.*, a failing page a SourceError (exit 6), 429 is waited out', async () => {
    await sourceOrg()
    const { context, lines } = recordingContext(fastClock(50))
    const wrong = consoleSourceDefinition.create(consoleConnector(fake, {}, { client_secret: `${SECRET}x` }), context)
    const refused = (await wrong.read(ALL).catch((e: unknown) => e)) as Error & { suggestions: string[] }
    expect(refused).toMatchObject({ code: 'credential.adobe-console.refused', exitCode: 3 })
    expect(refused.suggestions.join(' ')).toContain('integration.client_id')
    expect(refused.suggestions.join(' ')).not.toContain('enterprise.')
    fake.faults.status(500, { endpoint: 'users' })
    const source = consoleSourceDefinition.create(consoleConnector(fake), context)
    await expect(source.read(ALL)).rejects.toMatchObject({ code: 'source.adobe-console.http-500', exitCode: 6 })
    fake.faults.tooManyRequests(1, { endpoint: 'users' })
    expect((await source.read(ALL)).users).toHaveLength(3)
    expect(JSON.stringify([refused.message, refused.suggestions, lines])).not.toContain(SECRET)
  })

  it('rejects JWT settings in connector-adobe-console.yml words, and checks the source org for ust net check', async () => {
    await sourceOrg()
    const { context } = recordingContext()
    expect(() =>
      consoleSourceDefinition.create(consoleConnector(fake, { authentication_method: 'jwt' }), context),
    ).toThrow(/adobe_console connector: authentication_method/)
    const source = consoleSourceDefinition.create(consoleConnector(fake), context)
    expect((await source.check?.())?.map((c) => [c.name, c.status])).toEqual([
      ['IMS token', 'ok'],
      ['UMAPI status', 'ok'],
    ])
    expect(source.identity?.()).toBe(`adobe_console:${fake.orgId}`)
  })
})
