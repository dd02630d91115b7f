import { randomBytes } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import { offlineLdif, onlineLdif } from '../../plugins/ldap/test/fixture-directory.js'
import {
  ADMIN_PASSWORD,
  createTestCa,
  type FakeOrg,
  type FakeUmapi,
  runInKeyringSession,
  type Slapd,
  startFakeUmapi,
  startSlapd,
  type TestCa,
} from '@ust-sync/test-servers'
import type { NetCheckResult } from '../../src/network/net-check.types.js'
import { BIN, type CliRun, jsonOf, runCli } from './run-cli.js'
import { E2E_FIXTURES, emailsOf, freshCopy, readOrg, summaryOf, userOf, writeUmapiConnector } from './sync-helpers.js'

const FIXTURE = join(E2E_FIXTURES, 'sync-ldap')
const FLAGS = ['--process-groups', '--adobe-only-user-action', 'remove']
const SECRET = `e2e-Secr3t-${randomBytes(12).toString('hex')}`
/** Members of `staff` and `admins` with an email (uid=nomail has none and is skipped). */
const DIRECTORY = ['alice@example.test', 'bob@example.test', 'john.smith@example.test', 'zoe@example.test']

let ca: TestCa
let slapd: Slapd
const fakes: FakeUmapi[] = []
const dirs: string[] = []

beforeAll(async () => {
  ca = createTestCa()
  slapd = await startSlapd({ ca, offline: offlineLdif(0), online: onlineLdif(0) })
}, 60_000)
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})
afterAll(async () => {
  await slapd?.dispose()
  await Promise.all([...dirs, ca.dir].map((dir) => rm(dir, { recursive: true, force: true })))
})

function seed(org: FakeOrg): void {
  org.addUserGroup('Staff Team')
  org.addUserGroup('Admins Team')
  org.addUser({
    email: 'alice@example.test',
    firstname: 'Alice',
    lastname: 'Adams',
    country: 'US',
    groups: ['Staff Team', 'Admins Team'],
  })
  org.addUser({
    email: 'carl@example.test',
    firstname: 'Carl',
    lastname: 'Gone',
    country: 'US',
    groups: ['Staff Team'],
  })
  org.addUser({ email: 'it.admin@example.test', type: 'enterpriseID', groups: ['_org_admin'] })
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
  seed(fake.org)
  return fake
}

/** A copy of the fixture with connector-ldap.yml pointing at `host` (StartTLS on ldap://, verified). */
async function configFor(host: string, password = ADMIN_PASSWORD, fake?: FakeUmapi): Promise<string> {
  const dir = await freshCopy(FIXTURE, 'ust-e2e-ldap-')
  dirs.push(dir)
  const template = await readFile(join(dir, 'connector-ldap.yml.template'), 'utf8')
  await writeFile(join(dir, 'connector-ldap.yml'), template.replace('__HOST__', host).replace('__PASSWORD__', password))
  if (fake) await writeUmapiConnector(dir, fake, `client_secret: ${SECRET}`)
  return dir
}

/** `ust sync` trusting the test CA (slapd and the fake UMAPI share it) through NODE_EXTRA_CA_CERTS. */
function sync(dir: string, args: string[], config = 'user-sync-config.yml'): Promise<CliRun> {
  return runCli(['sync', '-c', join(dir, config), ...args], {
    cwd: dir,
    env: {
      NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
      HTTPS_PROXY: undefined,
      https_proxy: undefined,
      NO_PROXY: '127.0.0.1',
    },
  })
}

const actions = (fake: FakeUmapi) => fake.requests.filter((r) => r.endpoint === 'action')

describe('ust sync: OpenLDAP into UMAPI (fake server over HTTPS)', () => {
  it('syncs the mapped groups with ldap as the default connector; a second run changes nothing', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(slapd.url, ADMIN_PASSWORD, fake)
    const first = await sync(dir, FLAGS)
    expect(first.code, first.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(first.stdout))).toMatchObject({
      'Number of directory users read': '4',
      'Number of directory users selected for input': '4',
      'Number of Adobe users read': '3',
      'Number of Adobe users excluded from updates': '1',
      'Number of non-excluded Adobe users with no changes': '1',
      'Number of new Adobe users added': '3',
      'Number of matching Adobe users updated': '0',
      'Number of Adobe-only users removed': '1',
    })
    const active = fake.org.users().filter((u) => u.status === 'active' && u.type === 'federatedID')
    expect(active.map((u) => u.email).sort()).toEqual(DIRECTORY)
    const zoe = active.find((u) => u.email === 'zoe@example.test')
    expect(zoe).toMatchObject({ firstname: 'Zoë', lastname: 'Ærøskøbing', country: 'DK' })
    expect(fake.org.groupsOf(zoe!, { directOnly: true })).toEqual(['Staff Team'])
    expect(first.stdout).toContain('Skipping user with dn uid=nomail')
    for (const text of [first.stdout, first.stderr]) {
      expect(text).not.toContain(ADMIN_PASSWORD)
      expect(text).not.toContain(SECRET)
    }

    const sent = actions(fake).length
    const second = await sync(dir, FLAGS)
    expect(second.code, second.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(second.stdout))).toMatchObject({
      'Number of directory users read': '4',
      'Number of new Adobe users added': '0',
      'Number of matching Adobe users updated': '0',
      'Number of Adobe-only users removed': '0',
      'Number of UMAPI actions sent (total, success, error)': '(0, 0, 0)',
    })
    expect(actions(fake)).toHaveLength(sent)
  })

  it('a wrong LDAP password stops the sync before anything is written (exit 3), naming host and DN', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(slapd.url, 'Wr0ng-ldap-pw', fake)
    const run = await sync(dir, FLAGS)
    expect(run.code).toBe(ExitCode.credential)
    expect(run.stderr).toContain(slapd.url)
    expect(run.stderr).toContain('cn=admin,dc=example,dc=test')
    expect(run.stderr).not.toContain('Wr0ng-ldap-pw')
    expect(actions(fake)).toHaveLength(0)
  })

  it('LDAPS without the CA is refused (exit 4) naming the issuer and the fix', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(slapd.ldapsUrl, ADMIN_PASSWORD, fake)
    const run = await runCli(['sync', '-c', join(dir, 'user-sync-config.yml'), ...FLAGS], { cwd: dir })
    expect(run.code).toBe(ExitCode.network)
    expect(run.stderr).toContain('ust-fake-umapi-test-CA')
    expect(run.stderr).toContain('NODE_EXTRA_CA_CERTS')
    expect(actions(fake)).toHaveLength(0)
  })

  it('additional_groups need dynamic_group_member_attribute (exit 2, nothing written); with memberOf they map every group', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(slapd.url, ADMIN_PASSWORD, fake)
    const main = join(dir, 'user-sync-config.yml')
    const rules =
      '  additional_groups:\n    - source: "(.+)"\n      target: "Dyn-\\\\1"\n  group_sync_options:\n    auto_create: True\n\n'
    await writeFile(main, (await readFile(main, 'utf8')).replace('\nlimits:', `${rules}limits:`))
    const run = await sync(dir, FLAGS)
    expect(run.code, run.stderr).toBe(ExitCode.config)
    expect(run.stderr).toContain('needs dynamic_group_member_attribute in connector-ldap.yml')
    expect(actions(fake)).toHaveLength(0)

    // As an administrator would fix it: the attribute OpenLDAP's memberOf overlay keeps.
    const connector = join(dir, 'connector-ldap.yml')
    await writeFile(connector, `${await readFile(connector, 'utf8')}dynamic_group_member_attribute: memberOf\n`)
    const fixed = await sync(dir, FLAGS)
    expect(fixed.code, fixed.stderr).toBe(0)
    const alice = fake.org.users().find((u) => u.email === 'alice@example.test')!
    expect(fake.org.groupsOf(alice, { directOnly: true }).sort()).toEqual([
      'Admins Team',
      'Dyn-admins',
      'Dyn-staff',
      'Staff Team',
    ])
  })

  it('ust net check probes the LDAPS server too: its stages, the bind check and the firewall list', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(slapd.ldapsUrl, ADMIN_PASSWORD, fake)
    const run = await runCli(['net', 'check', '--json', '-c', join(dir, 'user-sync-config.yml')], {
      cwd: dir,
      env: { NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'), HTTPS_PROXY: undefined, https_proxy: undefined },
    })
    expect(run.code, run.stderr).toBe(0)
    const result = jsonOf<NetCheckResult>(run)
    const ldap = result.endpoints.find((e) => e.name === 'LDAP')
    expect(ldap).toMatchObject({ url: slapd.ldapsUrl, owner: 'ldap', ok: true })
    expect(ldap!.stages.map((s) => [s.stage, s.status])).toEqual([
      ['dns', 'ok'],
      ['route', 'ok'],
      ['tcp', 'ok'],
      ['tls', 'ok'],
    ])
    expect(ldap!.stages.find((s) => s.stage === 'tls')!.tls).toMatchObject({ trusted: true })
    expect(result.firewall).toContain(`127.0.0.1:${new URL(slapd.ldapsUrl).port}`)
    expect(result.auth.filter((a) => a.owner === 'ldap').map((a) => a.status)).toEqual(['ok', 'ok', 'ok', 'ok'])
    expect(run.stdout).not.toContain(ADMIN_PASSWORD)
  })

  it('slapd killed in the middle of the read: the sync stops before any write and says why (exit 6)', async () => {
    const big = await startSlapd({ ca, offline: offlineLdif(20_000), online: onlineLdif(0) })
    try {
      const fake = await fakeUmapi()
      const dir = await configFor(big.url, ADMIN_PASSWORD, fake)
      const connector = join(dir, 'connector-ldap.yml')
      await writeFile(
        connector,
        (await readFile(connector, 'utf8')).replace('search_page_size: 1000', 'search_page_size: 5'),
      )
      // The fault comes once slapd has answered a full page of the user search: the read has begun
      // (however slowly the CLI starts), and 3,999 pages are still to come.
      const paged = big.searchAnswered({ entries: 5 })
      const running = sync(dir, [...FLAGS, '--users', 'all'])
      const early = await Promise.race([paged.then(() => undefined), running])
      expect(early?.stderr, 'the sync ended before slapd answered a page').toBeUndefined()
      await big.stop('SIGKILL')
      const run = await running
      expect(run.code, run.stderr).toBe(ExitCode.source)
      expect(run.stderr).toContain('closed the connection')
      expect(run.stderr).toContain('nothing was changed')
      // The org may have been read at the same time as the directory; nothing may have been written.
      expect(actions(fake)).toHaveLength(0)
      expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual(
        fake.requests.filter((r) => r.endpoint === 'token'),
      )
    } finally {
      await big.dispose()
    }
  }, 120_000)
})

describe('ust sync: OpenLDAP into the sandbox org', () => {
  it('brings org.json in line with the directory groups; a second run changes nothing', async () => {
    const dir = await configFor(slapd.url)
    const first = await sync(dir, FLAGS, 'user-sync-config.sandbox.yml')
    expect(first.code, first.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(first.stdout))).toMatchObject({
      'Number of directory users read': '4',
      'Number of new Adobe users added': '3',
      'Number of Adobe-only users removed': '1',
    })
    const org = await readOrg(dir)
    expect(emailsOf(org)).toEqual(DIRECTORY)
    expect(userOf(org, 'john.smith@example.test').groups).toEqual(['Staff Team'])
    expect(userOf(org, 'alice@example.test').groups.sort()).toEqual(['Admins Team', 'Staff Team'])
    const before = await readFile(join(dir, 'org.json'), 'utf8')
    const second = await sync(dir, FLAGS, 'user-sync-config.sandbox.yml')
    expect(second.code, second.stderr).toBe(0)
    expect(summaryOf(second.stdout).get('Number of new Adobe users added')).toBe('0')
    expect(summaryOf(second.stdout).get('Number of Adobe-only users removed')).toBe('0')
    expect(await readFile(join(dir, 'org.json'), 'utf8')).toBe(before)
  })

  it('--users group and --user-filter select as with UST', async () => {
    const dir = await configFor(slapd.url)
    const admins = await sync(dir, ['--users', 'group', 'admins', '-t'], 'user-sync-config.sandbox.yml')
    expect(admins.code, admins.stderr).toBe(0)
    expect(summaryOf(admins.stdout).get('Number of directory users read')).toBe('1')
    const filtered = await sync(
      dir,
      ['--users', 'group', 'staff', '--user-filter', 'z.*', '-t'],
      'user-sync-config.sandbox.yml',
    )
    expect(filtered.code, filtered.stderr).toBe(0)
    expect(summaryOf(filtered.stdout).get('Number of directory users read')).toBe('4')
    expect(summaryOf(filtered.stdout).get('Number of directory users selected for input')).toBe('1')
  })
})

describe('ust sync with the LDAP password in the OS keyring (secure_password_key)', () => {
  it('reads the bind password from the Secret Service with the LDAP username as account, as UST', async () => {
    const dir = await configFor(slapd.url)
    const connector = join(dir, 'connector-ldap.yml')
    const text = await readFile(connector, 'utf8')
    await writeFile(connector, text.replace(`password: "${ADMIN_PASSWORD}"`, 'secure_password_key: ust-e2e-ldap'))
    expect(await readFile(connector, 'utf8')).not.toContain(ADMIN_PASSWORD)
    const cli = [process.execPath, BIN, 'sync', '-c', join(dir, 'user-sync-config.sandbox.yml'), ...FLAGS, '-t']
    const store =
      'printf %s "$E2E_SECRET" | secret-tool store --label "LDAP bind" service ust-e2e-ldap username "cn=admin,dc=example,dc=test"'
    const run = await runInKeyringSession(['sh', '-c', `${store} && unset E2E_SECRET && exec "$@"`, 'sh', ...cli], {
      cwd: dir,
      env: { E2E_SECRET: ADMIN_PASSWORD, NODE_OPTIONS: '', NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt') },
    })
    expect(run.code, run.stderr).toBe(0)
    expect(summaryOf(run.stdout).get('Number of directory users read')).toBe('4')
    expect(`${run.stdout}${run.stderr}`).not.toContain(ADMIN_PASSWORD)
  })
})

describe('ust config validate', () => {
  it("loads UST's sample connector-ldap.yml unchanged", async () => {
    const dir = await configFor(slapd.url)
    await writeFile(join(dir, 'connector-ldap.yml'), await readFile(join(dir, 'ust-sample-connector-ldap.yml')))
    const run = await runCli(['config', 'validate', '-c', join(dir, 'user-sync-config.sandbox.yml')], { cwd: dir })
    expect(run.code, run.stderr + run.stdout).toBe(0)
  })
})
