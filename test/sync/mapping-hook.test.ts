import { describe, expect, it } from 'vitest'
import type { Logger, MappingHookUser } from '@ust-sync/api'
import { compileGroupPattern } from '../../src/config/ust-pattern.js'
import { mapDirectoryUsers } from '../../src/sync/mapping.js'
import type { MappingHookStep } from '../../src/sync/mapping-hook.js'
import { adobeUser, dirUser, makeConfig, makeOptions, planFor, userCommands } from './helpers.js'

const logger: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** A hook step recording what each call saw (copies, taken before the hook changes anything). */
function recording(
  change: (user: MappingHookUser) => void = () => {},
  adobeGroups: MappingHookStep['adobeGroups'] = [],
) {
  const seen: {
    sourceAttributes: unknown
    sourceGroups: string[]
    targetAttributes: unknown
    targetGroups: string[]
  }[] = []
  const storages: unknown[] = []
  const step: MappingHookStep = {
    storage: {},
    logger,
    adobeGroups,
    afterMapping(user) {
      seen.push({
        sourceAttributes: { ...user.sourceAttributes },
        sourceGroups: [...user.sourceGroups],
        targetAttributes: { ...user.targetAttributes },
        targetGroups: [...user.targetGroups],
      })
      storages.push(user.storage)
      change(user)
    },
  }
  return { step, seen, storages }
}

const company = [
  { target: 'primary', name: 'Company 1 Users' },
  { target: 'org2', name: 'Company 2 Users' },
]

describe('the mapping hook in the engine', () => {
  it("gets UST's scope: source attributes and groups, target attributes, mapped groups (qualified), one storage", () => {
    const config = makeConfig({
      mappings: { Design: ['Design Team', 'org2::Designers'] },
      secondaries: ['org2'],
      directoryUsers: { additionalGroups: [{ source: compileGroupPattern('^Team (.*)$'), target: 'T-\\1' }] },
    })
    const hook = recording()
    mapDirectoryUsers(
      [
        dirUser('ann@example.com', ['Design', 'Team A'], { attributes: { bc: 'JP1', subco: undefined } }),
        dirUser('bob@example.com', [], { username: 'bob', domain: 'example.com', country: undefined }),
      ],
      config,
      makeOptions({ processGroups: true }),
      hook.step,
    )
    expect(hook.seen).toEqual([
      {
        sourceAttributes: { bc: 'JP1', subco: undefined },
        sourceGroups: ['Design', 'Team A'],
        targetAttributes: {
          email: 'ann@example.com',
          username: 'ann@example.com',
          domain: undefined,
          firstname: 'First',
          lastname: 'Last',
          country: 'US',
        },
        // additional_groups (T-A) apply after the hook: it never sees them.
        targetGroups: ['Design Team', 'org2::Designers'],
      },
      {
        // A source that gives no attributes: the standard fields.
        sourceAttributes: {
          email: 'bob@example.com',
          username: 'bob',
          domain: 'example.com',
          firstname: 'First',
          lastname: 'Last',
          country: undefined,
          identity_type: undefined,
        },
        sourceGroups: [],
        targetAttributes: {
          email: 'bob@example.com',
          username: 'bob',
          domain: 'example.com',
          firstname: 'First',
          lastname: 'Last',
          country: undefined,
        },
        targetGroups: [],
      },
    ])
    expect(hook.storages[0]).toBe(hook.step.storage)
    expect(hook.storages[1]).toBe(hook.step.storage)
  })

  it('groups the hook adds or removes are desired (then additional_groups); unknown ones are ignored with a warning', () => {
    const config = makeConfig({
      mappings: { Design: ['Design Team'] },
      secondaries: ['org2'],
      directoryUsers: { additionalGroups: [{ source: compileGroupPattern('^Team (.*)$'), target: 'T-\\1' }] },
    })
    const hook = recording((user) => {
      user.targetGroups.delete('Design Team')
      user.targetGroups.add('company 1 users') // case ignored
      user.targetGroups.add('org2::Company 2 Users')
      user.targetGroups.add('Nobody Knows')
    }, company)
    const desired = mapDirectoryUsers(
      [dirUser('ann@example.com', ['Design', 'Team A']), dirUser('bob@example.com', ['Design'])],
      config,
      makeOptions({ processGroups: true }),
      hook.step,
    )
    expect(desired.users.map((u) => [u.email, Object.fromEntries(u.groups)])).toEqual([
      ['ann@example.com', { primary: ['company 1 users', 't-a'], org2: ['company 2 users'] }],
      ['bob@example.com', { primary: ['company 1 users'], org2: ['company 2 users'] }],
    ])
    expect(desired.warnings).toEqual([
      'Target adobe group Nobody Knows is not known; ignored (the mapping hook gave it to ann@example.com; add it to extended_adobe_groups)',
    ])
    // extended_adobe_groups are mapped groups: --adobe-users mapped reads them, --process-groups manages them.
    expect(Object.fromEntries([...desired.mappedGroups].map(([t, g]) => [t, [...g.values()]]))).toEqual({
      primary: ['Design Team', 'Company 1 Users', 'T-A'],
      org2: ['Company 2 Users'],
    })
  })

  it('an extended group is removed from users the hook did not give it to (--process-groups), as in UST', () => {
    const hook = recording(
      (user) => {
        if (user.sourceAttributes.subco === 'Company 1') user.targetGroups.add('Company 1 Users')
      },
      company.slice(0, 1),
    )
    const plan = planFor({
      directory: [
        dirUser('ann@example.com', [], { attributes: { subco: 'Company 1' } }),
        dirUser('bob@example.com', [], { attributes: { subco: 'Company 2' } }),
      ],
      primary: [adobeUser('ann@example.com'), adobeUser('bob@example.com', ['Company 1 Users', 'Other'])],
      options: { processGroups: true },
      hook: hook.step,
    })
    expect(userCommands(plan)).toEqual([
      { user: expect.objectContaining({ email: 'ann@example.com' }), addGroups: ['company 1 users'] },
      { user: expect.objectContaining({ email: 'bob@example.com' }), removeGroups: ['company 1 users'] },
    ])
  })

  it("the hook's attributes are the user's: country at creation, names, and a new email makes a new key", () => {
    const hook = recording((user) => {
      user.targetAttributes.country = 'jp'
      user.targetAttributes.firstname = null
      if (user.targetAttributes.email === 'old@example.com') {
        user.targetAttributes.email = 'new@example.com'
        user.targetAttributes.username = 'new@example.com' // it was the old email (UST's default)
      }
    })
    const desired = mapDirectoryUsers(
      [dirUser('ann@example.com'), dirUser('old@example.com')],
      makeConfig(),
      makeOptions(),
      hook.step,
    )
    expect(desired.users.map((u) => [u.key, u.email, u.country, u.firstname])).toEqual([
      ['federatedid,ann@example.com,,ann@example.com', 'ann@example.com', 'JP', undefined],
      ['federatedid,new@example.com,,new@example.com', 'new@example.com', 'JP', undefined],
    ])
  })

  it('runs only for selected users (--users group, --user-filter), as in UST', () => {
    const hook = recording()
    const desired = mapDirectoryUsers(
      [
        dirUser('ann@example.com', ['Design']),
        dirUser('bob@example.com', ['Web']),
        dirUser('cy@example.com', ['Design']),
      ],
      makeConfig(),
      makeOptions({ users: { kind: 'group', groups: ['Design'] }, userFilter: /^ann/ }),
      hook.step,
    )
    expect(hook.seen.map((s) => (s.targetAttributes as { email: string }).email)).toEqual(['ann@example.com'])
    expect(desired.users.map((u) => u.email)).toEqual(['ann@example.com'])
  })

  it("a hook that empties the email leaves the user out with UST's warning; a control character stops the run", () => {
    const empty = recording((user) => {
      user.targetAttributes.email = ''
    })
    const desired = mapDirectoryUsers(
      [dirUser('ann@example.com', [], { origin: 'users.csv:2' })],
      makeConfig(),
      makeOptions(),
      empty.step,
    )
    expect(desired.users).toEqual([])
    expect(desired.warnings).toEqual(['Ignoring directory user with empty user key: users.csv:2'])
    const control = recording((user) => {
      user.targetAttributes.lastname = 'a\u0000b'
    })
    expect(() =>
      mapDirectoryUsers(
        [dirUser('ann@example.com', [], { origin: 'users.csv:2' })],
        makeConfig(),
        makeOptions(),
        control.step,
      ),
    ).toThrow('users.csv:2: the lastname contains a control character (U+0000); nothing was changed')
  })

  it('an extended group of an org adobe_users.connectors does not define is a config error', () => {
    const hook = recording(() => {}, [{ target: 'nowhere', name: 'G' }])
    expect(() => mapDirectoryUsers([], makeConfig(), makeOptions(), hook.step)).toThrow(
      "Mapping hook group 'nowhere::G' names an org adobe_users.connectors does not define",
    )
  })
})
