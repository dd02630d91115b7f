import { randomBytes } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, type FakeSign, type TestCa } from '@ust-sync/test-servers'
import { fakeSign, signConfig, signSummary, signSync } from './sign-helpers.js'

const KEY = `e2e-SignKey-${randomBytes(12).toString('hex')}`
const WRONG = `e2e-Wr0ngKey-${randomBytes(12).toString('hex')}`
let ca: TestCa
const fakes: FakeSign[] = []
const dirs: string[] = []

beforeAll(() => {
  ca = createTestCa()
  process.env.UST_TEST_CA_DIR = ca.dir
})
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})
afterAll(async () => {
  await Promise.all([...dirs, ca.dir].map((d) => rm(d, { recursive: true, force: true })))
})

async function setup(edit?: Parameters<typeof signConfig>[2], pageSize?: number) {
  const fake = await fakeSign(ca, KEY, pageSize)
  fakes.push(fake)
  const dir = await signConfig(fake, KEY, edit)
  dirs.push(dir)
  return { fake, dir }
}

const withAction = (action: string) => (text: string) =>
  text.replace('sign_only_user_action: reset', `sign_only_user_action: ${action}`)

describe('ust sign-sync', () => {
  it('applies UST sign-sync files unchanged, prints UST summary, and a second run changes nothing', async () => {
    const { fake, dir } = await setup(undefined, 2)
    const run = await signSync(dir)
    expect(run.code, run.stderr + run.stdout).toBe(0)
    const a = fake.account
    expect(a.groupByName('Group 2')).toBeDefined()
    expect(a.describe('ann.lee@example.com').primary).toBe('Group 1')
    expect(a.describe('bob.stone@example.com')).toMatchObject({ primary: 'Group 2', groupAdminOf: ['Group 2'] })
    expect(a.describe('carl.gray@example.com')).toMatchObject({ accountAdmin: true, primary: 'Default Group' })
    expect(a.describe('dana.fox@example.com')).toMatchObject({ status: 'ACTIVE', primary: 'Group 1' })
    expect(a.describe('ivy.hall@example.com')).toMatchObject({ status: 'ACTIVE', primary: 'Group 1' })
    expect(a.describe('zed.cole@example.com')).toMatchObject({ primary: 'Default Group', groupAdminOf: [] })
    expect(a.describe('sign.owner@example.com').accountAdmin).toBe(true)
    const summary = signSummary(run.stdout)
    expect(Object.fromEntries(summary)).toEqual({
      'Number of directory users read': '5',
      'Number of directory selected for input': '5',
      'Number of directory users excluded': '0',
      'Number of Sign users read': '4',
      'Number of Sign users not in directory (sign-only)': '1',
      'Number of Sign users updated': '3',
      'Number of users with groups updated': '2',
      'Number of users admin roles updated': '2',
      'Number of Sign users created': '2',
      'Number of Sign users deactivated': '0',
    })
    expect(run.stdout).toContain('                 Number of directory users excluded: 0')
    for (const line of [
      'Creating new Sign group: Group 2',
      "Assigning primary group 'Group 1' to user ann.lee@example.com",
      "Changing group Admin role for user 'bob.stone@example.com', status? True",
      'Assigning account admin status to carl.gray@example.com',
      "Inserted sign user 'dana.fox@example.com', admin?: False",
      "Resetting 'zed.cole@example.com' to Default Group and removing group admin status",
    ])
      expect(run.stdout).toContain(line)
    expect(`${run.stdout}${run.stderr}`).not.toContain(KEY)
    // Sign throttles a 4th identical GET within a minute (its polling threshold): none is sent.
    const gets = new Map<string, number>()
    for (const r of fake.requests.filter(
      (q) => q.method === 'GET' && q.endpoint !== 'listUsers' && q.endpoint !== 'listGroups',
    ))
      gets.set(r.path, (gets.get(r.path) ?? 0) + 1)
    expect(Math.max(...gets.values())).toBeLessThanOrEqual(2)

    const before = fake.total()
    fake.resetCounts()
    const again = await signSync(dir)
    expect(again.code, again.stderr).toBe(0)
    const second = signSummary(again.stdout)
    expect(second.get('Number of Sign users updated')).toBe('0')
    expect(second.get('Number of Sign users created')).toBe('0')
    expect(second.get('Number of Sign users not in directory (sign-only)')).toBe('1')
    // The cached run reads only the lists and the users written to in the first run.
    const counts = fake.counts()
    expect(counts.putUserGroups ?? 0).toBe(0)
    expect(fake.total()).toBeLessThan(before)
    expect(counts.getUser ?? 0).toBeLessThan(7)
  })

  it('-t and --plan-out change nothing; --plan applies the saved plan', async () => {
    const { fake, dir } = await setup()
    const test = await signSync(dir, ['-t'])
    expect(test.code, test.stderr).toBe(0)
    expect(signSummary(test.stdout).get('Number of Sign users created')).toBe('2')
    expect(fake.account.describe('ann.lee@example.com').primary).toBe('Default Group')
    const planFile = join(dir, 'plan.json')
    const out = await signSync(dir, ['--plan-out', planFile])
    expect(out.code, out.stderr).toBe(0)
    // The plan as `ust plan show` shows it, in Sign's words.
    expect(out.stdout).toContain('This plan REMOVES: 1 user reset to the Default Group')
    expect(out.stdout).toContain('Sign-only users (1)')
    expect(out.stdout).toContain('zed.cole@example.com  reset to the Default Group, admin roles removed')
    expect(out.stdout).toContain('Sign groups created (1)')
    expect(fake.account.groupByName('Group 2')).toBeUndefined()
    const apply = await signSync(dir, ['--plan', planFile])
    expect(apply.code, apply.stderr + apply.stdout).toBe(0)
    expect(fake.account.describe('ann.lee@example.com').primary).toBe('Group 1')
  })

  it('a wrong integration key exits 3 and never prints the key', async () => {
    const { fake, dir } = await setup({ connector: (t) => t.replace(KEY, WRONG) })
    const run = await signSync(dir, ['--json'])
    expect(run.code).toBe(3)
    expect(`${run.stdout}${run.stderr}`).not.toContain(WRONG)
    expect(fake.requests.every((r) => r.endpoint === 'baseUris')).toBe(true)
  })

  it.each([
    ['reset', { primary: 'Default Group', groupAdminOf: [] }],
    ['remove_groups', { primary: 'Default Group', groupAdminOf: ['Default Group'] }],
    ['remove_roles', { primary: 'Group 1', groupAdminOf: [] }],
    ['exclude', { primary: 'Group 1', groupAdminOf: ['Group 1'], status: 'ACTIVE' }],
    ['deactivate', { primary: 'Group 1', status: 'INACTIVE' }],
  ])('sign_only_user_action %s', async (action, expected) => {
    const { fake, dir } = await setup({ main: withAction(action) })
    const run = await signSync(dir)
    expect(run.code, run.stderr + run.stdout).toBe(0)
    expect(fake.account.describe('zed.cole@example.com')).toMatchObject(expected)
    expect(signSummary(run.stdout).get('Number of Sign users deactivated')).toBe(action === 'deactivate' ? '1' : '0')
  })

  it('the Sign-only limit is checked on the whole plan before the first write (exit 9)', async () => {
    const { fake, dir } = await setup({ main: (t) => t.replace('sign_only_limit: 100', 'sign_only_limit: 0') })
    const run = await signSync(dir)
    expect(run.code).toBe(9)
    expect(`${run.stdout}${run.stderr}`).toContain(
      'Unable to process Sign-only users, as their count (1) is larger than the max_adobe_only_users setting (0)',
    )
    expect(fake.account.describe('zed.cole@example.com').groupAdminOf).toEqual(['Group 1'])
  })

  it('rides out a 429 storm, waiting as Retry-After says', async () => {
    const { fake, dir } = await setup()
    fake.faults.throttle(1, { endpoint: ['getUser', 'getUserGroups', 'putUserGroups'], times: 4 })
    const run = await signSync(dir)
    expect(run.code, run.stderr + run.stdout).toBe(0)
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(4)
    expect(fake.account.describe('bob.stone@example.com').primary).toBe('Group 2')
  })

  it('the server dying mid-run: the rerun applies nothing twice', async () => {
    const { fake, dir } = await setup()
    fake.faults.reset({ endpoint: ['createUser', 'putUserGroups', 'updateUser', 'userState'], after: 2, times: 1000 })
    const first = await signSync(dir)
    expect(first.code).not.toBe(0)
    fake.faults.clear()
    const writesBefore = fake.requests.filter(
      (r) =>
        r.status >= 200 &&
        r.status < 300 &&
        ['createUser', 'putUserGroups', 'updateUser', 'userState', 'createGroup'].includes(r.endpoint),
    )
    const rerun = await signSync(dir)
    expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0)
    const creates = fake.requests.filter((r) => r.endpoint === 'createUser' && r.status === 201)
    expect(creates.length).toBeLessThanOrEqual(1)
    expect(fake.account.allUsers().filter((u) => u.email === 'dana.fox@example.com')).toHaveLength(1)
    expect(writesBefore.length).toBeGreaterThan(0)
    const third = await signSync(dir)
    expect(signSummary(third.stdout).get('Number of Sign users updated')).toBe('0')
  })

  it('two orgs: users go to their group org; roles-only users to every org', async () => {
    const second = await fakeSign(ca, KEY)
    fakes.push(second)
    const { fake, dir } = await setup({
      main: (t) =>
        t
          .replace('  primary: connector-sign.yml', '  primary: connector-sign.yml\n  europe: connector-sign-eu.yml')
          .replace('sign_group: primary::Group 2', 'sign_group: europe::Group 2'),
    })
    const { readFile, writeFile } = await import('node:fs/promises')
    const text = await readFile(join(dir, 'connector-sign.yml'), 'utf8')
    await writeFile(join(dir, 'connector-sign-eu.yml'), text.replace(fake.host, second.host))
    const run = await signSync(dir)
    expect(run.code, run.stderr + run.stdout).toBe(0)
    expect(second.account.describe('bob.stone@example.com')).toMatchObject({
      primary: 'Group 2',
      groupAdminOf: ['Group 2'],
    })
    expect(fake.account.groupByName('Group 2')).toBeUndefined()
    expect(second.account.describe('carl.gray@example.com').accountAdmin).toBe(true)
    expect(fake.account.describe('carl.gray@example.com').accountAdmin).toBe(true)
  })
})
