import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import {
  createTestCa,
  type FakeOkta,
  type FakeUmapi,
  startFakeOkta,
  startFakeUmapi,
  startTinyproxy,
  type TestCa,
  type Tinyproxy,
} from '@ust-sync/test-servers'
import type { NetCheckResult } from '../../src/network/net-check.types.js'
import { type CliRun, jsonOf, runCli } from './run-cli.js'
import { E2E_FIXTURES, emailsOf, freshCopy, readOrg, summaryOf, userOf, writeUmapiConnector } from './sync-helpers.js'

// ust sync --connector okta from the fake Okta (HTTPS, test CA) into the fake UMAPI and into the sandbox org,
// with UST's file layout and UST's sample connector-okta.yml.
const FIXTURE = join(E2E_FIXTURES, 'sync-okta')
const FLAGS = ['--connector', 'okta', '--process-groups', '--adobe-only-user-action', 'remove']
const SECRET = `e2e-Secr3t-${randomBytes(12).toString('hex')}`
const TOKEN = `00okta-${randomBytes(15).toString('base64url')}`
const DIRECTORY = ['ana@example.test', 'bo@example.test', 'zoe@example.test']

let ca: TestCa
const fakes: { close(): Promise<void> }[] = []
const dirs: string[] = []

beforeAll(() => {
  ca = createTestCa()
})
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})
afterAll(async () => {
  await Promise.all([...dirs, ca.dir].map((dir) => rm(dir, { recursive: true, force: true })))
})

async function fakeOkta(): Promise<FakeOkta> {
  const okta = await startFakeOkta({ tls: { key: ca.keyPem, cert: ca.certPem }, token: TOKEN })
  fakes.push(okta)
  const d = okta.directory
  d.addUser({
    profile: {
      login: 'ana@example.test',
      email: 'ana@example.test',
      firstName: 'Ana',
      lastName: 'Ruiz',
      countryCode: 'MX',
    },
    groups: ['Staff', 'Admins'],
  })
  d.addUser({
    profile: { login: 'bo@example.test', email: 'bo@example.test', firstName: 'Bo', lastName: 'Berg' },
    groups: ['Staff'],
  })
  d.addUser({
    profile: {
      login: 'zoe@example.test',
      email: 'zoe@example.test',
      firstName: 'Zoë',
      lastName: 'Ærøskøbing',
      countryCode: 'DK',
    },
    groups: ['Staff'],
  })
  d.addUser({
    status: 'SUSPENDED',
    profile: { login: 'sus@example.test', email: 'sus@example.test' },
    groups: ['Staff'],
  })
  d.addUser({ profile: { login: 'nomail', firstName: 'No' }, groups: ['Staff'] })
  return okta
}

async function fakeUmapi(): Promise<FakeUmapi> {
  const fake = await startFakeUmapi({
    tls: { key: ca.keyPem, cert: ca.certPem },
    clientSecret: SECRET,
    limits: { action: 10, users: 25, usersInGroup: 25, groups: 5 },
    windowMs: 2000,
    claimedDomains: ['example.test'],
  })
  fakes.push(fake)
  fake.org.addUserGroup('Staff Team')
  fake.org.addUserGroup('Admins Team')
  fake.org.addUser({
    email: 'ana@example.test',
    firstname: 'Ana',
    lastname: 'Old',
    country: 'MX',
    groups: ['Staff Team'],
  })
  fake.org.addUser({
    email: 'carl@example.test',
    firstname: 'Carl',
    lastname: 'Gone',
    country: 'US',
    groups: ['Staff Team'],
  })
  fake.org.addUser({ email: 'it.admin@example.test', type: 'enterpriseID', groups: ['_org_admin'] })
  return fake
}

/** A copy of the fixture with connector-okta.yml pointing at the fake Okta (and connector-umapi.yml at the fake UMAPI). */
async function configFor(okta: FakeOkta, token = TOKEN, fake?: FakeUmapi): Promise<string> {
  const dir = await freshCopy(FIXTURE, 'ust-e2e-okta-')
  dirs.push(dir)
  const template = await readFile(join(dir, 'connector-okta.yml.template'), 'utf8')
  await writeFile(join(dir, 'connector-okta.yml'), template.replace('__HOST__', okta.host).replace('__TOKEN__', token))
  if (fake) await writeUmapiConnector(dir, fake, `client_secret: ${SECRET}`)
  return dir
}

/** `ust sync` trusting the test CA (both fakes use it) through NODE_EXTRA_CA_CERTS, with no proxy. */
function sync(
  dir: string,
  args: string[],
  config = 'user-sync-config.yml',
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  return runCli(['sync', '-c', join(dir, config), ...args], {
    cwd: dir,
    env: {
      NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
      HTTPS_PROXY: undefined,
      https_proxy: undefined,
      NO_PROXY: '127.0.0.1',
      ...env,
    },
  })
}

const actions = (fake: FakeUmapi) => fake.requests.filter((r) => r.endpoint === 'action')

function expectNoSecret(run: CliRun, ...secrets: string[]): void {
  for (const text of [run.stdout, run.stderr])
    for (const secret of secrets) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain(encodeURIComponent(secret))
    }
}

describe('ust sync --connector okta into UMAPI (fake servers over HTTPS)', () => {
  it('syncs the mapped groups; a second run changes nothing; -t changes nothing', async () => {
    const okta = await fakeOkta()
    const fake = await fakeUmapi()
    const dir = await configFor(okta, TOKEN, fake)
    const first = await sync(dir, FLAGS)
    expect(first.code, first.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(first.stdout))).toMatchObject({
      'Number of directory users read': '3',
      'Number of directory users selected for input': '3',
      'Number of Adobe users read': '3',
      'Number of Adobe users excluded from updates': '1',
      'Number of new Adobe users added': '2',
      'Number of matching Adobe users updated': '1',
      'Number of Adobe-only users removed': '1',
    })
    const active = fake.org.users().filter((u) => u.status === 'active' && u.type === 'federatedID')
    expect(active.map((u) => u.email).sort()).toEqual(DIRECTORY)
    const zoe = active.find((u) => u.email === 'zoe@example.test')
    expect(zoe).toMatchObject({ firstname: 'Zoë', lastname: 'Ærøskøbing', country: 'DK' })
    const ana = active.find((u) => u.email === 'ana@example.test')!
    expect(fake.org.groupsOf(ana, { directOnly: true }).sort()).toEqual(['Admins Team', 'Staff Team'])
    expect(first.stdout).toContain('Skipping Okta user')
    expect(okta.requests.every((r) => r.headers.authorization === `SSWS ${TOKEN}`)).toBe(true)
    expectNoSecret(first, TOKEN, SECRET)

    const sent = actions(fake).length
    const second = await sync(dir, FLAGS)
    expect(second.code, second.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(second.stdout))).toMatchObject({
      'Number of directory users read': '3',
      'Number of new Adobe users added': '0',
      'Number of matching Adobe users updated': '0',
      'Number of Adobe-only users removed': '0',
      'Number of UMAPI actions sent (total, success, error)': '(0, 0, 0)',
    })
    expect(actions(fake)).toHaveLength(sent)

    // A new Okta member, in test mode: reported, not applied.
    okta.directory.addUser({
      profile: { email: 'new@example.test', firstName: 'New', lastName: 'Hire' },
      groups: ['Staff'],
    })
    const test = await sync(dir, [...FLAGS, '-t'])
    expect(test.code, test.stderr).toBe(0)
    expect(summaryOf(test.stdout).get('Number of new Adobe users added')).toBe('1')
    expect(fake.org.users().some((u) => u.email === 'new@example.test')).toBe(false)
  })

  it('a wrong token stops the sync before anything is written (exit 3), says what to do, never prints the token', async () => {
    const okta = await fakeOkta()
    const fake = await fakeUmapi()
    const planted = `00WRONG-${randomBytes(15).toString('base64url')}`
    const dir = await configFor(okta, planted, fake)
    const run = await sync(dir, FLAGS)
    expect(run.code, run.stderr).toBe(ExitCode.credential)
    expect(run.stderr).toContain('E0000011')
    expect(run.stderr).toContain('Security > API > Tokens')
    expect(run.stderr).toContain(okta.url)
    expectNoSecret(run, planted, TOKEN, SECRET)
    expect(actions(fake)).toHaveLength(0)
  })

  it('a page failing in the middle of the read stops the run before any write (exit 6)', async () => {
    const okta = await fakeOkta()
    for (let n = 0; n < 900; n++)
      okta.directory.addUser({
        profile: { email: `m${n}@example.test`, firstName: 'M', lastName: `${n}` },
        groups: ['Staff'],
      })
    const fake = await fakeUmapi()
    const dir = await configFor(okta, TOKEN, fake)
    // Once Okta has served the first page of Staff's members, every later page fails.
    const firstPage = okta.served((r) => r.endpoint === 'members' && r.status === 200 && r.query.after === undefined)
    const running = sync(dir, FLAGS)
    const early = await Promise.race([firstPage.then(() => undefined), running])
    expect(early?.stderr, 'the sync ended before Okta served a page').toBeUndefined()
    okta.faults.status(503, { endpoint: 'members', times: 1000 })
    const run = await running
    expect(run.code, run.stderr).toBe(ExitCode.source)
    expect(run.stderr).toMatch(
      /Okta GET members of group "Staff" page 2 failed 5 times \(last: HTTP 503\); nothing was changed/,
    )
    expect(actions(fake)).toHaveLength(0)
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual(fake.requests.filter((r) => r.endpoint === 'token'))
  }, 120_000)

  it('ust net check reports the Okta endpoint, its stages and the token check', async () => {
    const okta = await fakeOkta()
    const fake = await fakeUmapi()
    const dir = await configFor(okta, TOKEN, fake)
    await appendFile(join(dir, 'user-sync-config.yml'), '\n  connector: okta\n')
    const run = await runCli(['net', 'check', '--json', '-c', join(dir, 'user-sync-config.yml')], {
      cwd: dir,
      env: { NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'), HTTPS_PROXY: undefined, https_proxy: undefined },
    })
    expect(run.code, run.stderr).toBe(0)
    const result = jsonOf<NetCheckResult>(run)
    const endpoint = result.endpoints.find((e) => e.name === 'Okta')
    expect(endpoint).toMatchObject({ url: okta.url, owner: 'okta', ok: true })
    expect(endpoint!.stages.map((s) => [s.stage, s.status])).toEqual([
      ['dns', 'ok'],
      ['route', 'ok'],
      ['tcp', 'ok'],
      ['tls', 'ok'],
      ['http', 'ok'],
    ])
    expect(result.auth.filter((a) => a.owner === 'okta').map((a) => [a.name, a.status])).toEqual([
      ['Okta users', 'ok'],
      ['Okta groups', 'ok'],
    ])
    expect(result.firewall).toContain(okta.host)
    expectNoSecret(run, TOKEN, SECRET)
  })
})

describe('ust sync --connector okta into the sandbox org', () => {
  it('brings org.json in line with the Okta groups; a second run changes nothing; --users all', async () => {
    const okta = await fakeOkta()
    const dir = await configFor(okta)
    const first = await sync(dir, FLAGS, 'user-sync-config.sandbox.yml')
    expect(first.code, first.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(first.stdout))).toMatchObject({
      'Number of directory users read': '3',
      'Number of new Adobe users added': '2',
      'Number of matching Adobe users updated': '1',
      'Number of Adobe-only users removed': '1',
    })
    const org = await readOrg(dir)
    expect(emailsOf(org)).toEqual(DIRECTORY)
    expect(userOf(org, 'ana@example.test').groups.sort()).toEqual(['Admins Team', 'Staff Team'])
    expect(userOf(org, 'zoe@example.test')).toMatchObject({ firstname: 'Zoë', country: 'DK', groups: ['Staff Team'] })
    const before = await readFile(join(dir, 'org.json'), 'utf8')
    const second = await sync(dir, FLAGS, 'user-sync-config.sandbox.yml')
    expect(second.code, second.stderr).toBe(0)
    expect(summaryOf(second.stdout).get('Number of new Adobe users added')).toBe('0')
    expect(summaryOf(second.stdout).get('Number of Adobe-only users removed')).toBe('0')
    expect(await readFile(join(dir, 'org.json'), 'utf8')).toBe(before)

    // UST refuses --users all for Okta; ust reads every ACTIVE user (filter=status eq "ACTIVE").
    okta.directory.addUser({ profile: { email: 'loner@example.test', firstName: 'Lo', lastName: 'Ner' } })
    okta.requests.length = 0
    const all = await sync(dir, ['--connector', 'okta', '--users', 'all', '-t'], 'user-sync-config.sandbox.yml')
    expect(all.code, all.stderr).toBe(0)
    expect(summaryOf(all.stdout).get('Number of directory users read')).toBe('4')
    expect(summaryOf(all.stdout).get('Number of new Adobe users added')).toBe('1')
    expect(okta.requests.find((r) => r.endpoint === 'users')?.query.filter).toBe('status eq "ACTIVE"')
  })
})

describe('ust config validate with connector-okta.yml', () => {
  it('an all_users_filter outside the expression language is exit 2 naming the column, nothing read', async () => {
    const okta = await fakeOkta()
    const dir = await configFor(okta)
    const connector = join(dir, 'connector-okta.yml')
    await writeFile(
      connector,
      (await readFile(connector, 'utf8')).replace(
        `all_users_filter: 'user.status == "ACTIVE"'`,
        `all_users_filter: '__import__("os").system("touch pwned")'`,
      ),
    )
    const run = await runCli(['config', 'validate', '-c', join(dir, 'user-sync-config.sandbox.yml')], { cwd: dir })
    expect(run.code, run.stderr).toBe(ExitCode.config)
    expect(run.stderr).toContain('all_users_filter in connector-okta.yml: "__import__" is not allowed at column 1')
    expect(okta.requests).toEqual([])
  })
})

describe('ust sync --connector okta with the secret in a credential backend', () => {
  /** The env backend's variable for a service and account. */
  const envName = (service: string, account: string) =>
    `UST_SECRET_${service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}__${account.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`

  it('secure_api_token_key: the token is looked up with the account = host, as UST', async () => {
    const okta = await fakeOkta()
    const dir = await configFor(okta)
    const connector = join(dir, 'connector-okta.yml')
    await writeFile(
      connector,
      (await readFile(connector, 'utf8')).replace(`api_token: "${TOKEN}"`, 'secure_api_token_key: ust-okta-api-token'),
    )
    expect(await readFile(connector, 'utf8')).not.toContain(TOKEN)
    const run = await sync(dir, [...FLAGS, '-t'], 'user-sync-config.sandbox.yml', {
      UST_CREDENTIAL_BACKEND: 'env',
      [envName('ust-okta-api-token', okta.host)]: TOKEN,
    })
    expect(run.code, run.stderr).toBe(0)
    expect(summaryOf(run.stdout).get('Number of directory users read')).toBe('3')
    expectNoSecret(run, TOKEN)
  })

  it('an OAuth service app: the private key from secure_private_key_key (account = client_id)', async () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const pem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const okta = await startFakeOkta({
      tls: { key: ca.keyPem, cert: ca.certPem },
      app: {
        clientId: '0oaE2eServiceApp',
        publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    })
    fakes.push(okta)
    okta.directory.addUser({
      profile: { email: 'ana@example.test', firstName: 'Ana', lastName: 'Ruiz' },
      groups: ['Staff'],
    })
    const dir = await configFor(okta)
    await writeFile(
      join(dir, 'connector-okta.yml'),
      `host: "${okta.host}"\nauthentication_method: oauth\nclient_id: 0oaE2eServiceApp\nsecure_private_key_key: ust-okta-private-key\n`,
    )
    const run = await sync(dir, [...FLAGS, '-t'], 'user-sync-config.sandbox.yml', {
      UST_CREDENTIAL_BACKEND: 'env',
      [envName('ust-okta-private-key', '0oaE2eServiceApp')]: pem,
    })
    expect(run.code, run.stderr).toBe(0)
    expect(summaryOf(run.stdout).get('Number of directory users read')).toBe('1')
    expect(okta.requests.filter((r) => r.endpoint === 'token').map((r) => r.status)).toEqual([200])
    const body = pem.split('\n')[1] ?? ''
    expectNoSecret(run, body)
  })
})

describe('ust sync --connector okta through an authenticating proxy (tinyproxy)', () => {
  let proxy: Tinyproxy
  beforeAll(async () => {
    proxy = await startTinyproxy({ user: 'oktaproxy', password: 'Pr0xyOkta77' })
  })
  afterAll(async () => proxy?.stop())

  it('reaches Okta through network.proxy with basic auth and the CA from network.ca_file', async () => {
    const okta = await fakeOkta()
    const dir = await configFor(okta)
    await appendFile(
      join(dir, 'user-sync-config.sandbox.yml'),
      `\nnetwork:\n  proxy: ${proxy.url}\n  proxy_user: oktaproxy\n  proxy_password: Pr0xyOkta77\n  ca_file: ${join(ca.dir, 'ca.crt')}\n`,
    )
    const mark = proxy.mark()
    const run = await sync(dir, [...FLAGS, '-t'], 'user-sync-config.sandbox.yml', {
      NODE_EXTRA_CA_CERTS: undefined,
      NO_PROXY: undefined,
      no_proxy: undefined,
    })
    expect(run.code, run.stderr).toBe(0)
    expect(summaryOf(run.stdout).get('Number of directory users read')).toBe('3')
    expect(proxy.requests(mark)).toContain(`CONNECT ${okta.host} HTTP/1.1`)
    expectNoSecret(run, TOKEN, 'Pr0xyOkta77')
  })
})
