import { createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { API_VERSION, type Contribution, ExitCode, isUstError, type TargetDefinition } from '@ust-sync/api'
import { checkPluginPackage, checkTarget } from '@ust-sync/plugin-testkit'
import { type FakeUmapi, startFakeUmapi } from '@ust-sync/test-servers'
import register from '../src/register.js'
import { connectorFor, fastClock, recordingContext, targetFor } from './helpers/test-context.js'

let fake: FakeUmapi
afterEach(async () => fake?.close())

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('check and endpoints', () => {
  it('lists IMS and UMAPI and reports both ok against a live service', async () => {
    fake = await startFakeUmapi()
    const { target } = targetFor(fake)
    expect(target.endpoints()).toEqual([
      { name: 'IMS', url: `${fake.url}/ims/token/v3`, verifyTls: true },
      { name: 'UMAPI', url: fake.umapiUrl, verifyTls: true },
    ])
    const checks = await target.check()
    expect(checks.map((c) => [c.name, c.endpoint, c.status])).toEqual([
      ['IMS token', `${fake.url}/ims/token/v3`, 'ok'],
      ['UMAPI status', `${fake.url}/status`, 'ok'],
    ])
    expect(checks[0]!.detail).toBe('access token issued, valid 1440 min')
    // client_id may be a secure_client_id_key secret: never printed
    expect(JSON.stringify(checks)).not.toContain(fake.clientId)
  })

  it('says what failed and where: refused credentials, unreachable host', async () => {
    fake = await startFakeUmapi()
    const port = await closedPort()
    const { target } = targetFor(fake, {
      server: { host: `http://127.0.0.1:${port}` },
      enterprise: { client_id: 'someone-else' },
    })
    const [ims, status] = await target.check()
    expect(ims).toMatchObject({ status: 'fail', endpoint: `${fake.url}/ims/token/v3` })
    expect(ims!.detail).toContain('HTTP 400 invalid_client (invalid client_id parameter)')
    expect(ims!.suggestion).toContain('client_id')
    expect(status).toMatchObject({
      status: 'fail',
      endpoint: `http://127.0.0.1:${port}/status`,
      detail: `Connection refused by 127.0.0.1:${port}: nothing accepts connections on that port`,
    })
    expect(status!.suggestion).toContain(`127.0.0.1:${port}`)
  })
})

describe('registration', () => {
  it('registers the umapi target (and the adobe_console source), which refuses JWT configs when created', async () => {
    const registered: Contribution[] = []
    await register({ registry: { apiVersion: API_VERSION, register: (c) => void registered.push(c) } })
    expect(registered.map((c) => [c.kind, c.id])).toEqual([
      ['target', 'umapi'],
      ['identitySource', 'adobe_console'],
    ])
    const definition = registered[0] as TargetDefinition
    fake = await startFakeUmapi()
    const { context } = recordingContext()
    const target = definition.create(connectorFor(fake), context)
    expect(target.capabilities).toEqual({ testMode: true, createGroups: true })
    let error: unknown
    try {
      definition.create(
        {
          authentication_method: 'jwt',
          enterprise: { org_id: 'A@AdobeOrg', client_id: 'c', client_secret: 's', tech_acct_id: 't' },
        },
        context,
      )
    } catch (e) {
      error = e
    }
    expect(isUstError(error) && error.exitCode).toBe(ExitCode.config)
    expect((error as Error).message).toContain('Adobe retired JWT')
  })
})

describe('the umapi plugin keeps the ust plugin contract (@ust-sync/plugin-testkit)', () => {
  const plugin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

  it('package, registration, and the target against the fake UMAPI (test mode, idempotence, no leaked secret)', async () => {
    const { contributions } = await checkPluginPackage(plugin, { register })
    // The script makes some forty paced requests: one clock 1000 times faster, for the fake's rate-limit
    // windows and the target's pacing alike, keeps it short.
    const clock = fastClock(1000)
    fake = await startFakeUmapi({ now: clock.now })
    const report = await checkTarget(contributions[0] as TargetDefinition, { fresh: () => connectorFor(fake), clock })
    expect(report.passed).toContain('test mode changes nothing')
    expect(report.passed).toContain('secrets never appear in logs or error messages')
  })
})
