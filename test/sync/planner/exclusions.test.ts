import { describe, expect, it } from 'vitest'
import { adobeUser, dirUser, makeConfig, planFor, touched } from '../helpers.js'
import { compileUsernamePattern } from '../../../src/config/ust-pattern.js'

describe('planner: exclusions (adobe_users.exclude_*)', () => {
  const options = { processGroups: true, adobeOnlyUserAction: { kind: 'remove' as const } }

  it('exclude_identity_types: Adobe IDs are neither updated nor removed, and counted as excluded', () => {
    const config = makeConfig({
      mappings: { staff: ['Staff'] },
      adobeUsers: { ...makeConfig().adobeUsers, excludeIdentityTypes: ['adobeID'] },
    })
    const plan = planFor({
      config,
      options,
      directory: [dirUser('a@x.com', ['staff'], { identityType: 'adobeID' })],
      primary: [
        adobeUser('a@x.com', [], { identityType: 'adobeID' }),
        adobeUser('gone@gmail.com', ['Staff'], { identityType: 'adobeID' }),
      ],
    })
    expect(touched(plan)).toEqual([])
    expect(plan.counters.adobeUsersExcluded).toBe(2)
  })

  it('exclude_adobe_groups: members of an excluded group (compared lower-case) are left alone', () => {
    const config = makeConfig({
      mappings: { staff: ['Staff'] },
      adobeUsers: { ...makeConfig().adobeUsers, excludeAdobeGroups: ['_org_admin'] },
    })
    const plan = planFor({
      config,
      options,
      directory: [dirUser('admin@x.com', [])],
      primary: [adobeUser('admin@x.com', ['_ORG_ADMIN', 'Staff']), adobeUser('boss@x.com', ['_org_admin'])],
    })
    expect(touched(plan)).toEqual([])
    expect(plan.counters.adobeUsersExcluded).toBe(2)
  })

  it('exclude_adobe_groups applies in the primary org only', () => {
    const config = makeConfig({
      mappings: { staff: ['Staff', 'org2::Staff'] },
      secondaries: ['org2'],
      adobeUsers: { ...makeConfig({ secondaries: ['org2'] }).adobeUsers, excludeAdobeGroups: ['_org_admin'] },
    })
    const plan = planFor({
      config,
      options: { processGroups: true },
      directory: [dirUser('a@x.com', ['staff'])],
      primary: [adobeUser('a@x.com', ['Staff'])],
      secondaries: { org2: [adobeUser('a@x.com', ['_org_admin'])] },
    })
    expect(touched(plan, 'org2')).toEqual(['a@x.com'])
  })

  it('exclude_users: full match, case-insensitive, on the username', () => {
    const config = makeConfig({
      mappings: { staff: ['Staff'] },
      adobeUsers: {
        ...makeConfig().adobeUsers,
        excludeUsers: [compileUsernamePattern('svc-.*@x\\.com', 'exclude_users')],
      },
    })
    const plan = planFor({
      config,
      options,
      directory: [],
      primary: [adobeUser('SVC-backup@X.com', ['Staff']), adobeUser('not-svc-a@x.com', ['Staff'])],
    })
    expect(touched(plan)).toEqual(['not-svc-a@x.com'])
    expect(plan.counters.adobeUsersExcluded).toBe(1)
  })

  it("exclude_users: a top-level | keeps UST's meaning: 'SVC|bot' protects every username starting with svc, and 'bot'", () => {
    const config = makeConfig({
      mappings: { staff: ['Staff'] },
      adobeUsers: { ...makeConfig().adobeUsers, excludeUsers: [compileUsernamePattern('SVC|bot', 'exclude_users')] },
    })
    const plan = planFor({
      config,
      options,
      directory: [],
      primary: [
        ...['svc-backup@x.com', 'svc@x.com', 'robot@x.com', 'bot@x.com'].map((u) => adobeUser(u, ['Staff'])),
        adobeUser('bot@y.com', ['Staff'], { username: 'bot' }),
      ],
    })
    expect(touched(plan)).toEqual(['robot@x.com', 'bot@x.com'])
    expect(plan.counters.adobeUsersExcluded).toBe(3)
  })

  it('a directory user matching an excluded Adobe user is not created, updated or added to secondaries', () => {
    const config = makeConfig({
      mappings: { staff: ['Staff', 'org2::Staff'] },
      secondaries: ['org2'],
      adobeUsers: {
        ...makeConfig({ secondaries: ['org2'] }).adobeUsers,
        excludeUsers: [compileUsernamePattern('boss@x\\.com', 'exclude_users')],
      },
    })
    const plan = planFor({
      config,
      options: { processGroups: true, updateUserInfo: true },
      directory: [dirUser('boss@x.com', ['staff'], { firstname: 'New' })],
      primary: [adobeUser('boss@x.com', [])],
    })
    expect(touched(plan)).toEqual([])
    expect(touched(plan, 'org2')).toEqual([])
  })
})
