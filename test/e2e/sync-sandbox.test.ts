import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { access, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { lockPathFor } from '../../src/run/lock.js'
import { parsePlanText } from '../run/plan-file-text.js'
import { afterAll, describe, expect, it } from 'vitest'
import type { SyncResult } from '../../src/sync/summary.js'
import { jsonOf, runCli, type CliRun } from './run-cli.js'
import { E2E_FIXTURES, QUICKSTART, editOrg, emailsOf, freshCopy, readOrg, summaryOf, userOf } from './sync-helpers.js'

/** The quickstart README's command, on a copy. */
const README_FLAGS = ['--process-groups', '--adobe-only-user-action', 'remove']

/** The six Adobe-only users of the quickstart org (not in users.csv, or in the unmapped Finance group). */
const ADOBE_ONLY = [
  'karen.webb@northwind.example',
  'derek.chan@northwind.example',
  'fiona.gallagher@northwind.example',
  'ian.brooks@northwind.example',
  'helen.ward@northwind.example',
  'training.account@northwind.example',
]
/** Adobe-only users with mapped groups (the others hold only `Photoshop - Default`, not mapped). */
const ADOBE_ONLY_WITH_MAPPED_GROUPS = [
  'karen.webb@northwind.example',
  'derek.chan@northwind.example',
  'fiona.gallagher@northwind.example',
  'training.account@northwind.example',
]
/** Excluded from every change: an Adobe ID and a system administrator. */
const EXCLUDED = ['pat.morgan@gmail.example', 'it.admin@northwind.example']

const copies: string[] = []
afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A fresh copy of examples/quickstart. */
async function quickstart(): Promise<string> {
  const dir = await freshCopy(QUICKSTART, 'ust-e2e-qs-')
  copies.push(dir)
  return dir
}

/** The data dir of a copy's runs (lock, last directory size): inside the copy, so runs never share one. */
const dataDirOf = (dir: string): string => join(dir, '.ust-data')

/** `ust sync -c <dir>/user-sync-config.yml …` run from `dir`. */
function sync(dir: string, args: string[]): Promise<CliRun> {
  return runCli(['sync', '-c', join(dir, 'user-sync-config.yml'), ...args], {
    cwd: dir,
    env: { UST_DATA_DIR: dataDirOf(dir) },
  })
}

const orgBytes = (dir: string): Promise<string> => readFile(join(dir, 'org.json'), 'utf8')
const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  )
const sorted = (groups: string[]): string[] => [...groups].sort()

describe.concurrent('ust sync: CSV directory into the sandbox org', () => {
  it('runs the quickstart as its README says, and a second run changes nothing', async () => {
    const dir = await quickstart()
    const first = await sync(dir, README_FLAGS)
    expect(first.code, first.stderr).toBe(0)
    const summary = summaryOf(first.stdout)
    expect(Object.fromEntries(summary)).toMatchObject({
      'Number of Adobe users read': '36',
      'Number of Adobe users excluded from updates': '2',
      'Number of non-excluded Adobe users with no changes': '20',
      'Number of new Adobe users added': '17',
      'Number of matching Adobe users updated': '8',
      'Number of Adobe user-groups created': '1',
      'Number of Adobe-only users removed': '6',
      'Number of UMAPI actions sent (total, success, error)': '(32, 32, 0)',
    })
    expect(first.stdout).toContain('------- Action Summary -------')
    expect(first.stdout).not.toContain('TEST MODE')
    // the README's broken rows are skipped with a warning naming file and line
    expect(first.stdout).toMatch(/WARNING.*users\.csv:10: /)
    expect(first.stdout).toMatch(/WARNING.*users\.csv:22: /)

    const org = await readOrg(dir)
    expect(org.users).toHaveLength(47)
    expect(org.groups).toContainEqual(expect.objectContaining({ name: 'Contractors', type: 'userGroup' }))
    for (const email of ADOBE_ONLY) expect(emailsOf(org)).not.toContain(email)
    for (const email of EXCLUDED) expect(emailsOf(org)).toContain(email)
    expect(userOf(org, 'pat.morgan@gmail.example').groups).toEqual(['Design Team'])
    expect(userOf(org, 'it.admin@northwind.example').groups).toEqual(['_org_admin'])
    // name changes
    expect(userOf(org, 'emma.schulz@northwind.example').lastname).toBe('Schulz')
    expect(userOf(org, 'tom.becker@northwind.example').firstname).toBe('Tom')
    // group changes; unmapped Photoshop - Default is kept
    expect(sorted(userOf(org, 'olivia.bennett@northwind.example').groups)).toEqual(
      sorted(['Design Team', 'Creative Cloud - Design', 'Marketing Team', 'Acrobat Pro - Marketing']),
    )
    expect(sorted(userOf(org, 'liam.carter@northwind.example').groups)).toEqual(
      sorted(['Design Team', 'Creative Cloud - Design']),
    )
    expect(sorted(userOf(org, 'mia.johnson@northwind.example').groups)).toEqual(
      sorted(['Marketing Team', 'Acrobat Pro - Marketing']),
    )
    expect(userOf(org, 'priya.raman@northwind.example').groups).toEqual(['Acrobat Pro - Engineering'])
    expect(sorted(userOf(org, 'ryan.foster@northwind.example').groups)).toEqual(
      sorted(['Contractors', 'Acrobat Pro - Engineering']),
    )
    expect(sorted(userOf(org, 'wei.zhang@northwind.example').groups)).toEqual(
      sorted(['Acrobat Pro - Engineering', 'Photoshop - Default']),
    )
    // new users: mapped groups, case-insensitive group names, default country
    const jade = userOf(org, 'jade.turner@northwind.example')
    expect(jade).toMatchObject({ identityType: 'federatedID', firstname: 'Jade', lastname: 'Turner', country: 'GB' })
    expect(sorted(jade.groups)).toEqual(sorted(['Contractors', 'Design Team', 'Creative Cloud - Design']))
    expect(sorted(userOf(org, 'grace.howard@northwind.example').groups)).toEqual(
      sorted(['Marketing Team', 'Acrobat Pro - Marketing']),
    )
    expect(userOf(org, 'kevin.oneill@northwind.example').country).toBe('US')
    // not synced: broken rows and the unmapped Finance group
    for (const email of [
      'nora.quinn.northwind.example',
      'paul.dubois@northwind.example',
      'george.hill@northwind.example',
    ]) {
      expect(emailsOf(org)).not.toContain(email)
    }
    expect(await exists(join(dir, '.ust-lock'))).toBe(false)

    const after = await orgBytes(dir)
    const second = await sync(dir, README_FLAGS)
    expect(second.code, second.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(second.stdout))).toMatchObject({
      'Number of Adobe users read': '47',
      'Number of new Adobe users added': '0',
      'Number of matching Adobe users updated': '0',
      'Number of Adobe user-groups created': '0',
      'Number of Adobe-only users removed': '0',
      'Number of UMAPI actions sent (total, success, error)': '(0, 0, 0)',
    })
    expect(await orgBytes(dir)).toBe(after)
  })

  it('prints the SyncResult with --json, matching the summary', async () => {
    const dir = await quickstart()
    const run = await sync(dir, [...README_FLAGS, '--json'])
    expect(run.code, run.stderr).toBe(0)
    const result = jsonOf<SyncResult>(run)
    expect(result).toMatchObject({
      exitCode: 0,
      testMode: false,
      strategy: 'sync',
      planOnly: false,
      failures: [],
      counts: {
        adobeUsersRead: 36,
        adobeUsersExcluded: 2,
        adobeUsersUnchanged: 20,
        usersCreated: 17,
        usersUpdated: 8,
        groupsCreated: 1,
        adobeOnlyProcessed: 6,
        actions: [{ target: 'primary', total: 32, success: 32, error: 0 }],
      },
    })
    expect(result.summary.map((line) => line.trim())).toContain('Number of new Adobe users added: 17')
    expect((await readOrg(dir)).users).toHaveLength(47)
  })

  it('changes nothing in test mode (-t) and says TEST MODE', async () => {
    const dir = await quickstart()
    const before = await orgBytes(dir)
    const run = await sync(dir, [...README_FLAGS, '-t'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('- Action Summary (TEST MODE) -')
    expect(Object.fromEntries(summaryOf(run.stdout))).toMatchObject({
      'Number of new Adobe users added': '17',
      'Number of matching Adobe users updated': '8',
      'Number of Adobe user-groups created': '1',
      'Number of Adobe-only users removed': '6',
    })
    expect(await orgBytes(dir)).toBe(before)
  })

  describe.concurrent('--adobe-only-user-action', () => {
    it('preserve with --process-groups removes only the mapped groups of Adobe-only users', async () => {
      const dir = await quickstart()
      const run = await sync(dir, ['--process-groups', '--adobe-only-user-action', 'preserve'])
      expect(run.code, run.stderr).toBe(0)
      expect(summaryOf(run.stdout).get('Number of Adobe-only users with groups processed')).toBe('4')
      const org = await readOrg(dir)
      expect(org.users).toHaveLength(53)
      for (const email of ADOBE_ONLY_WITH_MAPPED_GROUPS) expect(userOf(org, email).groups).toEqual([])
      expect(userOf(org, 'ian.brooks@northwind.example').groups).toEqual(['Photoshop - Default'])
      expect(userOf(org, 'helen.ward@northwind.example').groups).toEqual(['Photoshop - Default'])
    })

    it('exclude leaves Adobe-only users alone and counts them as excluded', async () => {
      const dir = await quickstart()
      const run = await sync(dir, ['--process-groups', '--adobe-only-user-action', 'exclude'])
      expect(run.code, run.stderr).toBe(0)
      expect(summaryOf(run.stdout).get('Number of Adobe users excluded from updates')).toBe('8')
      const [org, initial] = await Promise.all([readOrg(dir), readOrg(dir, 'org.initial.json')])
      expect(org.users).toHaveLength(53)
      for (const email of ADOBE_ONLY) expect(userOf(org, email)).toEqual(userOf(initial, email))
    })

    it('write-file PATH writes the Adobe-only users as CSV and does not touch them', async () => {
      const dir = await quickstart()
      const file = join(dir, 'adobe-only.csv')
      const run = await sync(dir, ['--adobe-only-user-action', 'write-file', file])
      expect(run.code, run.stderr).toBe(0)
      const lines = (await readFile(file, 'utf8')).trim().split(/\r?\n/)
      expect(lines[0]?.split(',').slice(0, 3)).toEqual(['type', 'email', 'domain'])
      expect(
        lines
          .slice(1)
          .map((l) => l.split(',')[1])
          .sort(),
      ).toEqual([...ADOBE_ONLY].sort())
      expect(lines).toContain('enterpriseID,training.account@northwind.example,')
      const [org, initial] = await Promise.all([readOrg(dir), readOrg(dir, 'org.initial.json')])
      for (const email of ADOBE_ONLY) expect(userOf(org, email)).toEqual(userOf(initial, email))
    })

    it('remove-adobe-groups takes every group from Adobe-only users and keeps them in the org', async () => {
      const dir = await quickstart()
      const run = await sync(dir, ['--adobe-only-user-action', 'remove-adobe-groups'])
      expect(run.code, run.stderr).toBe(0)
      expect(summaryOf(run.stdout).get('Number of Adobe-only users removed from all groups')).toBe('6')
      const org = await readOrg(dir)
      for (const email of ADOBE_ONLY) expect(userOf(org, email).groups).toEqual([])
      expect(userOf(org, 'it.admin@northwind.example').groups).toEqual(['_org_admin'])
    })

    it('remove takes Adobe-only users out of the org', async () => {
      const dir = await quickstart()
      const run = await sync(dir, ['--adobe-only-user-action', 'remove'])
      expect(run.code, run.stderr).toBe(0)
      expect(summaryOf(run.stdout).get('Number of Adobe-only users removed')).toBe('6')
      const org = await readOrg(dir)
      expect(org.users).toHaveLength(47)
      for (const email of ADOBE_ONLY) expect(emailsOf(org)).not.toContain(email)
      for (const email of EXCLUDED) expect(emailsOf(org)).toContain(email)
    })

    it('delete deletes Adobe-only users, never the excluded ones', async () => {
      const dir = await quickstart()
      const run = await sync(dir, ['--adobe-only-user-action', 'delete'])
      expect(run.code, run.stderr).toBe(0)
      expect(summaryOf(run.stdout).get('Number of Adobe-only users deleted')).toBe('6')
      const org = await readOrg(dir)
      expect(org.users).toHaveLength(47)
      for (const email of ADOBE_ONLY) expect(emailsOf(org)).not.toContain(email)
      for (const email of EXCLUDED) expect(emailsOf(org)).toContain(email)
    })
  })

  it('--strategy push creates and updates directory users, reads no Adobe users and leaves Adobe-only users', async () => {
    const dir = await quickstart()
    // push does not auto-create groups: the org must already have every mapped group
    await editOrg(dir, (org) => org.groups.push({ name: 'Contractors', type: 'userGroup' }))
    const run = await sync(dir, ['--strategy', 'push', '--process-groups'])
    expect(run.code, run.stderr).toBe(0)
    const summary = summaryOf(run.stdout)
    expect(Object.fromEntries(summary)).toMatchObject({
      'Number of directory users read': '45',
      'Number of directory users selected for input': '45',
      'Number of directory users pushed to Adobe': '45',
      'Number of UMAPI actions sent (total, success, error)': '(45, 45, 0)',
    })
    expect(summary.has('Number of Adobe users read')).toBe(false)
    const org = await readOrg(dir)
    expect(org.users).toHaveLength(53)
    expect(userOf(org, 'emma.schulz@northwind.example').lastname).toBe('Schulz')
    expect(sorted(userOf(org, 'jade.turner@northwind.example').groups)).toEqual(
      sorted(['Contractors', 'Design Team', 'Creative Cloud - Design']),
    )
    expect(sorted(userOf(org, 'mia.johnson@northwind.example').groups)).toEqual(
      sorted(['Marketing Team', 'Acrobat Pro - Marketing']),
    )
    expect(sorted(userOf(org, 'wei.zhang@northwind.example').groups)).toEqual(
      sorted(['Acrobat Pro - Engineering', 'Photoshop - Default']),
    )
    expect(sorted(userOf(org, 'karen.webb@northwind.example').groups)).toEqual(
      sorted(['Design Team', 'Creative Cloud - Design']),
    )
  })

  it('--plan-out writes a JSON plan and changes nothing; --plan applies it', async () => {
    const dir = await quickstart()
    const before = await orgBytes(dir)
    const planFile = join(dir, 'plan.json')
    const out = await sync(dir, [...README_FLAGS, '--plan-out', planFile])
    expect(out.code, out.stderr).toBe(0)
    expect(await orgBytes(dir)).toBe(before)
    const saved = parsePlanText(await readFile(planFile, 'utf8'))
    expect(saved.header.format).toBe('ust-plan')
    expect(saved.plan.targets[0]?.commands).toHaveLength(32)

    const apply = await sync(dir, [...README_FLAGS, '--plan', planFile])
    expect(apply.code, apply.stderr).toBe(0)
    expect(Object.fromEntries(summaryOf(apply.stdout))).toMatchObject({
      'Number of new Adobe users added': '17',
      'Number of Adobe-only users removed': '6',
      'Number of UMAPI actions sent (total, success, error)': '(32, 32, 0)',
    })
    expect((await readOrg(dir)).users).toHaveLength(47)
  })

  it('refuses a plan the org drifted from since --plan-out (exit 7, names the change, writes nothing)', async () => {
    const dir = await quickstart()
    const planFile = join(dir, 'plan.json')
    const out = await sync(dir, [...README_FLAGS, '--plan-out', planFile])
    expect(out.code, out.stderr).toBe(0)
    await editOrg(dir, (org) => {
      userOf(org, 'noah.kim@northwind.example').lastname = 'Kimura'
    })
    const drifted = await orgBytes(dir)
    const apply = await sync(dir, [...README_FLAGS, '--plan', planFile])
    expect(apply.code, apply.stderr).toBe(7)
    expect(apply.stderr).toContain('noah.kim@northwind.example')
    expect(apply.stderr).toMatch(/no longer matches/)
    expect(await orgBytes(dir)).toBe(drifted)
  })

  it('skips Adobe-only users over max_adobe_only_users (exit 9, CRITICAL) and applies everything else', async () => {
    const dir = await quickstart()
    const configFile = join(dir, 'user-sync-config.yml')
    const config = await readFile(configFile, 'utf8')
    expect(config).toContain('max_adobe_only_users: 20')
    await writeFile(configFile, config.replace('max_adobe_only_users: 20', 'max_adobe_only_users: 5'))
    const run = await sync(dir, [...README_FLAGS, '--json'])
    expect(run.code, run.stderr).toBe(9)
    expect(run.stderr).toMatch(/CRITICAL.*count \(6\).*max_adobe_only_users setting \(5\)/)
    const result = jsonOf<SyncResult>(run)
    expect(result).toMatchObject({ exitCode: 9, limit: { exceeded: true, count: 6, max: 5 } })
    expect(result.counts).toMatchObject({ usersCreated: 17, usersUpdated: 8, groupsCreated: 1, adobeOnlyProcessed: 0 })
    expect(result.summary.map((line) => line.trim())).toContain('Number of Adobe-only users removed: 0')
    const [org, initial] = await Promise.all([readOrg(dir), readOrg(dir, 'org.initial.json')])
    expect(org.users).toHaveLength(53)
    for (const email of ADOBE_ONLY) expect(userOf(org, email)).toEqual(userOf(initial, email))
    expect(userOf(org, 'emma.schulz@northwind.example').lastname).toBe('Schulz')
  })

  it('skips malformed CSV rows with a warning naming file:line and syncs the valid rows', async () => {
    const dir = await quickstart()
    await copyFile(join(E2E_FIXTURES, 'sync-sandbox/malformed-rows.csv'), join(dir, 'users.csv'))
    // exclude: the org's other users are Adobe-only now and stay as they are
    const run = await sync(dir, ['--process-groups', '--adobe-only-user-action', 'exclude'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/WARNING.*users\.csv:3: .*invalid email.*nora\.quinn\.northwind\.example/)
    expect(run.stdout).toMatch(/WARNING.*users\.csv:6: .*missing email/)
    expect(summaryOf(run.stdout).get('Number of directory users read')).toBe('3')
    const org = await readOrg(dir)
    expect(sorted(userOf(org, 'zed.arrow@northwind.example').groups)).toEqual(
      sorted(['Design Team', 'Creative Cloud - Design']),
    )
    expect(sorted(userOf(org, 'olivia.bennett@northwind.example').groups)).toEqual(
      sorted(['Design Team', 'Creative Cloud - Design']),
    )
  })

  it('stops on a structurally broken CSV (exit 6) without removing anyone', async () => {
    const dir = await quickstart()
    await copyFile(join(E2E_FIXTURES, 'sync-sandbox/broken-quote.csv'), join(dir, 'users.csv'))
    const before = await orgBytes(dir)
    const run = await sync(dir, README_FLAGS)
    expect(run.code, run.stderr).toBe(6)
    expect(run.stderr).toMatch(/users\.csv:3: .*never closed/)
    expect(run.stdout).not.toContain('Action Summary')
    expect(await orgBytes(dir)).toBe(before)
    expect(await exists(join(dir, '.ust-lock'))).toBe(false)
  })

  it('stops on a CSV without an email column (exit 6) and says which columns it found', async () => {
    const dir = await quickstart()
    await copyFile(join(E2E_FIXTURES, 'sync-sandbox/no-email-column.csv'), join(dir, 'users.csv'))
    const before = await orgBytes(dir)
    const run = await sync(dir, README_FLAGS)
    expect(run.code, run.stderr).toBe(6)
    expect(run.stderr).toMatch(/users\.csv:1: no "email" column/)
    expect(await orgBytes(dir)).toBe(before)
  })

  it('refuses to run while a live process holds the lock (exit 10), then takes over the stale lock', async () => {
    const dir = await quickstart()
    const lockFile = await lockPathFor(join(dir, 'user-sync-config.yml'), dataDirOf(dir))
    await mkdir(dirname(lockFile), { recursive: true })
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' })
    const pid = holder.pid
    if (pid === undefined) throw new Error('could not start sleep')
    try {
      await writeFile(lockFile, `${pid}\n`)
      const before = await orgBytes(dir)
      const locked = await sync(dir, README_FLAGS)
      expect(locked.code, locked.stderr).toBe(10)
      expect(locked.stderr).toContain(`PID ${pid}`)
      expect(await orgBytes(dir)).toBe(before)
      expect(await readFile(lockFile, 'utf8')).toBe(`${pid}\n`)
    } finally {
      const exited = once(holder, 'exit')
      holder.kill('SIGTERM')
      await exited
    }
    const next = await sync(dir, README_FLAGS)
    expect(next.code, next.stderr).toBe(0)
    expect(next.stdout).toMatch(new RegExp(`WARNING.*stale sync lock.*PID ${pid}`))
    expect(summaryOf(next.stdout).get('Number of new Adobe users added')).toBe('17')
    expect(await exists(lockFile)).toBe(false)
  }, 90_000)

  it('rejects bad flag combinations with exit 2 before touching the org', async () => {
    const dir = await quickstart()
    const before = await orgBytes(dir)
    const [push, usersFile, unknown] = await Promise.all([
      sync(dir, ['--strategy', 'push', '--adobe-only-user-list', 'x.csv']),
      sync(dir, ['--users', 'file', 'users.csv', '--connector', 'csv', 'users.csv']),
      sync(dir, ['--adobe-only-user-action', 'obliterate']),
    ])
    expect(push.code, push.stderr).toBe(2)
    expect(push.stderr).toMatch(/--adobe-only-user-list.*push/)
    expect(usersFile.code, usersFile.stderr).toBe(2)
    expect(usersFile.stderr).toMatch(/--users/)
    expect(unknown.code, unknown.stderr).toBe(2)
    expect(unknown.stderr).toMatch(/obliterate/)
    expect(await orgBytes(dir)).toBe(before)
  })
})
