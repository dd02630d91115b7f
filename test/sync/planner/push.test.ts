import { describe, expect, it } from 'vitest'
import { dirUser, makeConfig, planFor, userCommands } from '../helpers.js'

describe('planner: push strategy', () => {
  const config = makeConfig({ secondaries: ['org2'], mappings: { staff: ['Staff', 'org2::Team'], other: ['Other'] } })

  it('creates every selected user (update if exists with --update-user-info), removes mapped − desired, adds desired', () => {
    const plan = planFor({
      config,
      options: { strategy: 'push', processGroups: true, updateUserInfo: true },
      directory: [dirUser('a@x.com', ['staff']), dirUser('b@x.com', [])],
      primary: [],
    })
    expect(userCommands(plan)).toEqual([
      {
        user: expect.objectContaining({ email: 'a@x.com' }),
        create: expect.objectContaining({ onConflict: 'update' }),
        removeGroups: ['other'],
        addGroups: ['staff'],
      },
      {
        user: expect.objectContaining({ email: 'b@x.com' }),
        create: expect.objectContaining({ onConflict: 'update' }),
        removeGroups: ['staff', 'other'],
      },
    ])
    expect(userCommands(plan, 'org2')).toEqual([
      {
        user: expect.objectContaining({ email: 'a@x.com' }),
        create: expect.objectContaining({ onConflict: 'ignore' }),
        addGroups: ['team'],
      },
    ])
    expect(plan.counters).toMatchObject({ usersCreated: 2, secondaryUsersCreated: 1 })
  })

  it('handles no Adobe-only users and reads no Adobe users', () => {
    const plan = planFor({
      config,
      options: { strategy: 'push', adobeOnlyUserAction: { kind: 'preserve' }, processGroups: true },
      directory: [dirUser('a@x.com', ['staff'])],
    })
    expect(plan.adobeOnlyVerb).toBeUndefined()
    expect(plan.limit?.checked).toBe(false)
    expect(plan.counters.adobeUsersRead).toBe(0)
  })

  it('--exclude-unmapped-users skips users without primary groups', () => {
    const plan = planFor({
      config,
      options: { strategy: 'push', excludeUnmappedUsers: true },
      directory: [dirUser('a@x.com', ['staff']), dirUser('b@x.com', [])],
    })
    expect(userCommands(plan).map((c) => c.user.email)).toEqual(['a@x.com'])
  })
})
