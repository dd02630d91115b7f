import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ExitCode, isUstError } from '@ust-sync/api'
import { csvSourceDefinition } from '../../plugins/csv/src/definition.js'
import { contextFor } from '../../plugins/csv/test/helpers.js'
import { parseAdobeOnlyList } from '../../src/run/adobe-only-list.js'
import { formatCsv, parseCsv } from '../../src/run/csv.js'
import { guardDirectoryDrop } from '../../src/sync/limits.js'
import { mapDirectoryUsers } from '../../src/sync/mapping.js'
import { exitCodeOf } from '../../src/sync/summary.js'
import {
  adobeUser,
  dirUser,
  makeConfig,
  makeConfigWithoutDefaultCountry,
  makeOptions,
  planFor,
  touched,
  userCommands,
} from './helpers.js'

describe('sync hardening: planning', () => {
  it('a directory user marked notCreatable (invalid identity type) is matched but never created: an error', () => {
    const config = makeConfig({ mappings: { staff: ['Staff'] } })
    const plan = planFor({
      config,
      directory: [
        dirUser('kept@x.com', ['staff'], { notCreatable: 'users.csv:2: identity type "fed" …' }),
        dirUser('new@x.com', ['staff'], { notCreatable: 'users.csv:3: identity type "fed" …' }),
      ],
      primary: [adobeUser('kept@x.com', [])],
      options: { processGroups: true, adobeOnlyUserAction: { kind: 'remove' } },
    })
    // matched: gets its groups, never looks Adobe-only; unmatched: not created, reported
    expect(userCommands(plan)).toEqual([
      { user: expect.objectContaining({ email: 'kept@x.com' }), addGroups: ['staff'] },
    ])
    expect(plan.errors).toEqual(['users.csv:3: identity type "fed" …'])
    expect(exitCodeOf(plan.limit, [], plan.errors)).toBe(ExitCode.partial)
  })

  it('a directory of 200,000 skipped rows and 100,000 bad addresses plans: every warning and error kept, once', () => {
    // Before: push(...warnings) exceeded the call stack, and each not-creatable error was looked for in every
    // earlier error (quadratic).
    const config = makeConfig({ mappings: { staff: ['Staff'] } })
    const directory = [
      ...Array.from({ length: 200_000 }, (_, i) => dirUser('', ['staff'], { origin: `users.csv:${i + 2}` })),
      ...Array.from({ length: 100_000 }, (_, i) =>
        dirUser(`bad ${i}@x.com`, ['staff'], { origin: `users.csv:${i + 200_002}` }),
      ),
    ]
    const plan = planFor({ config, directory, options: { processGroups: true } })
    expect(plan.warnings.filter((w) => w.startsWith('Ignoring directory user with empty user key'))).toHaveLength(
      200_000,
    )
    expect(plan.errors).toHaveLength(100_000)
    expect(new Set(plan.errors).size).toBe(100_000)
    expect(plan.errors[0]).toContain('users.csv:200002: email "bad 0@x.com" is not an email address')
    expect(userCommands(plan)).toEqual([])
  })

  it('a directory user whose email is not an address (any source) is matched but never created: an error', () => {
    const config = makeConfig({ mappings: { staff: ['Staff'] } })
    const plan = planFor({
      config,
      directory: [
        dirUser('kept@x.com', ['staff']),
        dirUser('bob@', ['staff'], { origin: 'ldap uid=bob,ou=people' }),
        dirUser('two@@x.com', ['staff'], { origin: 'ldap uid=two,ou=people' }),
      ],
      primary: [adobeUser('kept@x.com', [])],
      options: { processGroups: true, adobeOnlyUserAction: { kind: 'remove' } },
    })
    expect(userCommands(plan)).toEqual([
      { user: expect.objectContaining({ email: 'kept@x.com' }), addGroups: ['staff'] },
    ])
    expect(plan.errors).toEqual([
      'ldap uid=bob,ou=people: email "bob@" is not an email address; the user is not created (fix it in the directory)',
      'ldap uid=two,ou=people: email "two@@x.com" is not an email address; the user is not created (fix it in the directory)',
    ])
    expect(exitCodeOf(plan.limit, [], plan.errors)).toBe(ExitCode.partial)
  })

  it('a user skipped while planning (no country) gives the same exit code as a refused command: partial', () => {
    const plan = planFor({
      config: makeConfigWithoutDefaultCountry(),
      directory: [dirUser('nocountry@x.com', [], { country: undefined })],
    })
    expect(plan.errors[0]).toMatch(/without a specified country code/)
    expect(exitCodeOf(plan.limit, [], plan.errors)).toBe(ExitCode.partial)
    expect(exitCodeOf(plan.limit, [], [])).toBe(ExitCode.ok)
  })

  it('UST defect fixed: the whitespace/case warning fires for groups read from a CSV', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ust-ws-'))
    try {
      const file = join(dir, 'users.csv')
      await writeFile(file, 'email,groups\nann@corp.example,"designers, Writers"\n')
      const read = await csvSourceDefinition
        .create({ file_path: file }, contextFor(dir))
        .read({ groups: ['Writers'], allUsers: true, extendedAttributes: [] })
      const config = makeConfig({ mappings: { Writers: ['Writers'] } })
      const desired = mapDirectoryUsers(read.users, config, makeOptions({ processGroups: true }))
      expect(desired.warnings).toEqual([
        expect.stringContaining("Directory group ' Writers' matches the mapping of 'Writers'"),
      ])
      expect(desired.users[0]?.groups.get('primary')).toEqual(['writers'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a control character in any source value stops the run naming its origin', () => {
    let error: unknown
    try {
      mapDirectoryUsers(
        [dirUser('a@x.com', [], { lastname: 'Le\u0000e', origin: 'ldap: cn=a,dc=x' })],
        makeConfig(),
        makeOptions(),
      )
    } catch (e) {
      error = e
    }
    expect(isUstError(error)).toBe(true)
    expect(error).toMatchObject({ exitCode: ExitCode.source })
    expect((error as Error).message).toMatch(/ldap: cn=a,dc=x: the lastname contains a control character \(U\+0000\)/)
  })

  it('a group list shared by several users is checked and mapped once, for the first user that has it', () => {
    const config = makeConfig({ mappings: { staff: ['Staff'] } })
    const shared = ['staff']
    const desired = mapDirectoryUsers(
      [dirUser('a@x.com', shared), dirUser('b@x.com', shared), dirUser('c@x.com', ['other'])],
      config,
      makeOptions({ users: { kind: 'mapped' } }),
    )
    expect(desired.users.map((u) => u.email)).toEqual(['a@x.com', 'b@x.com'])
    expect(desired.users[1]?.groups.get('primary')).toEqual(['staff'])
    const bad = ['staff', 'Ops\u0007']
    expect(() =>
      mapDirectoryUsers(
        [dirUser('a@x.com', ['staff']), dirUser('b@x.com', bad, { origin: 'b-row' }), dirUser('c@x.com', bad)],
        config,
        makeOptions(),
      ),
    ).toThrow(/b-row: the group contains a control character \(U\+0007\)/)
  })
})

describe('sync hardening: no silent mass removal', () => {
  const config = makeConfig({ mappings: { staff: ['Staff'] } })
  const org = [adobeUser('a@x.com', ['Staff']), adobeUser('b@x.com', ['Staff']), adobeUser('c@x.com', ['Staff'])]
  const remove = { adobeOnlyUserAction: { kind: 'remove' as const } }

  it('an empty directory read with a destructive action skips Adobe-only users like the limit', () => {
    const plan = guardDirectoryDrop(
      planFor({ config, directory: [], primary: org, options: remove }),
      makeOptions(remove),
      undefined,
      10,
    )
    expect(touched(plan)).toEqual([])
    expect(plan.limit).toMatchObject({ kind: 'directory_drop', exceeded: true })
    expect(plan.limit?.message).toMatch(/directory returned 0 users.*--allow-directory-drop/)
    expect(plan.counters.adobeOnlyProcessed).toBe(0)
    expect(exitCodeOf(plan.limit, [])).toBe(ExitCode.limit)
  })

  it('--allow-directory-drop lets the removal happen', () => {
    const options = { ...remove, allowDirectoryDrop: true }
    const plan = guardDirectoryDrop(
      planFor({ config, directory: [], primary: org, options }),
      makeOptions(options),
      10,
      10,
    )
    expect(touched(plan)).toEqual(['a@x.com', 'b@x.com', 'c@x.com'])
  })

  it('a drop below half of the last successful read is treated like the limit; a smaller one is not', () => {
    const directory = [dirUser('a@x.com', ['staff'])]
    const dropped = guardDirectoryDrop(
      planFor({ config, directory, primary: org, options: remove }),
      makeOptions(remove),
      3,
      10,
    )
    expect(dropped.limit).toMatchObject({ kind: 'directory_drop', exceeded: true })
    expect(dropped.limit?.message).toMatch(/returned 1 users \(3 at the last successful run\)/)
    const fine = guardDirectoryDrop(
      planFor({ config, directory, primary: org, options: remove }),
      makeOptions(remove),
      2,
      10,
    )
    expect(fine.limit?.exceeded).toBe(false)
    expect(touched(fine)).toEqual(['b@x.com', 'c@x.com'])
  })

  describe('the first run against a directory and org (no baseline) is compared with the org', () => {
    const tenUsers = Array.from({ length: 10 }, (_, i) => adobeUser(`u${i}@x.com`, ['Staff']))
    const kept = (n: number) => tenUsers.slice(0, n).map((u) => dirUser(u.email, ['staff']))

    it('more Adobe-only users acted on than first_run_removal_percent of the org: skipped, exit 9, says why', () => {
      const plan = guardDirectoryDrop(
        planFor({ config, directory: kept(8), primary: tenUsers, options: remove }),
        makeOptions(remove),
        undefined,
        10,
      )
      expect(touched(plan)).toEqual([])
      expect(plan.limit).toMatchObject({ kind: 'first_run', exceeded: true, count: 2, max: 1 })
      expect(plan.limit?.message).toBe(
        "Unable to process Adobe-only users: this is the first run against this directory and org (no earlier run to compare with), and 2 of the org's 10 users (20%) would be removed from the org, more than limits.first_run_removal_percent (10%); check the directory selection, and if that is intended run again with --allow-directory-drop",
      )
      expect(exitCodeOf(plan.limit, [])).toBe(ExitCode.limit)
    })

    it('at most the percentage goes ahead; a baseline or --allow-directory-drop lifts the check', () => {
      const atLimit = guardDirectoryDrop(
        planFor({ config, directory: kept(9), primary: tenUsers, options: remove }),
        makeOptions(remove),
        undefined,
        10,
      )
      expect(atLimit.limit?.exceeded).toBe(false)
      expect(touched(atLimit)).toEqual(['u9@x.com'])
      const withBaseline = guardDirectoryDrop(
        planFor({ config, directory: kept(8), primary: tenUsers, options: remove }),
        makeOptions(remove),
        9,
        10,
      )
      expect(touched(withBaseline)).toEqual(['u8@x.com', 'u9@x.com'])
      const allowed = { ...remove, allowDirectoryDrop: true }
      const plan = guardDirectoryDrop(
        planFor({ config, directory: kept(2), primary: tenUsers, options: allowed }),
        makeOptions(allowed),
        undefined,
        10,
      )
      expect(touched(plan)).toHaveLength(8)
    })
  })
})

describe('sync hardening: Adobe-only files', () => {
  it('an --adobe-only-user-list row with username and domain but no email is addressed by them (UST)', () => {
    const list = parseAdobeOnlyList(
      'type,username,email,domain\nfederatedID,jdoe,,corp.example\n',
      'r.csv',
      makeConfig(),
    )
    expect(list.warnings).toEqual([])
    expect(list.users).toEqual([
      expect.objectContaining({
        ref: { identityType: 'federatedID', email: '', username: 'jdoe', domain: 'corp.example' },
      }),
    ])
  })

  it('write-file output uses CRLF and neutralises formulas; the list reads back unchanged', () => {
    const text = formatCsv(
      ['type', 'email', 'domain'],
      [
        ['federatedID', '=HYPERLINK("x")@x.com', ''],
        ['adobeID', '+1@x.com', ''],
      ],
    )
    expect(text).toBe(`type,email,domain\r\nfederatedID,"'=HYPERLINK(""x"")@x.com",\r\nadobeID,'+1@x.com,\r\n`)
    expect(parseCsv(text).map((r) => r.email)).toEqual(['=HYPERLINK("x")@x.com', '+1@x.com'])
  })
})
