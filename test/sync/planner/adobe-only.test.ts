import { describe, expect, it } from 'vitest'
import { parseAdobeOnlyList } from '../../../src/run/adobe-only-list.js'
import { applyLimits } from '../../../src/sync/limits.js'
import { mapDirectoryUsers } from '../../../src/sync/mapping.js'
import { planSync } from '../../../src/sync/planner.js'
import { adobeUser, dirUser, makeConfig, makeOptions, planFor, userCommands } from '../helpers.js'
import type { SyncOptions } from '../../../src/sync/options.types.js'

const config = makeConfig({ mappings: { staff: ['Staff'] } })
const primary = [
  adobeUser('kept@x.com', ['Staff']),
  adobeUser('gone@x.com', ['Staff', 'Manual']),
  adobeUser('idle@x.com', ['Manual']),
  adobeUser('aid@gmail.com', [], { identityType: 'adobeID' }),
]
const directory = [dirUser('kept@x.com', ['staff'])]
const run = (options: Partial<SyncOptions>) => planFor({ config, options, directory, primary })

describe('planner: Adobe-only users (--adobe-only-user-action)', () => {
  it('preserve: nothing, unless --process-groups, which removes only mapped groups', () => {
    expect(userCommands(run({}))).toEqual([])
    expect(run({}).adobeOnlyVerb).toBeUndefined()
    const plan = run({ processGroups: true })
    expect(userCommands(plan)).toEqual([
      { user: expect.objectContaining({ email: 'gone@x.com' }), removeGroups: ['staff'] },
    ])
    expect(plan.adobeOnlyVerb).toBe('with groups processed')
  })

  it('UST defect fixed: the Adobe-only counter counts users acted on, not users found', () => {
    const plan = run({ processGroups: true })
    expect(plan.counters.adobeOnlyFound).toBe(3)
    expect(plan.counters.adobeOnlyProcessed).toBe(1)
  })

  it('exclude: nothing happens and they count as excluded', () => {
    const plan = run({ processGroups: true, adobeOnlyUserAction: { kind: 'exclude' } })
    expect(userCommands(plan)).toEqual([])
    expect(plan.counters.adobeUsersExcluded).toBe(3)
  })

  it('remove-adobe-groups: remove all groups', () => {
    expect(
      userCommands(run({ adobeOnlyUserAction: { kind: 'remove-adobe-groups' } })).map((c) => [
        c.user.email,
        c.removeGroups,
      ]),
    ).toEqual([
      ['gone@x.com', 'all'],
      ['idle@x.com', 'all'],
      ['aid@gmail.com', 'all'],
    ])
  })

  it('remove: removeFromOrg without deleting the account', () => {
    const commands = userCommands(run({ adobeOnlyUserAction: { kind: 'remove' } }))
    expect(commands.map((c) => c.removeFromOrg)).toEqual([
      { deleteAccount: false },
      { deleteAccount: false },
      { deleteAccount: false },
    ])
  })

  it('UST defect fixed: delete deletes Federated/Enterprise accounts but only removes Adobe IDs', () => {
    const commands = userCommands(run({ adobeOnlyUserAction: { kind: 'delete' } }))
    expect(commands.map((c) => [c.user.email, c.removeFromOrg?.deleteAccount])).toEqual([
      ['gone@x.com', true],
      ['idle@x.com', true],
      ['aid@gmail.com', false],
    ])
    expect(run({ adobeOnlyUserAction: { kind: 'delete' } }).adobeOnlyVerb).toBe('deleted')
  })

  it('write-file: lists type,email,domain of every Adobe-only user and sends nothing without --process-groups', () => {
    const plan = run({ adobeOnlyUserAction: { kind: 'write-file', path: '/tmp/strays.csv' } })
    expect(userCommands(plan)).toEqual([])
    expect(plan.adobeOnlyFile).toEqual({
      path: '/tmp/strays.csv',
      columns: ['type', 'email', 'domain'],
      rows: [
        ['federatedID', 'gone@x.com', ''],
        ['federatedID', 'idle@x.com', ''],
        ['adobeID', 'aid@gmail.com', ''],
      ],
    })
  })

  it('write-file: adds the umapi column when a secondary has Adobe-only users', () => {
    const two = makeConfig({ secondaries: ['org2'], mappings: { staff: ['Staff', 'org2::Team'] } })
    const plan = planFor({
      config: two,
      options: { adobeOnlyUserAction: { kind: 'write-file', path: 'out.csv' } },
      directory: [],
      primary: [adobeUser('gone@x.com')],
      secondaries: { org2: [adobeUser('gone@x.com')] },
    })
    expect(plan.adobeOnlyFile?.columns).toEqual(['type', 'email', 'domain', 'umapi'])
    expect(plan.adobeOnlyFile?.rows).toEqual([
      ['federatedID', 'gone@x.com', '', ''],
      ['federatedID', 'gone@x.com', '', 'org2'],
    ])
  })

  it('group_removals_only: only Adobe-only users with mapped groups are counted and acted on', () => {
    const only = makeConfig({
      mappings: { staff: ['Staff'] },
      limits: { maxAdobeOnlyUsers: { kind: 'count', value: 1 }, groupRemovalsOnly: true },
    })
    const plan = planFor({ config: only, options: { adobeOnlyUserAction: { kind: 'remove' } }, directory, primary })
    expect(plan.limit).toMatchObject({ checked: true, exceeded: false, count: 1 })
    expect(userCommands(plan).map((c) => c.user.email)).toEqual(['gone@x.com'])
  })

  it('--adobe-only-user-list: the listed users (type,username,email,domain,umapi) are the Adobe-only users', () => {
    const two = makeConfig({ secondaries: ['org2'], mappings: { staff: ['Staff', 'org2::Team'] } })
    const csv =
      'type,username,email,domain,umapi\nfederatedID,,gone@x.com,,\nfederatedID,jdoe,john@x.com,x.com,\nfederatedID,,gone@x.com,,org2\nadobeID,,aid@gmail.com,,\nfederatedID,,,,\nbadtype,,z@x.com,,\n'
    const list = parseAdobeOnlyList(csv, 'remove.csv', two)
    expect(list.warnings).toEqual([
      'remove.csv:6: no email, and no username with a domain; row ignored (the Adobe-only user list needs either)',
    ])
    expect(list.errors).toHaveLength(1)
    const options = makeOptions({ adobeOnlyUserAction: { kind: 'delete' }, adobeOnlyUserList: 'remove.csv' })
    const plan = applyLimits(
      planSync({
        desired: mapDirectoryUsers([], two, options),
        snapshots: new Map(),
        config: two,
        options,
        adobeOnlyList: list.users,
      }),
      two,
      options,
    )
    expect(userCommands(plan).map((c) => [c.user.username, c.user.domain, c.removeFromOrg?.deleteAccount])).toEqual([
      ['gone@x.com', 'x.com', true],
      ['jdoe', 'x.com', true],
      ['aid@gmail.com', 'gmail.com', false],
    ])
    expect(userCommands(plan, 'org2')).toEqual([
      { user: expect.objectContaining({ email: 'gone@x.com' }), removeFromOrg: { deleteAccount: false } },
    ])
    expect(plan.counters.adobeUsersRead).toBe(0)
  })
})
