import { randomBytes } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { PlannedCommand } from '@ust-sync/api'
import type { Plan } from '../../src/sync/plan.types.js'
import { parsePlanText } from '../run/plan-file-text.js'
import type { SyncResult } from '../../src/sync/summary.js'
import { createTestCa, type FakeOrg, type FakeUmapi, startFakeUmapi, type TestCa } from '@ust-sync/test-servers'
import { jsonOf, runCli, type CliRun } from './run-cli.js'
import { E2E_FIXTURES, freshCopy, summaryOf, writeUmapiConnector } from './sync-helpers.js'

const FIXTURE = join(E2E_FIXTURES, 'sync-umapi')
/** The README-style run: groups processed, Adobe-only users removed. */
const FLAGS = ['--process-groups', '--adobe-only-user-action', 'remove']
/** A client secret distinctive enough to find anywhere it leaks. */
const SECRET = `e2e-Secr3t-${randomBytes(12).toString('hex')}`
const WRONG_SECRET = `e2e-Wr0ng-${randomBytes(12).toString('hex')}`

let ca: TestCa
let caFile: string
const fakes: FakeUmapi[] = []
const dirs: string[] = []

beforeAll(() => {
  ca = createTestCa()
  caFile = join(ca.dir, 'ca.crt')
})
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})
afterAll(async () => {
  await Promise.all([...dirs, ca.dir].map((dir) => rm(dir, { recursive: true, force: true })))
})

/**
 * The org before the sync: Ann is right, Bob's first name is outdated and he lacks a profile, Carl is
 * no longer in the directory, the system administrator is excluded; `Marketing Team` does not exist.
 */
function seed(org: FakeOrg): void {
  org.addProductProfile('Creative Cloud - Design', { productName: 'Creative Cloud' })
  org.addUserGroup('Design Team')
  org.addUser({
    email: 'ann.lee@example.com',
    firstname: 'Ann',
    lastname: 'Lee',
    country: 'US',
    groups: ['Design Team', 'Creative Cloud - Design'],
  })
  org.addUser({
    email: 'bob.stone@example.com',
    firstname: 'Robert',
    lastname: 'Stone',
    country: 'GB',
    groups: ['Design Team'],
  })
  org.addUser({
    email: 'carl.gray@example.com',
    firstname: 'Carl',
    lastname: 'Gray',
    country: 'US',
    groups: ['Design Team'],
  })
  org.addUser({
    email: 'it.admin@example.com',
    type: 'enterpriseID',
    firstname: 'IT',
    lastname: 'Admin',
    country: 'US',
    groups: ['_org_admin'],
  })
}

/** A fake UMAPI over HTTPS (test CA), seeded, with request limits scaled like the connector's pacing. */
async function fakeUmapi(): Promise<FakeUmapi> {
  const fake = await startFakeUmapi({
    tls: { key: ca.keyPem, cert: ca.certPem },
    clientSecret: SECRET,
    limits: { action: 10, users: 25, usersInGroup: 25, groups: 5 },
    windowMs: 2000,
  })
  fakes.push(fake)
  seed(fake.org)
  return fake
}

/** A copy of the fixture config pointing at `fake`, with `secret` as the client secret. */
async function configFor(fake: FakeUmapi, secret = SECRET): Promise<string> {
  const dir = await freshCopy(FIXTURE, 'ust-e2e-umapi-')
  dirs.push(dir)
  await writeUmapiConnector(dir, fake, `client_secret: ${secret}`)
  return dir
}

/** `ust sync` against the copy in `dir`, trusting the test CA unless `trustCa` is false. */
function sync(dir: string, args: string[], trustCa = true): Promise<CliRun> {
  return runCli(['sync', '-c', join(dir, 'user-sync-config.yml'), ...args], {
    cwd: dir,
    env: {
      NODE_EXTRA_CA_CERTS: trustCa ? caFile : undefined,
      HTTPS_PROXY: undefined,
      https_proxy: undefined,
      NO_PROXY: '127.0.0.1,localhost',
    },
  })
}

/** The org's users and memberships, comparable across runs. */
function stateOf(org: FakeOrg): string {
  const users = org
    .users()
    .map((u) => ({
      email: u.email,
      type: u.type,
      status: u.status,
      firstname: u.firstname,
      lastname: u.lastname,
      country: u.country,
      groups: org.groupsOf(u, { directOnly: true }).sort(),
    }))
    .sort((a, b) => a.email.localeCompare(b.email))
  const groups = org
    .groups()
    .map((g) => `${g.type}:${g.groupName}`)
    .sort()
  return JSON.stringify({ users, groups })
}

/** The active user with this email, with its direct groups. */
function activeUser(org: FakeOrg, email: string) {
  const user = org.users().find((u) => u.email.toLowerCase() === email && u.status === 'active')
  return user && { ...user, groups: org.groupsOf(user, { directOnly: true }).sort() }
}

function actionRequests(fake: FakeUmapi) {
  return fake.requests.filter((r) => r.endpoint === 'action')
}

function expectNoSecret(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(WRONG_SECRET)
  }
}

describe('ust sync: CSV directory into UMAPI (fake server over HTTPS)', () => {
  it('validates every change in test mode (-t) without changing the org', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(fake)
    const before = stateOf(fake.org)
    const run = await sync(dir, [...FLAGS, '-t'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('- Action Summary (TEST MODE) -')
    expect(Object.fromEntries(summaryOf(run.stdout))).toMatchObject({
      'Number of new Adobe users added': '2',
      'Number of matching Adobe users updated': '1',
      'Number of Adobe user-groups created': '1',
      'Number of Adobe-only users removed': '1',
    })
    expect(stateOf(fake.org)).toBe(before)
    const actions = actionRequests(fake)
    expect(actions.map((request) => request.query.testOnly)).toEqual(['true'])
    expectNoSecret(run.stdout, run.stderr)
  })

  it('plans with --plan-out, then applies the plan: the org ends as the plan says', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(fake)
    const before = stateOf(fake.org)
    const planFile = join(dir, 'plan.json')
    const out = await sync(dir, [...FLAGS, '--plan-out', planFile])
    expect(out.code, out.stderr).toBe(0)
    expect(stateOf(fake.org)).toBe(before)
    expect(actionRequests(fake)).toHaveLength(0)
    const planText = await readFile(planFile, 'utf8')
    expectNoSecret(planText, out.stdout, out.stderr)

    const run = await sync(dir, [...FLAGS, '--plan', planFile, '--json'])
    expect(run.code, run.stderr).toBe(0)
    expectNoSecret(run.stdout, run.stderr)
    const result = jsonOf<SyncResult>(run)
    expect(result.counts).toMatchObject({
      adobeUsersRead: 4,
      adobeUsersExcluded: 1,
      adobeUsersUnchanged: 1,
      usersCreated: 2,
      usersUpdated: 1,
      groupsCreated: 1,
      adobeOnlyProcessed: 1,
      actions: [{ target: 'primary', total: 5, success: 5, error: 0 }],
    })
    for (const request of actionRequests(fake)) expect(request.query.testOnly).toBeUndefined()

    // every command of the saved plan holds in the org
    const commands: PlannedCommand[] = (parsePlanText(planText).plan as Plan).targets.flatMap((t) => t.commands)
    expect(commands).toHaveLength(5)
    for (const command of commands) {
      if (command.kind === 'createGroup') {
        expect(fake.org.findGroup(command.name)?.type).toBe('USER_GROUP')
        continue
      }
      const user = activeUser(fake.org, command.user.email.toLowerCase())
      if (command.removeFromOrg) {
        expect(user, command.user.email).toBeUndefined()
        continue
      }
      expect(user?.email.toLowerCase(), command.user.email).toBe(command.user.email.toLowerCase())
      // UMAPI group names are case-insensitive (UST sends them lower-cased)
      const groups = user?.groups.map((g) => g.toLowerCase())
      for (const group of command.addGroups ?? []) expect(groups).toContain(group.toLowerCase())
      if (Array.isArray(command.removeGroups))
        for (const group of command.removeGroups) expect(groups).not.toContain(group.toLowerCase())
    }
    // and, spelled out
    expect(activeUser(fake.org, 'ann.lee@example.com')?.groups).toEqual(['Creative Cloud - Design', 'Design Team'])
    expect(activeUser(fake.org, 'bob.stone@example.com')).toMatchObject({
      firstname: 'Bob',
      groups: ['Creative Cloud - Design', 'Design Team'],
    })
    expect(activeUser(fake.org, 'dana.fox@example.com')).toMatchObject({
      type: 'federatedID',
      country: 'DE',
      groups: ['Marketing Team'],
    })
    expect(activeUser(fake.org, 'eve.moss@example.com')).toMatchObject({
      country: 'US',
      groups: ['Creative Cloud - Design', 'Design Team', 'Marketing Team'],
    })
    expect(activeUser(fake.org, 'carl.gray@example.com')).toBeUndefined()
    expect(activeUser(fake.org, 'it.admin@example.com')?.groups).toEqual(['_org_admin'])
  })

  it('applies a live run with the UST summary lines and no secret anywhere', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(fake)
    const run = await sync(dir, FLAGS)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('------- Action Summary -------')
    expect(Object.fromEntries(summaryOf(run.stdout))).toEqual({
      'Number of directory users read': '4',
      'Number of directory users selected for input': '4',
      'Number of Adobe users read': '4',
      'Number of Adobe users excluded from updates': '1',
      'Number of non-excluded Adobe users with no changes': '1',
      'Number of new Adobe users added': '2',
      'Number of matching Adobe users updated': '1',
      'Number of Adobe user-groups created': '1',
      'Number of Adobe-only users removed': '1',
      'Number of UMAPI actions sent (total, success, error)': '(5, 5, 0)',
    })
    expect(fake.tooManyRequests()).toBe(0)
    expectNoSecret(run.stdout, run.stderr)
    expect(activeUser(fake.org, 'carl.gray@example.com')).toBeUndefined()
    expect(activeUser(fake.org, 'eve.moss@example.com')?.groups).toEqual([
      'Creative Cloud - Design',
      'Design Team',
      'Marketing Team',
    ])

    const again = await sync(dir, FLAGS)
    expect(again.code, again.stderr).toBe(0)
    expect(summaryOf(again.stdout).get('Number of UMAPI actions sent (total, success, error)')).toBe('(0, 0, 0)')
  })

  it('fails clearly on a wrong client secret (exit 3: a credential error, not worth retrying), naming the client id, without printing the secret, and changes nothing', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(fake, WRONG_SECRET)
    const before = stateOf(fake.org)
    const plain = await sync(dir, FLAGS)
    expect(plain.code, plain.stderr).toBe(3)
    expect(plain.stderr).toMatch(
      new RegExp(`Error: .*refused the credentials of client ${fake.clientId}.*invalid_client`),
    )
    expect(plain.stderr).toContain('enterprise.client_secret')
    const json = await sync(dir, [...FLAGS, '--json'])
    expect(json.code, json.stderr).toBe(3)
    expect(jsonOf<{ error: { message: string } }>(json).error.message).toMatch(/invalid_client/)
    expectNoSecret(plain.stdout, plain.stderr, json.stdout, json.stderr)
    expect(stateOf(fake.org)).toBe(before)
    expect(actionRequests(fake)).toHaveLength(0)
  })

  it('fails with a certificate error when the test CA is not trusted, and changes nothing', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(fake)
    const before = stateOf(fake.org)
    const run = await sync(dir, FLAGS, false)
    expect(run.code, run.stderr).toBe(4) // ExitCode.network: DNS, TCP, proxy, TLS
    expect(run.stderr).toMatch(/certificate/i)
    // an untrusted certificate is not transient: no retry, no "run again later"
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/waiting \d/)
    expectNoSecret(run.stdout, run.stderr)
    expect(stateOf(fake.org)).toBe(before)
    expect(fake.requests).toHaveLength(0)
  })

  it("honours UST's server.ssl_verify: False with UST's warning, when the CA is not trusted", async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(fake)
    const file = join(dir, 'connector-umapi.yml')
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('  retries: 2\n', '  retries: 2\n  ssl_verify: False\n'),
    )
    const run = await sync(dir, ['-t', ...FLAGS], false)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(
      /WARNING network - SSL certificate verification is bypassed for 127\.0\.0\.1 \(server\.ssl_verify: False\); other hosts are still verified/,
    )
    expect(run.stdout).toContain('Action Summary (TEST MODE)')
    expectNoSecret(run.stdout, run.stderr)
  })
})
