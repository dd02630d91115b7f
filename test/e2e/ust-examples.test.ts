import { randomBytes } from 'node:crypto'
import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  ADMIN_DN,
  ADMIN_PASSWORD,
  createTestCa,
  type FakeUmapi,
  SUFFIX,
  startFakeUmapi,
  startSlapd,
  type TestCa,
} from '@ust-sync/test-servers'
import { ROOT, runCli, type CliRun } from './run-cli.js'
import { summaryOf } from './sync-helpers.js'

/** UST 2.10's `examples/` files, in shape (test/fixtures/ust-examples/README.md). */
const EXAMPLES = join(ROOT, 'test/fixtures/ust-examples')
const SECRET = `e2e-Examples-${randomBytes(12).toString('hex')}`

let ca: TestCa
const fakes: FakeUmapi[] = []
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

/** A copy of the examples; `basic/` is where the commands run. */
async function examples(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ust-examples-'))
  dirs.push(dir)
  await cp(EXAMPLES, dir, { recursive: true })
  // As an administrator keeps files holding secrets (else ust warns that others can read them).
  for (const file of ['connector-umapi.yml', 'connector-ldap.yml', 'connector-okta.yml', 'connector-adobe-console.yml'])
    await chmod(join(dir, 'basic', file), 0o600)
  return dir
}

/** Edits one file of the copy as an administrator would (a line uncommented, a value filled in). */
async function edit(file: string, change: (text: string) => string): Promise<void> {
  const before = await readFile(file, 'utf8')
  const after = change(before)
  expect(after).not.toBe(before)
  await writeFile(file, after)
}

/** Points the example connector-umapi.yml at `fake`: the host lines under `server:` and the credentials. */
async function pointAt(dir: string, fake: FakeUmapi): Promise<void> {
  await edit(join(dir, 'basic/connector-umapi.yml'), (text) =>
    text
      .replace('server:\n', `server:\n  host: ${fake.url}\n  auth_host: ${fake.url}\n  rate_window_seconds: 1\n`)
      .replace(/client_id: ".*"/, `client_id: "${fake.clientId}"`)
      .replace(/client_secret: ".*"/, `client_secret: "${SECRET}"`)
      .replace(/org_id: ".*"/, `org_id: "${fake.orgId}"`),
  )
}

async function fakeUmapi(): Promise<FakeUmapi> {
  const fake = await startFakeUmapi({ tls: { key: ca.keyPem, cert: ca.certPem }, clientSecret: SECRET })
  fakes.push(fake)
  return fake
}

function ust(dir: string, args: string[]): Promise<CliRun> {
  return runCli(args, {
    cwd: join(dir, 'basic'),
    env: {
      NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
      HTTPS_PROXY: undefined,
      https_proxy: undefined,
      NO_PROXY: '127.0.0.1,localhost',
    },
  })
}

describe("UST's example files, filled in, load unchanged", () => {
  it('ldap set: config validate exits 0, with ssl_verify uncommented where the template has it (warned, not acted on)', async () => {
    const dir = await examples()
    await edit(join(dir, 'basic/connector-umapi.yml'), (t) => t.replace('# ssl_verify: False', 'ssl_verify: False'))
    const run = await ust(dir, ['config', 'validate', '-c', 'user-sync-config.yml'])
    expect(run.stderr).not.toMatch(/unknown key|must be a string/)
    expect(run.code).toBe(0)
    expect(run.stderr.replace(/\s*›\s*/g, ' ')).toContain(
      'connector-umapi.yml:4:1: ssl_verify: UST 2.10 does not read ssl_verify here and neither does ust (certificates stay verified)',
    )
  })

  it('ldap set: `sync -t` reads OpenLDAP (filled-in host, reader, base DN; an OpenLDAP user filter) into the fake UMAPI', async () => {
    const people = `ou=people,${SUFFIX}`
    const groups = `ou=groups,${SUFFIX}`
    const ldif = (dn: string, lines: string[]) => `dn: ${dn}\n${lines.join('\n')}\n\n`
    const person = (uid: string, given: string, sn: string) =>
      ldif(`uid=${uid},${people}`, [
        'objectClass: inetOrgPerson',
        `uid: ${uid}`,
        `cn: ${given} ${sn}`,
        `givenName: ${given}`,
        `sn: ${sn}`,
        `mail: ${uid}@example.com`,
      ])
    const group = (cn: string, uids: string[]) =>
      ldif(`cn=${cn},${groups}`, [
        'objectClass: groupOfNames',
        `cn: ${cn}`,
        ...uids.map((u) => `member: uid=${u},${people}`),
      ])
    const slapd = await startSlapd({
      ca,
      offline: [
        ldif(SUFFIX, ['objectClass: dcObject', 'objectClass: organization', 'dc: example', 'o: Example']),
        ldif(people, ['objectClass: organizationalUnit', 'ou: people']),
        ldif(groups, ['objectClass: organizationalUnit', 'ou: groups']),
        person('alice', 'Alice', 'Adams'),
        person('bob', 'Bob', 'Brown'),
        person('carol', 'Carol', 'Clark'),
      ].join(''),
      // Added online, so the memberOf overlay sets memberOf (the example's group_member_filter_format).
      online: [group('Acrobat_DC_Pro_Users', ['alice', 'bob']), group('Adobe_All_Apps_Users', ['carol'])].join(''),
    })
    try {
      const dir = await examples()
      const fake = await fakeUmapi()
      fake.org.addUserGroup('Acrobat DC Pro Users')
      fake.org.addUserGroup('Creative Users')
      fake.org.addProductProfile('Default All Apps plan - 100 GB configuration', { productName: 'All Apps' })
      await pointAt(dir, fake)
      await edit(join(dir, 'basic/connector-ldap.yml'), (t) =>
        t
          .replace(/^username: ".*"/m, `username: "${ADMIN_DN}"`)
          .replace(/^password: ".*"/m, `password: "${ADMIN_PASSWORD}"`)
          .replace(/^host: ".*"/m, `host: "${slapd.ldapsUrl}"`)
          .replace(/^base_dn: ".*"/m, `base_dn: "${SUFFIX}"`)
          // The example's filter is Active Directory's (objectCategory, userAccountControl).
          .replace(/^all_users_filter: ".*"/m, 'all_users_filter: "(objectClass=inetOrgPerson)"'),
      )
      const run = await ust(dir, ['sync', '-c', 'user-sync-config.yml', '-t', '--users', 'mapped'])
      expect(run.code, run.stderr).toBe(0)
      for (const secret of [SECRET, ADMIN_PASSWORD]) expect(`${run.stdout}${run.stderr}`).not.toContain(secret)
      const summary = summaryOf(run.stdout)
      expect(summary.get('Number of directory users read')).toBe('3')
      expect(summary.get('Number of new Adobe users added')).toBe('3')
      const actions = fake.requests.filter((r) => r.endpoint === 'action')
      expect(actions.length).toBeGreaterThan(0)
      expect(actions.every((r) => r.query.testOnly === 'true')).toBe(true)
      expect(fake.org.users()).toEqual([])
    } finally {
      await slapd.dispose()
    }
  })

  it('csv set: config validate exits 0 and `sync -t --connector csv users-file.csv` runs against the fake UMAPI', async () => {
    const dir = await examples()
    const fake = await fakeUmapi()
    fake.org.addUserGroup('Acrobat DC Pro Users')
    fake.org.addUserGroup('Creative Users')
    fake.org.addProductProfile('Default All Apps plan - 100 GB configuration', { productName: 'All Apps' })
    await pointAt(dir, fake)
    await edit(join(dir, 'basic/user-sync-config.yml'), (t) =>
      t.replace('# csv: "connector-csv.yml"', 'csv: "connector-csv.yml"').replace('connector: ldap', 'connector: csv'),
    )
    const validate = await ust(dir, ['config', 'validate', '-c', 'user-sync-config.yml'])
    expect(validate.stderr).toBe('')
    expect(validate.code).toBe(0)

    const run = await ust(dir, [
      'sync',
      '-c',
      'user-sync-config.yml',
      '-t',
      '--connector',
      'csv',
      '../csv-inputs/users-file.csv',
    ])
    expect(run.code).toBe(0)
    expect(`${run.stdout}${run.stderr}`).not.toContain(SECRET)
    const summary = summaryOf(run.stdout)
    expect(summary.get('Number of directory users read')).toBe('3')
    expect(summary.get('Number of new Adobe users added')).toBe('3')
    // -t: every action request carried testOnly, and the org is unchanged.
    const actions = fake.requests.filter((r) => r.endpoint === 'action')
    expect(actions.map((r) => r.query.testOnly)).toEqual(['true'])
    expect(fake.org.users()).toEqual([])
  })

  it("adobe_console set: UST's example connector-adobe-console.yml validates (the source is built in)", async () => {
    const dir = await examples()
    await edit(join(dir, 'basic/user-sync-config.yml'), (t) =>
      t
        .replace('# adobe_console: "connector-', 'adobe_console: "connector-')
        .replace('connector: ldap', 'connector: adobe_console'),
    )
    const run = await ust(dir, ['config', 'validate', '-c', 'user-sync-config.yml'])
    expect(run.code, run.stderr).toBe(0)
  })

  it("okta set: UST's sample connector-okta.yml validates unchanged (the okta source ships with ust)", async () => {
    const dir = await examples()
    await edit(join(dir, 'basic/user-sync-config.yml'), (t) =>
      t.replace('# okta: "connector-', 'okta: "connector-').replace('connector: ldap', 'connector: okta'),
    )
    const run = await ust(dir, ['config', 'validate', '-c', 'user-sync-config.yml'])
    expect(run.code, run.stderr).toBe(0)
    expect(`${run.stdout}${run.stderr}`).not.toContain('00-EXAMPLE-okta-api-token-0001')
  })

  it('sign set: read by the Sign plugin unchanged; only the LDAP connector file it names (not shipped with it) is missing', async () => {
    const dir = await examples()
    const run = await runCli(['config', 'validate', '-c', 'sign-sync-config.yml'], { cwd: join(dir, 'sign') })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('identity_source.connector: connector file not found:')
    expect(run.stderr).toContain('(1 problem)')
    expect(run.stderr).not.toMatch(/unknown key|missing required key|not installed/)
  })
})

describe("Adobe-only list rows reach UMAPI as UST sends them (UST's remove-list.csv)", () => {
  it('email-form usernames by username, username + domain by both, Adobe IDs excluded; never an empty user', async () => {
    const dir = await examples()
    const fake = await fakeUmapi()
    fake.org.addUser({ email: 'dana.home@gmail.example', type: 'adobeID' })
    fake.org.addUser({ email: 'eli1@ent.example.com', type: 'enterpriseID' })
    fake.org.addUser({ email: 'fay.two@example.com', username: 'fay2', domain: 'login-fed.example.com' })
    fake.org.addUser({ email: 'gus3@email-fed.example.com' })
    await pointAt(dir, fake)
    const run = await ust(dir, [
      'sync',
      '-c',
      'user-sync-config.yml',
      '--adobe-only-user-list',
      '../csv-inputs/remove-list.csv',
      '--adobe-only-user-action',
      'remove',
    ])
    expect(run.stderr).not.toMatch(/row ignored/)
    expect(run.code).toBe(0)
    const entries = fake.requests
      .filter((r) => r.endpoint === 'action')
      .flatMap((r) => r.body as Array<{ user: string; domain?: string; do: Array<Record<string, unknown>> }>)
      .map((e) => ({ user: e.user, domain: e.domain, do: e.do.map((step) => Object.keys(step)[0]) }))
      .sort((a, b) => a.user.localeCompare(b.user))
    expect(entries).toEqual([
      { user: 'eli1@ent.example.com', domain: undefined, do: ['removeFromOrg'] },
      { user: 'fay2', domain: 'login-fed.example.com', do: ['removeFromOrg'] },
      { user: 'gus3@email-fed.example.com', domain: undefined, do: ['removeFromOrg'] },
    ])
    expect(
      fake.org
        .users()
        .map((u) => u.email)
        .sort(),
    ).toEqual(['dana.home@gmail.example'])
  })
})
