import { execFileSync, spawn } from 'node:child_process'
import { mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { lockPathFor } from '../../src/run/lock.js'
import { parsePlanText, planText } from '../run/plan-file-text.js'
import { BIN, jsonOf, runCli, type CliRun } from './run-cli.js'
import { QUICKSTART, emailsOf, freshCopy, readOrg, summaryOf } from './sync-helpers.js'

const REMOVE = ['--process-groups', '--adobe-only-user-action', 'remove']
const copies: string[] = []
afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function quickstart(): Promise<string> {
  const dir = await freshCopy(QUICKSTART, 'ust-e2e-hard-')
  copies.push(dir)
  return dir
}
const dataDirOf = (dir: string): string => join(dir, '.ust-data')
const configOf = (dir: string): string => join(dir, 'user-sync-config.yml')
function sync(dir: string, args: string[]): Promise<CliRun> {
  return runCli(['sync', '-c', configOf(dir), ...args], { cwd: dir, env: { UST_DATA_DIR: dataDirOf(dir) } })
}
async function editConfig(dir: string, change: (text: string) => string): Promise<void> {
  const text = await readFile(configOf(dir), 'utf8')
  const changed = change(text)
  expect(changed, 'the config edit applied').not.toBe(text)
  await writeFile(configOf(dir), changed)
}
/** Who is in the org with which groups and names (the sandbox may rewrite the file in another key order). */
/** The part of a saved plan the forging tests edit. */
interface PlanShape {
  targets: { commands: Array<{ create?: { firstname?: string }; addGroups?: string[]; id: string }> }[]
}

const orgBytes = async (dir: string): Promise<string[]> =>
  (await readOrg(dir)).users
    .map((u) => `${u.email}:${u.firstname}:${u.lastname}:${[...u.groups].sort().join('|')}`)
    .sort()

describe('ust sync hardening (built bin)', { timeout: 120_000 }, () => {
  it('logs to stdout as UST (so `ust sync > sync.log` captures it); with --json stdout is the JSON only', async () => {
    const dir = await quickstart()
    const plain = await sync(dir, ['-t'])
    expect(plain.code, plain.stderr).toBe(0)
    expect(plain.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \d+ INFO ust - ==== Start Run/m)
    expect(plain.stdout).toContain('- Action Summary (TEST MODE) -')
    expect(plain.stderr).toBe('')
    // bin/run.js restarted the sync in place with V8's heap settings (docs/admin/sync.md, "Large directories")
    expect(plain.stdout).toMatch(
      /INFO ust - node v\d+\.\d+\.\d+ \(--max-semi-space-size=8 --heap-growing-percent=50\) on /,
    )
    const json = await sync(dir, ['-t', '--json'])
    expect(json.code, json.stderr).toBe(0)
    expect(jsonOf<{ testMode: boolean }>(json).testMode).toBe(true)
  })

  it("a fatal error reaches UST's log file at CRITICAL, followed by the End Run line", async () => {
    const dir = await quickstart()
    await editConfig(dir, (t) => t.replace('log_to_file: False', 'log_to_file: True\n  file_log_directory: logs'))
    await writeFile(join(dir, 'users.csv'), 'email,groups\nann@northwind.example,"Design\n')
    const run = await sync(dir, REMOVE)
    expect(run.code, run.stderr).toBe(6)
    const [name] = await readdir(join(dir, 'logs'))
    const log = await readFile(join(dir, 'logs', name as string), 'utf8')
    expect(log).toMatch(/INFO ust - ==== Start Run/)
    expect(log).toMatch(/CRITICAL ust - .*users\.csv:2: .*never closed/)
    expect(log).toMatch(/INFO ust - ==== End Run \(Total time: \d+:\d\d:\d\d\) ====\n$/)
  })

  it('a row with an invalid identity type is kept for matching, not created: error with file:line, exit 8', async () => {
    const dir = await quickstart()
    const csv = await readFile(join(dir, 'users.csv'), 'utf8')
    const lines = csv.split('\n')
    // Every row gets the new column (empty: the config's type); an existing member (olivia) and a new user
    // with a typo in their type.
    for (let i = 0; i < lines.length; i++) if (lines[i] !== '') lines[i] = `${lines[i]},`
    lines[0] = `${lines[0]}type`
    lines[1] = `${lines[1]}federatedId `
    lines.push('Zed,Typo,zed.typo@northwind.example,US,Design,federated')
    await writeFile(join(dir, 'users.csv'), `${lines.filter((l) => l !== '').join('\n')}\n`)
    const run = await sync(dir, REMOVE)
    expect(run.code, run.stdout).toBe(8)
    expect(run.stdout).toMatch(
      /ERROR ust - users\.csv:\d+: identity type "federated" of zed\.typo@northwind\.example .*not created/,
    )
    const emails = emailsOf(await readOrg(dir))
    expect(emails).not.toContain('zed.typo@northwind.example')
    expect(emails).toContain('olivia.bennett@northwind.example')
    expect(jsonOf<{ errors: string[] }>(await sync(dir, [...REMOVE, '--json'])).errors).toHaveLength(1)
  })

  it('--adobe-only-user-list needs no directory: the default ldap source is never created', async () => {
    const dir = await quickstart()
    await editConfig(dir, (t) => t.replace('  connector: csv\n', ''))
    await writeFile(join(dir, 'remove.csv'), 'type,username,email,domain\nfederatedID,,karen.webb@northwind.example,\n')
    const run = await sync(dir, [
      '--adobe-only-user-list',
      join(dir, 'remove.csv'),
      '--adobe-only-user-action',
      'remove',
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(summaryOf(run.stdout).get('Number of Adobe-only users removed')).toBe('1')
    expect(emailsOf(await readOrg(dir))).not.toContain('karen.webb@northwind.example')
  })

  it('an empty directory read with remove removes nobody: CRITICAL, exit 9', async () => {
    const dir = await quickstart()
    await editConfig(dir, (t) => t.replace('max_adobe_only_users: 20', 'max_adobe_only_users: 1000'))
    await writeFile(join(dir, 'users.csv'), 'firstname,lastname,email,country,groups\n')
    const before = await orgBytes(dir)
    const run = await sync(dir, REMOVE)
    expect(run.code, run.stdout).toBe(9)
    expect(run.stdout).toMatch(/CRITICAL ust - Unable to process Adobe-only users: the directory returned 0 users/)
    expect(summaryOf(run.stdout).get('Number of Adobe-only users removed')).toBe('0')
    expect(await orgBytes(dir)).toEqual(before)

    const allowed = await sync(dir, [...REMOVE, '--allow-directory-drop'])
    expect(allowed.code, allowed.stdout).toBe(0)
    expect(summaryOf(allowed.stdout).get('Number of Adobe-only users removed')).toBe('34')
  })

  it('a directory read far smaller than at the last successful run is treated like the limit', async () => {
    const dir = await quickstart()
    await editConfig(dir, (t) => t.replace('max_adobe_only_users: 20', 'max_adobe_only_users: 1000'))
    const first = await sync(dir, REMOVE)
    expect(first.code, first.stdout).toBe(0)
    const csv = (await readFile(join(dir, 'users.csv'), 'utf8')).split('\n')
    await writeFile(join(dir, 'users.csv'), `${csv.slice(0, 4).join('\n')}\n`) // 3 of 20 rows left
    const before = emailsOf(await readOrg(dir))
    const run = await sync(dir, REMOVE)
    expect(run.code, run.stdout).toBe(9)
    expect(run.stdout).toMatch(/CRITICAL ust - .*the directory returned 3 users \(\d+ at the last successful run\)/)
    expect(emailsOf(await readOrg(dir))).toEqual(before) // nobody removed from the org
  })

  it('the baseline follows the org and the directory: a moved config with a narrowed directory removes nobody', async () => {
    const dir = await quickstart()
    const data = join(dir, '..', `${dir.split('/').pop()}-data`) // the service's data dir, outside the folder
    copies.push(data)
    const run = (folder: string) =>
      runCli(['sync', '-c', configOf(folder), ...REMOVE], { cwd: folder, env: { UST_DATA_DIR: data } })
    // UST's limit would allow it (as `max_adobe_only_users: 200` did for 159 users in the report)
    await editConfig(dir, (t) => t.replace('max_adobe_only_users: 20', 'max_adobe_only_users: 1000'))
    const first = await run(dir)
    expect(first.code, first.stdout).toBe(0)
    const narrow = async (folder: string) => {
      const csv = (await readFile(join(folder, 'users.csv'), 'utf8')).split('\n')
      await writeFile(join(folder, 'users.csv'), `${csv.slice(0, 11).join('\n')}\n`) // 10 rows left
    }

    // Only the config moves: its connector files name the same org and users file. The baseline is found.
    const configOnly = `${dir}-config`
    copies.push(configOnly)
    await mkdir(configOnly)
    for (const name of ['user-sync-config.yml', 'connector-csv.yml', 'connector-sandbox.yml'])
      await writeFile(join(configOnly, name), await readFile(join(dir, name), 'utf8'))
    await writeFile(join(configOnly, 'connector-csv.yml'), `file_path: ${join(dir, 'users.csv')}\n`)
    await writeFile(join(configOnly, 'connector-sandbox.yml'), `org_file: ${join(dir, 'org.json')}\n`)
    await narrow(dir)
    const before = emailsOf(await readOrg(dir))
    const again = await run(configOnly)
    expect(again.code, again.stdout).toBe(9)
    expect(again.stdout).toMatch(/CRITICAL ust - .*the directory returned \d+ users \(\d+ at the last successful run\)/)
    expect(summaryOf(again.stdout).get('Number of Adobe-only users removed')).toBe('0')
    expect(emailsOf(await readOrg(dir))).toEqual(before) // nobody removed from the org

    // The whole folder moves (org file and users file with it): no baseline, so compared with the org itself.
    const moved = `${dir}-moved`
    copies.push(moved)
    await rename(dir, moved)
    const afterMove = await run(moved)
    expect(afterMove.code, afterMove.stdout).toBe(9)
    expect(afterMove.stdout).toMatch(
      /CRITICAL ust - Unable to process Adobe-only users: this is the first run against this directory and org \(no earlier run to compare with\), and \d+ of the org's \d+ users \(\d+%\) would be removed from the org, more than limits\.first_run_removal_percent \(20%\); .*--allow-directory-drop/,
    )
    expect(summaryOf(afterMove.stdout).get('Number of Adobe-only users removed')).toBe('0')
    expect(emailsOf(await readOrg(moved))).toEqual(before)
  })

  describe('plan files', () => {
    async function planned(): Promise<{ dir: string; planFile: string; text: string }> {
      const dir = await quickstart()
      const planFile = join(dir, 'plan.json')
      const out = await sync(dir, [...REMOVE, '--plan-out', planFile])
      expect(out.code, out.stderr).toBe(0)
      return { dir, planFile, text: await readFile(planFile, 'utf8') }
    }
    /** Edits the saved plan and re-signs it, as someone who read the code could. */
    async function forge(planFile: string, edit: (plan: PlanShape) => void) {
      const saved = parsePlanText(await readFile(planFile, 'utf8'))
      edit(saved.plan)
      await writeFile(planFile, planText({ header: saved.header, plan: saved.plan }))
    }

    it('is written readable by its owner only', async () => {
      const { planFile } = await planned()
      expect((await stat(planFile)).mode & 0o777).toBe(0o600)
    })

    it('an edited plan file is refused (digest), exit 2, nothing changed', async () => {
      const { dir, planFile, text } = await planned()
      const saved = parsePlanText(text)
      saved.plan.targets[0].commands.pop() // e.g. drop one removal, leaving the digest as it was
      await writeFile(planFile, planText(saved))
      const before = await orgBytes(dir)
      const run = await sync(dir, [...REMOVE, '--plan', planFile])
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toMatch(/was changed after ust wrote it/)
      expect(await orgBytes(dir)).toEqual(before)
    })

    it('a re-signed plan with an extra command or a changed create attribute is refused, exit 7', async () => {
      for (const edit of [
        (plan: PlanShape) => {
          const commands = plan.targets[0]!.commands
          const create = commands.find((c) => c.create)!
          commands.push({ ...create, id: 'primary:999', addGroups: ['Design Team', 'Acrobat Pro - Engineering'] })
        },
        (plan: PlanShape) => {
          const create = plan.targets[0]!.commands.find((c) => c.create)!.create!
          create.firstname = 'Mallory'
        },
      ]) {
        const { dir, planFile } = await planned()
        await forge(planFile, edit)
        const before = await orgBytes(dir)
        const run = await sync(dir, [...REMOVE, '--plan', planFile])
        expect(run.code, run.stderr).toBe(7)
        expect(run.stderr).toMatch(/no longer matches/)
        expect(await orgBytes(dir)).toEqual(before)
      }
    })

    it('a malformed plan file is a configuration error (exit 2), and its content is not echoed', async () => {
      const { dir, planFile } = await planned()
      await writeFile(planFile, '{"format":"ust-plan","version":1, "secret-looking": tru')
      const run = await sync(dir, [...REMOVE, '--plan', planFile])
      expect(run.code, run.stderr).toBe(2)
      expect(`${run.stdout}${run.stderr}`).not.toContain('secret-looking')
      await forge(planFile, () => undefined).catch(() => undefined)
      await writeFile(
        planFile,
        '{"format":"ust-plan","version":1,"fingerprint":"x","createdAt":"y","digest":"z","plan":{"targets":[{"target":7}]}}',
      )
      const shaped = await sync(dir, [...REMOVE, '--plan', planFile])
      expect(shaped.code, shaped.stderr).toBe(2)
      expect(shaped.stderr).toMatch(/not a ust plan file/)
    })
  })

  it('the log file keeps what to do (the "→" lines) under the error that ended the run', async () => {
    const dir = await quickstart()
    await editConfig(dir, (t) =>
      t.replace('log_to_file: False', `log_to_file: True\n  file_log_directory: ${join(dir, 'logs')}`),
    )
    await writeFile(join(dir, 'users.csv'), 'firstname,lastname,email,country,groups\nAnn,Lee,ann.lee@example.com\n')
    const run = await sync(dir, REMOVE)
    expect(run.code, run.stderr).toBe(6)
    const [logFile] = await readdir(join(dir, 'logs'))
    const log = await readFile(join(dir, 'logs', logFile as string), 'utf8')
    expect(log).toMatch(
      /CRITICAL ust - 1 row of users\.csv has more or fewer fields than the header; nothing was changed:\n/,
    )
    expect(log).toMatch(/CRITICAL ust - → Give every row as many fields as the header/)
    expect(run.stdout).not.toContain('→') // the console shows it once, on stderr
    expect(run.stderr).toContain('  → Give every row as many fields as the header')
  })

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 is named in a WARNING, in the log file too', async () => {
    const dir = await quickstart()
    await editConfig(dir, (t) =>
      t.replace('log_to_file: False', `log_to_file: True\n  file_log_directory: ${join(dir, 'logs')}`),
    )
    const run = await runCli(['sync', '-c', configOf(dir), ...REMOVE], {
      cwd: dir,
      env: { UST_DATA_DIR: dataDirOf(dir), NODE_TLS_REJECT_UNAUTHORIZED: '0' },
    })
    expect(run.code, run.stderr).toBe(0)
    const [logFile] = await readdir(join(dir, 'logs'))
    const log = await readFile(join(dir, 'logs', logFile as string), 'utf8')
    expect(log).toMatch(
      /WARNING network - NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the environment: Node verifies NO TLS certificate/,
    )
  })

  describe('output files are never written through a link, a FIFO or into a missing folder', () => {
    it('--plan-out naming a symbolic link, a FIFO or a missing folder is refused before anything is read (exit 2)', async () => {
      const dir = await quickstart()
      const victim = join(dir, 'victim.txt')
      await writeFile(victim, 'keep me\n', { mode: 0o644 })
      await symlink(victim, join(dir, 'link.json'))
      execFileSync('mkfifo', [join(dir, 'fifo.json')])
      const cases: [string, string][] = [
        [join(dir, 'link.json'), 'is a symbolic link; ust does not write through links'],
        [join(dir, 'fifo.json'), 'exists and is not a regular file'],
        [join(dir, 'missing', 'p.json'), `its directory ${join(dir, 'missing')} does not exist`],
      ]
      for (const [path, problem] of cases) {
        const run = await sync(dir, [...REMOVE, '--plan-out', path])
        expect(run.code, run.stderr).toBe(2)
        expect(run.stderr).toContain(`--plan-out ${path}: ${problem}`)
        expect(run.stdout).not.toContain('Total users in directory') // refused before the directory was read
      }
      expect(await readFile(victim, 'utf8')).toBe('keep me\n')
      expect((await stat(victim)).mode & 0o777).toBe(0o644)
    })

    it('a symbolic link named like the log file is refused, not appended to', async () => {
      const dir = await quickstart()
      await editConfig(dir, (t) =>
        t.replace('log_to_file: False', `log_to_file: True\n  file_log_directory: ${join(dir, 'logs')}`),
      )
      await mkdir(join(dir, 'logs'))
      const victim = join(dir, 'victim.txt')
      await writeFile(victim, 'keep me\n', { mode: 0o644 })
      const now = new Date()
      const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
      await symlink(victim, join(dir, 'logs', `${today}.log`))
      const run = await sync(dir, REMOVE)
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toContain('it is a symbolic link; ust does not write through links')
      expect(await readFile(victim, 'utf8')).toBe('keep me\n')
      expect((await stat(victim)).mode & 0o777).toBe(0o644)
    })
  })

  describe('lock', () => {
    it('lives in the data dir: nothing is written next to the config (a read-only ConfigMap works)', async () => {
      const dir = await quickstart()
      const listing = async () => (await readdir(dir)).filter((n) => n !== '.ust-data').sort()
      const before = await listing()
      const run = await sync(dir, REMOVE)
      expect(run.code, run.stderr).toBe(0)
      expect(await listing()).toEqual(before)
      expect(await readdir(join(dataDirOf(dir), 'locks'))).toEqual([])
    })

    it('ust as PID 1 (container) takes over a lock naming PID 1 left by a killed run', async () => {
      const dir = await quickstart()
      const lock = await lockPathFor(configOf(dir), dataDirOf(dir))
      await mkdir(dirname(lock), { recursive: true })
      await writeFile(lock, '1\n')
      const run = await new Promise<CliRun>((resolve) => {
        const child = spawn(
          'unshare',
          ['--pid', '--fork', '--mount-proc', process.execPath, BIN, 'sync', '-c', configOf(dir), ...REMOVE],
          { cwd: dir, env: { ...process.env, NODE_OPTIONS: '', UST_DATA_DIR: dataDirOf(dir) } },
        )
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (d) => (stdout += d))
        child.stderr.on('data', (d) => (stderr += d))
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
      })
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toMatch(/ 1 WARNING ust - Taking over the stale sync lock .*PID 1, which is this process/)
      expect(summaryOf(run.stdout).get('Number of new Adobe users added')).toBe('17')
    })
  })
})
