import { rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkIdentitySource, checkPluginPackage } from '@ust-sync/plugin-testkit'
import { createTestCa, type FakeOkta, type TestCa } from '@ust-sync/test-servers'
import { oktaSourceDefinition } from '../src/definition.js'
import register from '../src/register.js'
import { connectorFor, smallOrg, trustCa, untrustCa } from './helpers.js'

const PLUGIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
let ca: TestCa
let okta: FakeOkta
let broken: FakeOkta

beforeAll(async () => {
  ca = createTestCa()
  trustCa(ca)
  okta = await smallOrg(ca)
  broken = await smallOrg(ca)
  for (let n = 0; n < 250; n++) broken.directory.addUser({ profile: { email: `b${n}@example.test` } })
  // Page 2 of the user list fails with an answer not worth retrying (retried 5xx: read.test.ts, on a manual clock).
  broken.faults.status(400, { endpoint: 'users', skip: 1, times: 1000 })
})
afterAll(async () => {
  await Promise.all([okta?.close(), broken?.close()])
  untrustCa()
  rmSync(ca.dir, { recursive: true, force: true })
})

describe('the okta plugin keeps the ust plugin contract (@ust-sync/plugin-testkit)', () => {
  it('package and registration', async () => {
    const report = await checkPluginPackage(PLUGIN, { register })
    expect(report.contributions.map((c) => [c.kind, c.id])).toEqual([['identitySource', 'okta']])
  })

  it('checkIdentitySource: every user, a failing page, a wrong token, an unreachable host', async () => {
    const report = await checkIdentitySource(oktaSourceDefinition, {
      config: connectorFor(okta),
      extendedAttributes: ['department'],
      failures: {
        'page 2 fails': connectorFor(broken),
        'wrong token': connectorFor(okta, { api_token: '00wrong-token-4f5e6d' }),
        'unreachable host': connectorFor(okta, { host: '127.0.0.1:1' }),
      },
      secrets: ['00wrong-token-4f5e6d'],
    })
    expect(report.passed.length).toBeGreaterThan(8)
  }, 120_000)

  it('checkIdentitySource: the members of mapped groups', async () => {
    await checkIdentitySource(oktaSourceDefinition, {
      config: connectorFor(okta),
      selection: { groups: ['Staff', 'Admins', 'No such group'], allUsers: false, extendedAttributes: [] },
    })
  })
})
