import { randomBytes } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestCa,
  type FakeUmapi,
  startFakeUmapi,
  startTinyproxy,
  type TestCa,
  type Tinyproxy,
} from '@ust-sync/test-servers'
import { netEnv } from './net-helpers.js'
import { type CliRun, jsonOf, runCli } from './run-cli.js'
import { readOrg, summaryOf } from './sync-helpers.js'
import { secretForms, sourceSyncDir, startTargetOrg, type TargetChoice } from './source-sync-helpers.js'

// ust sync --connector adobe_console: one fake UMAPI org (HTTPS, test CA) read as the directory through
// UST's connector-adobe-console.yml, synced into a second fake UMAPI org and into the sandbox target.
const SOURCE_SECRET = `e2e~Console+Secr3t/${randomBytes(10).toString('hex')}=`
const WRONG = `e2e~Wr0ng+Console/${randomBytes(10).toString('hex')}=`
const TARGET_SECRET = `e2e-target-${randomBytes(8).toString('hex')}`
const PROXY_USER = 'ustproxy'
const PROXY_PASSWORD = `Pr0xy${randomBytes(6).toString('hex')}`

let ca: TestCa
let caFile: string
let proxy: Tinyproxy
const servers: FakeUmapi[] = []
const dirs: string[] = []

beforeAll(async () => {
  ca = createTestCa()
  caFile = join(ca.dir, 'ca.crt')
  proxy = await startTinyproxy({ user: PROXY_USER, password: PROXY_PASSWORD })
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
afterAll(async () => {
  await proxy.stop()
  await Promise.all([...dirs, ca.dir].map((dir) => rm(dir, { recursive: true, force: true })))
})

const tls = () => ({ key: ca.keyPem, cert: ca.certPem })

/** The source org: Ann in Design, Bob in Design and Marketing, Carl (Adobe ID) in Design, Eve in no group. */
async function sourceOrg(options: { pageSize?: number } = {}): Promise<FakeUmapi> {
  const fake = await startFakeUmapi({
    tls: tls(),
    orgId: 'SOURCE0000000000@AdobeOrg',
    clientId: 'source-client-id',
    clientSecret: SOURCE_SECRET,
    ...(options.pageSize ? { pageSize: { users: options.pageSize } } : {}),
  })
  servers.push(fake)
  fake.org.addUserGroup('Design')
  fake.org.addUserGroup('Marketing')
  fake.org.addUser({
    email: 'ann.lee@example.com',
    firstname: 'Ann',
    lastname: 'Lee',
    country: 'US',
    groups: ['Design'],
  })
  fake.org.addUser({
    email: 'bob.stone@example.com',
    firstname: 'Bob',
    lastname: 'Stone',
    country: 'GB',
    groups: ['Design', 'Marketing'],
  })
  fake.org.addUser({ email: 'carl@example.net', type: 'adobeID', firstname: 'Carl', groups: ['Design'] })
  fake.org.addUser({ email: 'eve.moss@example.com', firstname: 'Eve', lastname: 'Moss', country: 'FR', groups: [] })
  return fake
}

/** The target org: Bob with an outdated name, Zed gone from the source, an excluded admin. */
async function targetOrg(): Promise<FakeUmapi> {
  const fake = await startTargetOrg(tls(), TARGET_SECRET)
  servers.push(fake)
  return fake
}

/** UST's connector-adobe-console.yml, unchanged in shape, pointing at `source`. */
function consoleConnector(source: FakeUmapi, secretLine = `client_secret: ${JSON.stringify(SOURCE_SECRET)}`): string {
  return [
    'authentication_method: oauth',
    // UST's filter: the Adobe ID (Carl) stays out
    'identity_type_filter: federatedID',
    'server:',
    `  host: ${source.url}`,
    `  auth_host: ${source.url}`,
    '  timeout: 10',
    '  retries: 2',
    '  rate_window_seconds: 2',
    'integration:',
    `  org_id: ${JSON.stringify(source.orgId)}`,
    `  client_id: ${source.clientId}`,
    `  ${secretLine}`,
    '',
  ].join('\n')
}

async function dirFor(
  source: FakeUmapi,
  target: TargetChoice,
  options: { secretLine?: string; network?: string[] } = {},
) {
  const dir = await sourceSyncDir({
    sourceId: 'adobe_console',
    connectorFile: 'connector-adobe-console.yml',
    connectorText: consoleConnector(source, options.secretLine),
    target,
    network: [`ca_file: ${caFile}`, ...(options.network ?? [])],
  })
  dirs.push(dir)
  return dir
}

const FLAGS = [
  '--connector',
  'adobe_console',
  '--process-groups',
  '--update-user-info',
  '--adobe-only-user-action',
  'remove',
]

function sync(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(['sync', '-c', join(dir, 'user-sync-config.yml'), ...args], { cwd: dir, env: netEnv(env) })
}

function expectNoSecret(...texts: string[]): void {
  for (const text of texts)
    for (const secret of [SOURCE_SECRET, WRONG, TARGET_SECRET, PROXY_PASSWORD])
      for (const form of secretForms(secret)) expect(text).not.toContain(form)
}

const actions = (fake: FakeUmapi) => fake.requests.filter((r) => r.endpoint === 'action')
const active = (fake: FakeUmapi) =>
  fake.org
    .users()
    .filter((u) => u.status === 'active')
    .map((u) => `${u.email}:${u.firstname}:${fake.org.groupsOf(u, { directOnly: true }).sort().join('+')}`)
    .sort()

describe('ust sync --connector adobe_console (a fake UMAPI org as the directory)', { timeout: 120_000 }, () => {
  it('into another fake UMAPI org with --users mapped: -t, a live run with UST summary lines, then nothing to do', async () => {
    const source = await sourceOrg()
    const target = await targetOrg()
    const dir = await dirFor(source, { kind: 'umapi', fake: target, secret: TARGET_SECRET })
    const args = [...FLAGS, '--users', 'mapped']
    const before = active(target)
    const test = await sync(dir, [...args, '-t'])
    expect(test.code, test.stderr).toBe(0)
    expect(test.stdout).toContain('Action Summary (TEST MODE)')
    expect(active(target)).toEqual(before)

    const run = await sync(dir, args)
    expect(run.code, run.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(run.stdout))).toMatchObject({
      'Number of directory users read': '2',
      'Number of new Adobe users added': '1',
      'Number of matching Adobe users updated': '1',
      'Number of Adobe user-groups created': '1',
      'Number of Adobe-only users removed': '1',
    })
    expect(active(target)).toEqual([
      'ann.lee@example.com:Ann:Design Team',
      'bob.stone@example.com:Bob:Design Team+Marketing Team',
      'it.admin@example.com:undefined:_org_admin',
    ])
    const again = await sync(dir, args)
    expect(again.code, again.stderr).toBe(0)
    expect(summaryOf(again.stdout).get('Number of UMAPI actions sent (total, success, error)')).toBe('(0, 0, 0)')
    // the source org is only read: no action ever reached it
    expect(actions(source)).toHaveLength(0)
    expectNoSecret(test.stdout, test.stderr, run.stdout, run.stderr, again.stdout, again.stderr)
  })

  it('into the sandbox with --users all and the secret from secure_client_secret_key (env backend); idempotent', async () => {
    const source = await sourceOrg()
    const dir = await dirFor(source, { kind: 'sandbox' }, { secretLine: 'secure_client_secret_key: ust-console' })
    const env = { UST_CREDENTIAL_BACKEND: 'env', UST_SECRET_UST_CONSOLE: SOURCE_SECRET }
    const run = await sync(dir, [...FLAGS, '--users', 'all'], env)
    expect(run.code, run.stderr).toBe(0)
    const org = await readOrg(dir)
    expect(org.users.map((u) => `${u.email}:${[...u.groups].sort().join('+')}`).sort()).toEqual([
      'ann.lee@example.com:Design Team',
      'bob.stone@example.com:Design Team+Marketing Team',
      'eve.moss@example.com:',
    ])
    const again = await sync(dir, [...FLAGS, '--users', 'all'], env)
    expect(again.code, again.stderr).toBe(0)
    expect(await readFile(join(dir, 'org.json'), 'utf8')).toBe(`${JSON.stringify(org, null, 2)}\n`)
    expectNoSecret(run.stdout, run.stderr, again.stdout, again.stderr)
  })

  it("ust net check reports the source org's IMS and UMAPI endpoints and checks both", async () => {
    const source = await sourceOrg()
    const dir = await dirFor(source, { kind: 'sandbox' })
    const run = await runCli(['net', 'check', '--json', '-c', 'user-sync-config.yml'], { cwd: dir, env: netEnv() })
    expect(run.code, run.stderr).toBe(0)
    const result = jsonOf<{ endpoints: { name: string; owner: string }[]; auth: { name: string; status: string }[] }>(
      run,
    )
    expect(result.endpoints.filter((e) => e.owner.startsWith('adobe_console')).map((e) => e.name)).toEqual([
      'IMS',
      'UMAPI',
    ])
    expect(result.auth.map((a) => [a.name, a.status])).toEqual(
      expect.arrayContaining([
        ['IMS token', 'ok'],
        ['UMAPI status', 'ok'],
      ]),
    )
    expectNoSecret(run.stdout, run.stderr)
  })

  it('a wrong secret is exit 3 naming integration.client_secret, and the secret appears in no form', async () => {
    const source = await sourceOrg()
    const target = await targetOrg()
    const dir = await dirFor(
      source,
      { kind: 'umapi', fake: target, secret: TARGET_SECRET },
      {
        secretLine: `client_secret: ${JSON.stringify(WRONG)}`,
      },
    )
    const run = await sync(dir, FLAGS)
    expect(run.code, run.stderr).toBe(3)
    expect(run.stderr).toMatch(/refused the credentials of client source-client-id.*invalid_client/)
    expect(run.stderr).toContain('integration.client_secret')
    expect(run.stderr).not.toContain('enterprise.')
    const json = await sync(dir, [...FLAGS, '--json'])
    expect(json.code).toBe(3)
    expect(actions(target)).toHaveLength(0)
    expectNoSecret(run.stdout, run.stderr, json.stdout, json.stderr)
  })

  it('a users page that fails mid-read stops the run before any write (exit 6)', async () => {
    const source = await sourceOrg({ pageSize: 200 })
    for (let i = 0; i < 300; i++) source.org.addUser({ email: `u${i}@example.com`, groups: ['Design'] })
    const target = await targetOrg()
    const before = active(target)
    // page 0 served, then page 1 fails with a status that is not retried
    source.faults.reply(
      {
        status: 200,
        body: { result: 'success', lastPage: false, users: [{ email: 'p0@example.com', type: 'federatedID' }] },
      },
      { endpoint: 'users' },
    )
    source.faults.status(500, { endpoint: 'users' })
    const dir = await dirFor(source, { kind: 'umapi', fake: target, secret: TARGET_SECRET })
    const run = await sync(dir, [...FLAGS, '--users', 'all'])
    expect(run.code, run.stderr).toBe(6)
    expect(run.stderr).toMatch(/UMAPI GET users page 1 .*HTTP 500/)
    await source.settled()
    expect(source.requests.filter((r) => r.endpoint === 'users')).toHaveLength(2)
    expect(actions(target)).toHaveLength(0)
    expect(active(target)).toEqual(before)
    expectNoSecret(run.stdout, run.stderr)
  })

  it('syncs through the authenticating tinyproxy', async () => {
    const source = await sourceOrg()
    const dir = await dirFor(
      source,
      { kind: 'sandbox' },
      {
        network: [`proxy: ${proxy.url}`, `proxy_user: ${PROXY_USER}`, `proxy_password: ${PROXY_PASSWORD}`],
      },
    )
    const mark = proxy.mark()
    const run = await sync(dir, FLAGS)
    expect(run.code, run.stderr).toBe(0)
    expect(proxy.requests(mark)).toContain(`CONNECT 127.0.0.1:${new URL(source.url).port} HTTP/1.1`)
    expect(summaryOf(run.stdout).get('Number of directory users read')).toBe('3')
    expectNoSecret(run.stdout, run.stderr)
  })
})
