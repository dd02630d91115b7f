import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ExitCode,
  SourceError,
  type DirectoryReadResult,
  type DirectoryUser,
  type IdentitySource,
  type SourceSelection,
  type Target,
} from '@ust-sync/api'
import type { UstConfig } from '../../src/config/types.js'
import { lockPathFor } from '../../src/run/lock.js'
import { parsePlanText } from './plan-file-text.js'
import type { SyncOptions } from '../../src/sync/options.types.js'
import { runSync } from '../../src/run/run-sync.js'
import { dirUser, makeConfig, makeOptions } from '../sync/helpers.js'
import { makeOrg, ModelTarget } from '../sync/model-target.js'

/** An in-memory directory: returns its users, remembers what it was asked. */
class MemorySource implements IdentitySource {
  users: DirectoryUser[]
  asked: SourceSelection[] = []
  constructor(users: DirectoryUser[]) {
    this.users = users
  }
  async read(selection: SourceSelection): Promise<DirectoryReadResult> {
    this.asked.push(selection)
    return { users: this.users, warnings: [] }
  }
}

const lines: string[] = []
const logger = {
  debug: () => {},
  info: (m: string) => lines.push(`INFO ${m}`),
  warn: (m: string) => lines.push(`WARN ${m}`),
  error: (m: string) => lines.push(`ERROR ${m}`),
  critical: (m: string) => lines.push(`CRITICAL ${m}`),
}
let now = 1_000
const clock = { now: () => (now += 250), sleep: async () => {} }

describe('runSync', () => {
  let dir: string
  let config: UstConfig
  let primary: ModelTarget
  let source: MemorySource
  const options = (patch: Partial<SyncOptions> = {}) =>
    makeOptions({ processGroups: true, adobeOnlyUserAction: { kind: 'remove' }, ...patch })
  const input = (patch: Partial<Parameters<typeof runSync>[0]> = {}) => ({
    config,
    options: options(),
    source,
    targets: new Map<string, Target>([['primary', primary]]),
    logger,
    clock,
    dataDir: join(dir, 'data'),
    ...patch,
  })

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ust-run-'))
    const file = join(dir, 'user-sync-config.yml')
    await writeFile(file, 'directory_users:\n  groups: []\n')
    // Removing one user of two is 50% of the org: these tests are not about the first-run check.
    config = makeConfig({
      file,
      files: [file],
      mappings: { staff: ['Staff'] },
      limits: { firstRunRemovalPercent: 100 },
    })
    primary = new ModelTarget(
      'primary',
      makeOrg(['Staff'], [{ email: 'kept@x.com' }, { email: 'gone@x.com', groups: ['Staff'] }]),
    )
    source = new MemorySource([dirUser('kept@x.com', ['staff']), dirUser('new@x.com', ['staff'])])
    lines.length = 0
  })
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  it('reads, plans and applies: the org matches the directory; summary and result; lock released', async () => {
    const result = await runSync(input())
    expect(primary.org.users.map((u) => [u.email, u.groups])).toEqual([
      ['kept@x.com', ['Staff']],
      ['new@x.com', ['Staff']],
    ])
    expect(source.asked).toEqual([{ groups: ['staff'], allUsers: true, extendedAttributes: [], memberGroups: false }])
    expect(result).toMatchObject({
      exitCode: ExitCode.ok,
      planOnly: false,
      failures: [],
      counts: {
        usersCreated: 1,
        usersUpdated: 1,
        adobeOnlyProcessed: 1,
        actions: [{ target: 'primary', total: 3, success: 3, error: 0 }],
      },
    })
    // The test clock moves 250 ms each time it is read: the run reads it at its start and end, and around
    // the directory read (logged with its user count and duration).
    expect(lines).toContain("INFO Read 2 directory users from 'ldap' in 0.25 s")
    expect(result.durationMs).toBe(1000)
    expect(result.summary[0]).toContain('------- Action Summary -------')
    expect(lines).toContain(`INFO ${result.summary[1]}`)
    await expect(readFile(await lockPathFor(config.file, join(dir, 'data')))).rejects.toThrow(/ENOENT/)
  })

  it('test mode changes nothing and says TEST MODE', async () => {
    const before = structuredClone(primary.org)
    const result = await runSync(input({ options: options({ testMode: true }) }))
    expect(primary.org).toEqual(before)
    expect(result.summary[0]).toContain('Action Summary (TEST MODE)')
  })

  it('a source error propagates: nothing is removed, the lock is released', async () => {
    const before = structuredClone(primary.org)
    const broken: IdentitySource = {
      read: async () => Promise.reject(new SourceError('LDAP search aborted at page 3')),
    }
    await expect(runSync(input({ source: broken }))).rejects.toThrow(/LDAP search aborted/)
    expect(primary.org).toEqual(before)
    await expect(readFile(await lockPathFor(config.file, join(dir, 'data')))).rejects.toThrow(/ENOENT/)
  })

  it("a third-party source's plain Error becomes a SourceError (exit 6) naming the connector; nothing changes", async () => {
    const before = structuredClone(primary.org)
    const broken: IdentitySource = { read: async () => Promise.reject(new Error('socket hang up')) }
    await expect(runSync(input({ source: broken }))).rejects.toMatchObject({
      exitCode: ExitCode.source,
      message: expect.stringMatching(/identity source '.*' could not be read: socket hang up/),
    })
    expect(primary.org).toEqual(before)
  })

  it("a target's plain Error while reading becomes a TargetError (exit 7); nothing changes", async () => {
    const before = structuredClone(primary.org)
    primary.snapshot = async () => Promise.reject(new Error('ECONNRESET'))
    await expect(runSync(input())).rejects.toMatchObject({
      exitCode: ExitCode.target,
      message: expect.stringMatching(/Target 'primary' could not be read: ECONNRESET/),
    })
    expect(primary.org).toEqual(before)
  })

  it('an exceeded limit skips Adobe-only handling, applies the rest and exits with ExitCode.limit', async () => {
    config = { ...config, limits: { ...config.limits, maxAdobeOnlyUsers: { kind: 'count', value: 0 } } }
    const result = await runSync(input())
    expect(result.exitCode).toBe(ExitCode.limit)
    expect(primary.org.users.map((u) => u.email)).toEqual(['kept@x.com', 'gone@x.com', 'new@x.com'])
    expect(lines).toContain(
      'CRITICAL Unable to process Adobe-only users, as their count (1) is larger than the max_adobe_only_users setting (0)',
    )
  })

  it('failed commands make the exit code partial and are listed', async () => {
    source.users.push(dirUser('nocountry@x.com', ['staff'], { country: 'XX' }))
    primary.org.groups = []
    const result = await runSync(input())
    expect(result.exitCode).toBe(ExitCode.partial)
    const notFound = [{ code: 'error.group.not_found', message: 'Group staff was not found' }]
    expect(result.failures).toEqual(
      ['kept@x.com', 'new@x.com', 'nocountry@x.com'].map((subject, i) => ({
        target: 'primary',
        commandId: `primary:${i + 1}`,
        subject,
        errors: notFound,
      })),
    )
  })

  it('write-file writes the Adobe-only users as CSV', async () => {
    const path = join(dir, 'strays.csv')
    const result = await runSync(
      input({ options: options({ processGroups: false, adobeOnlyUserAction: { kind: 'write-file', path } }) }),
    )
    expect(await readFile(path, 'utf8')).toBe('type,email,domain\r\nfederatedID,gone@x.com,\r\n')
    expect(result.adobeOnlyFile).toBe(path)
  })

  it('--plan-out writes the plan and changes nothing; --plan executes it', async () => {
    const planFile = join(dir, 'plan.json')
    const before = structuredClone(primary.org)
    const planned = await runSync(input({ planOut: planFile }))
    expect(planned).toMatchObject({ planOnly: true, planFile })
    expect(primary.org).toEqual(before)
    const saved = parsePlanText(await readFile(planFile, 'utf8'))
    expect(saved.header).toMatchObject({ format: 'ust-plan', version: 2 })
    expect(saved.plan.targets[0].commands.map((c: { id: string }) => c.id)).toEqual([
      'primary:1',
      'primary:2',
      'primary:3',
    ])
    const applied = await runSync(input({ planIn: planFile }))
    expect(applied.exitCode).toBe(ExitCode.ok)
    expect(primary.org.users.map((u) => u.email)).toEqual(['kept@x.com', 'new@x.com'])
  })

  it('--plan refuses a plan the target has drifted from, saying what changed, and writes nothing', async () => {
    const planFile = join(dir, 'plan.json')
    await runSync(input({ planOut: planFile }))
    primary.org.users.push({
      identityType: 'federatedID',
      email: 'late@x.com',
      username: 'late@x.com',
      domain: 'x.com',
      groups: ['Staff'],
    })
    const before = structuredClone(primary.org)
    await expect(runSync(input({ planIn: planFile }))).rejects.toThrow(
      /user late@x.com \(primary\): saved plan: nothing; now: .*remove from org/,
    )
    expect(primary.org).toEqual(before)
  })

  it('--plan refuses a plan made for other config files or options', async () => {
    const planFile = join(dir, 'plan.json')
    await runSync(input({ planOut: planFile }))
    await writeFile(config.file, 'directory_users:\n  groups: [changed]\n')
    await expect(runSync(input({ planIn: planFile }))).rejects.toMatchObject({
      exitCode: ExitCode.config,
      code: 'config.plan-changed',
    })
  })

  it('--adobe-only-user-list: no directory read; the listed users are handled', async () => {
    const list = join(dir, 'remove.csv')
    await writeFile(list, 'type,username,email,domain\nfederatedID,,gone@x.com,\n')
    const result = await runSync(input({ options: options({ processGroups: false, adobeOnlyUserList: list }) }))
    expect(source.asked).toEqual([])
    expect(primary.org.users.map((u) => u.email)).toEqual(['kept@x.com'])
    expect(result.counts.adobeUsersRead).toBe(0)
  })

  describe('the directory-drop baseline follows the directory and the org, not the config file', () => {
    const staff = (...emails: string[]) => emails.map((e) => dirUser(e, ['staff']))
    const named = <T extends object>(connector: T, identity: string): T =>
      Object.assign(connector, { identity: () => identity })
    const configAt = async (name: string): Promise<UstConfig> => {
      const file = join(dir, name, 'user-sync-config.yml')
      await mkdir(join(dir, name))
      await writeFile(file, 'directory_users:\n  groups: []\n')
      return makeConfig({ file, files: [file], mappings: { staff: ['Staff'] } })
    }

    it('a first run is compared with the org; a moved config with a narrowed directory finds the baseline', async () => {
      const first = await configAt('a')
      source = named(new MemorySource(staff('kept@x.com', 'a@x.com', 'b@x.com', 'c@x.com')), 'mem:corp')
      named(primary, 'model:org-1')
      // No baseline: removing 1 of the org's 2 users (50%) is more than first_run_removal_percent (10).
      const refused = await runSync(input({ config: first }))
      expect(refused.exitCode).toBe(ExitCode.limit)
      expect(refused.limit).toMatchObject({ kind: 'first_run', count: 1 })
      expect(primary.org.users.map((u) => u.email)).toContain('gone@x.com')
      expect(lines).toContain(
        "CRITICAL Unable to process Adobe-only users: this is the first run against this directory and org (no earlier run to compare with), and 1 of the org's 2 users (50%) would be removed from the org, more than limits.first_run_removal_percent (10%); check the directory selection, and if that is intended run again with --allow-directory-drop",
      )
      const allowed = await runSync(input({ config: first, options: options({ allowDirectoryDrop: true }) }))
      expect(allowed.exitCode).toBe(ExitCode.ok)
      expect(primary.org.users.map((u) => u.email).sort()).toEqual(['a@x.com', 'b@x.com', 'c@x.com', 'kept@x.com'])

      // The same directory and org from another config file, the selection narrowed to one user.
      const moved = await configAt('b')
      source.users = staff('kept@x.com')
      const narrowed = await runSync(input({ config: moved }))
      expect(narrowed.exitCode).toBe(ExitCode.limit)
      expect(narrowed.limit?.message).toMatch(/the directory returned 1 users \(4 at the last successful run\)/)
      expect(primary.org.users).toHaveLength(4)

      // Another org has no baseline: compared with itself (3 of 4 would go).
      named(primary, 'model:org-2')
      const otherOrg = await runSync(input({ config: moved }))
      expect(otherOrg.limit).toMatchObject({ kind: 'first_run', count: 3 })
      expect(primary.org.users).toHaveLength(4)
    })
  })
})
