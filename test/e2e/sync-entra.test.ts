import { randomBytes } from 'node:crypto'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestCa,
  type FakeGraph,
  type FakeUmapi,
  startFakeGraph,
  startTinyproxy,
  type TestCa,
  type Tinyproxy,
} from '@ust-sync/test-servers'
import { netEnv } from './net-helpers.js'
import { type CliRun, jsonOf, runCli } from './run-cli.js'
import { type OrgFile, readOrg, summaryOf } from './sync-helpers.js'
import { secretForms, sourceSyncDir, startTargetOrg, type TargetChoice } from './source-sync-helpers.js'

// ust sync --connector entra: a fake Microsoft Graph + Entra token endpoint (HTTPS, test CA) as the
// directory, into the fake UMAPI and into the sandbox target, with UST-style config files.
const SECRET = `e2e~Entra+Secr3t/${randomBytes(10).toString('hex')}=`
const WRONG = `e2e~Wr0ng+Entra/${randomBytes(10).toString('hex')}=`
const UMAPI_SECRET = `e2e-umapi-${randomBytes(8).toString('hex')}`
const PROXY_USER = 'ustproxy'
const PROXY_PASSWORD = `Pr0xy${randomBytes(6).toString('hex')}`

let ca: TestCa
let caFile: string
let proxy: Tinyproxy
const servers: { close(): Promise<void> }[] = []
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

/** The tenant: Ann and Bob in Design, Carl in Marketing (nested in Design), Dana disabled, a guest without mail. */
async function fakeGraph(): Promise<FakeGraph> {
  const graph = await startFakeGraph({ tls: { key: ca.keyPem, cert: ca.certPem }, clientSecret: SECRET })
  servers.push(graph)
  const t = graph.tenant
  const ann = t.addUser({
    userPrincipalName: 'ann@example.com',
    mail: 'ann.lee@example.com',
    givenName: 'Ann',
    surname: 'Lee',
    usageLocation: 'US',
  })
  const bob = t.addUser({
    userPrincipalName: 'bob@example.com',
    mail: 'bob.stone@example.com',
    givenName: 'Bob',
    surname: 'Stone',
    usageLocation: 'GB',
  })
  const carl = t.addUser({
    userPrincipalName: 'carl@example.com',
    mail: 'carl.gray@example.com',
    givenName: 'Carl',
    surname: 'Gray',
    usageLocation: 'DE',
  })
  const dana = t.addUser({
    userPrincipalName: 'dana@example.com',
    mail: 'dana.fox@example.com',
    givenName: 'Dana',
    surname: 'Fox',
    accountEnabled: false,
  })
  t.addUser({ userPrincipalName: 'guest_x.com#EXT#@tenant.onmicrosoft.com', mail: null })
  const marketing = t.addGroup('Marketing', [carl.id, dana.id])
  t.addGroup('Design', [ann.id, bob.id, marketing.id])
  return graph
}

/** The target org: Bob with an outdated first name, Zed no longer in the directory, an excluded admin. */
async function fakeUmapi(): Promise<FakeUmapi> {
  const fake = await startTargetOrg({ key: ca.keyPem, cert: ca.certPem }, UMAPI_SECRET)
  servers.push(fake)
  return fake
}

/** connector-entra.yml in UST's style, pointing at `graph`. */
function entraConnector(graph: FakeGraph, secretLine = `client_secret: ${JSON.stringify(SECRET)}`): string {
  return [
    `tenant_id: ${graph.tenantId}`,
    `client_id: ${graph.clientId}`,
    secretLine,
    `authority_host: ${graph.url}`,
    `graph_host: ${graph.url}`,
    'all_users_filter: accountEnabled eq true',
    'user_email_format: "{mail}"',
    'user_given_name_format: "{givenName}"',
    'user_surname_format: "{surname}"',
    'user_country_code_format: "{usageLocation}"',
    'server:',
    '  timeout: 10',
    '  retries: 2',
    '',
  ].join('\n')
}

async function dirFor(
  graph: FakeGraph,
  target: TargetChoice,
  options: { secretLine?: string; network?: string[]; trustCa?: boolean; mainExtra?: string[] } = {},
): Promise<string> {
  const dir = await sourceSyncDir({
    sourceId: 'entra',
    connectorFile: 'connector-entra.yml',
    connectorText: entraConnector(graph, options.secretLine),
    target,
    network: [...(options.trustCa === false ? [] : [`ca_file: ${caFile}`]), ...(options.network ?? [])],
    ...(options.mainExtra ? { mainExtra: options.mainExtra } : {}),
  })
  dirs.push(dir)
  return dir
}

const FLAGS = ['--connector', 'entra', '--process-groups', '--update-user-info', '--adobe-only-user-action', 'remove']

function sync(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return runCli(['sync', '-c', join(dir, 'user-sync-config.yml'), ...args], { cwd: dir, env: netEnv(env) })
}

function expectNoSecret(...texts: string[]): void {
  for (const text of texts)
    for (const secret of [SECRET, WRONG, UMAPI_SECRET, PROXY_PASSWORD])
      for (const form of secretForms(secret)) expect(text).not.toContain(form)
}

const actions = (fake: FakeUmapi) => fake.requests.filter((r) => r.endpoint === 'action')
const active = (fake: FakeUmapi) =>
  fake.org
    .users()
    .filter((u) => u.status === 'active')
    .map((u) => `${u.email}:${u.firstname}:${fake.org.groupsOf(u, { directOnly: true }).sort().join('+')}`)
    .sort()

describe('ust sync --connector entra (fake Graph over HTTPS)', { timeout: 120_000 }, () => {
  it('into the fake UMAPI: -t changes nothing, a live run applies with UST summary lines, a second run has nothing to do', async () => {
    const graph = await fakeGraph()
    const fake = await fakeUmapi()
    const dir = await dirFor(graph, { kind: 'umapi', fake, secret: UMAPI_SECRET })
    const before = active(fake)
    const mapped = [...FLAGS, '--users', 'mapped']
    const test = await sync(dir, [...mapped, '-t'])
    expect(test.code, test.stderr).toBe(0)
    expect(test.stdout).toContain('Action Summary (TEST MODE)')
    expect(active(fake)).toEqual(before)
    expect(actions(fake).every((r) => r.query.testOnly === 'true')).toBe(true)

    const run = await sync(dir, mapped)
    expect(run.code, run.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(run.stdout))).toMatchObject({
      'Number of directory users read': '3',
      'Number of directory users selected for input': '3',
      'Number of new Adobe users added': '2',
      'Number of matching Adobe users updated': '1',
      'Number of Adobe user-groups created': '1',
      'Number of Adobe-only users removed': '1',
    })
    expect(active(fake)).toEqual([
      'ann.lee@example.com:Ann:Design Team',
      'bob.stone@example.com:Bob:Design Team',
      'carl.gray@example.com:Carl:Design Team+Marketing Team',
      'it.admin@example.com:undefined:_org_admin',
    ])
    const again = await sync(dir, mapped)
    expect(again.code, again.stderr).toBe(0)
    expect(summaryOf(again.stdout).get('Number of UMAPI actions sent (total, success, error)')).toBe('(0, 0, 0)')
    // transitiveMembers pages with ConsistencyLevel on every request, users never listed with --users mapped
    expect(graph.requests.filter((r) => r.endpoint === 'users')).toHaveLength(0)
    expect(
      graph.requests.filter((r) => r.endpoint === 'members').every((r) => r.headers.consistencylevel === 'eventual'),
    ).toBe(true)
    expectNoSecret(test.stdout, test.stderr, run.stdout, run.stderr, again.stdout, again.stderr)
  })

  it('into the sandbox target with --users all and secure_client_secret_key (env backend): everyone enabled; idempotent', async () => {
    const graph = await fakeGraph()
    const dir = await dirFor(graph, { kind: 'sandbox' }, { secretLine: 'secure_client_secret_key: ust-entra' })
    const env = { UST_CREDENTIAL_BACKEND: 'env', UST_SECRET_UST_ENTRA: SECRET }
    const run = await sync(dir, [...FLAGS, '--users', 'all'], env)
    expect(run.code, run.stderr).toBe(0)
    expect(summaryOf(run.stdout).get('Number of directory users read')).toBe('3')
    expect(run.stdout).toMatch(/Skipping user guest_x\.com#EXT#@tenant\.onmicrosoft\.com: no email/)
    const org: OrgFile = await readOrg(dir)
    expect(org.users.map((u) => `${u.email}:${u.country}:${[...u.groups].sort().join('+')}`).sort()).toEqual([
      'ann.lee@example.com:US:Design Team',
      'bob.stone@example.com:GB:Design Team',
      'carl.gray@example.com:DE:Design Team+Marketing Team',
    ])
    const again = await sync(dir, [...FLAGS, '--users', 'all'], env)
    expect(again.code, again.stderr).toBe(0)
    expect(await readFile(join(dir, 'org.json'), 'utf8')).toBe(`${JSON.stringify(org, null, 2)}\n`)
    expect(summaryOf(again.stdout).get('Number of new Adobe users added')).toBe('0')
    expectNoSecret(run.stdout, run.stderr, again.stdout, again.stderr)
  })

  it('ust net check lists the token endpoint and Graph, and checks token, users and groups', async () => {
    const graph = await fakeGraph()
    const dir = await dirFor(graph, { kind: 'sandbox' })
    const run = await runCli(['net', 'check', '--json', '-c', 'user-sync-config.yml'], { cwd: dir, env: netEnv() })
    expect(run.code, run.stderr).toBe(0)
    const result = jsonOf<{ endpoints: { name: string; url: string }[]; auth: { name: string; status: string }[] }>(run)
    expect(result.endpoints.map((e) => e.name)).toEqual(expect.arrayContaining(['Entra ID token', 'Microsoft Graph']))
    expect(result.auth.map((a) => [a.name, a.status])).toEqual(
      expect.arrayContaining([
        ['Entra ID token', 'ok'],
        ['Graph users', 'ok'],
        ['Graph groups', 'ok'],
      ]),
    )
    expectNoSecret(run.stdout, run.stderr)
  })

  it('a wrong secret (from the connector file) is exit 3 with what to do, and the secret appears in no form', async () => {
    const graph = await fakeGraph()
    const fake = await fakeUmapi()
    const dir = await dirFor(
      graph,
      { kind: 'umapi', fake, secret: UMAPI_SECRET },
      { secretLine: `client_secret: ${JSON.stringify(WRONG)}` },
    )
    const run = await sync(dir, FLAGS)
    expect(run.code, run.stderr).toBe(3)
    expect(run.stderr).toMatch(/refused the credentials of client .*AADSTS7000215/)
    expect(run.stderr).toMatch(/Check tenant_id .* client_secret \(or secure_client_secret_key\)/)
    const json = await sync(dir, [...FLAGS, '--json'])
    expect(json.code).toBe(3)
    expect(actions(fake)).toHaveLength(0)
    expectNoSecret(run.stdout, run.stderr, json.stdout, json.stderr)
  })

  it('a page that fails mid-read stops the run before any write (exit 6)', async () => {
    const graph = await fakeGraph()
    for (let i = 0; i < 1000; i++)
      graph.tenant.addUser({ userPrincipalName: `u${i}@example.com`, mail: `u${i}@example.com` })
    graph.faults.truncate({ endpoint: 'users', after: 1 })
    const fake = await fakeUmapi()
    const before = active(fake)
    const dir = await dirFor(graph, { kind: 'umapi', fake, secret: UMAPI_SECRET })
    const run = await sync(dir, [...FLAGS, '--users', 'all'])
    expect(run.code, run.stderr).toBe(6)
    expect(run.stderr).toMatch(/GET users page 2: the reply is not complete JSON/)
    await graph.served('users', 2)
    expect(graph.requests.filter((r) => r.endpoint === 'users')).toHaveLength(2)
    expect(actions(fake)).toHaveLength(0)
    expect(active(fake)).toEqual(before)
    expectNoSecret(run.stdout, run.stderr)
  })

  it('an untrusted certificate is exit 4; ssl_cert_verify: False bypasses it for the Graph hosts only, with a warning', async () => {
    const graph = await fakeGraph()
    const untrusted = await dirFor(graph, { kind: 'sandbox' }, { trustCa: false })
    const refused = await sync(untrusted, FLAGS)
    expect(refused.code, refused.stderr).toBe(4)
    expect(refused.stderr).toMatch(/certificate/i)
    const bypass = await dirFor(
      graph,
      { kind: 'sandbox' },
      { trustCa: false, mainExtra: ['invocation_defaults:', '  ssl_cert_verify: False'] },
    )
    const run = await sync(bypass, FLAGS)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/SSL certificate verification is bypassed for 127\.0\.0\.1/)
    expectNoSecret(refused.stdout, refused.stderr, run.stdout, run.stderr)
  })

  it('syncs through the authenticating tinyproxy (network.proxy): Graph and the token endpoint go through it', async () => {
    const graph = await fakeGraph()
    const dir = await dirFor(
      graph,
      { kind: 'sandbox' },
      {
        network: [`proxy: ${proxy.url}`, `proxy_user: ${PROXY_USER}`, `proxy_password: ${PROXY_PASSWORD}`],
      },
    )
    const mark = proxy.mark()
    const run = await sync(dir, FLAGS)
    expect(run.code, run.stderr).toBe(0)
    expect(proxy.requests(mark)).toContain(`CONNECT ${graph.host} HTTP/1.1`)
    expect(summaryOf(run.stdout).get('Number of directory users read')).toBe('3')
    expectNoSecret(run.stdout, run.stderr)
  })
})
