import { describe, expect, it } from 'vitest'
import { adobeUser, dirUser, makeConfig, planFor, userCommands } from '../helpers.js'

describe('planner: secondary targets', () => {
  const config = makeConfig({ secondaries: ['org2'], mappings: { staff: ['Staff', 'org2::Team'], other: ['Other'] } })

  it('a user is created in a secondary only when it has mapped groups there, with ignoreIfAlreadyExists', () => {
    const plan = planFor({
      config,
      options: { processGroups: true, updateUserInfo: true },
      directory: [dirUser('a@x.com', ['staff']), dirUser('b@x.com', ['other'])],
      primary: [adobeUser('a@x.com', ['staff']), adobeUser('b@x.com', ['other'])],
    })
    expect(userCommands(plan, 'org2')).toEqual([
      {
        user: expect.objectContaining({ email: 'a@x.com' }),
        create: expect.objectContaining({ onConflict: 'ignore' }),
        addGroups: ['team'],
      },
    ])
    expect(plan.counters.secondaryUsersCreated).toBe(1)
    expect(plan.counters.usersUpdated).toBe(1)
  })

  it('secondary users that are no included primary user are ignored (not matched, not Adobe-only)', () => {
    const plan = planFor({
      config,
      options: { processGroups: true, adobeOnlyUserAction: { kind: 'remove' } },
      directory: [],
      primary: [],
      secondaries: { org2: [adobeUser('theirs@y.com', ['Team'])] },
    })
    expect(userCommands(plan, 'org2')).toEqual([])
  })

  it('Adobe-only users are removed from secondaries too, only when Adobe-only in the primary', () => {
    const plan = planFor({
      config,
      options: { processGroups: true, adobeOnlyUserAction: { kind: 'delete' } },
      directory: [dirUser('kept@x.com', ['other'])],
      primary: [adobeUser('gone@x.com', ['Staff']), adobeUser('kept@x.com', ['Other'])],
      secondaries: { org2: [adobeUser('gone@x.com', ['Team']), adobeUser('kept@x.com', ['Team'])] },
    })
    expect(userCommands(plan, 'org2')).toEqual([
      { user: expect.objectContaining({ email: 'kept@x.com' }), removeGroups: ['team'] },
      { user: expect.objectContaining({ email: 'gone@x.com' }), removeFromOrg: { deleteAccount: false } },
    ])
    expect(userCommands(plan)).toEqual([
      { user: expect.objectContaining({ email: 'gone@x.com' }), removeFromOrg: { deleteAccount: true } },
    ])
  })

  it('a secondary with no mapped groups gets no commands at all', () => {
    const plain = makeConfig({ secondaries: ['org2'], mappings: { staff: ['Staff'] } })
    const plan = planFor({
      config: plain,
      options: { processGroups: true, adobeOnlyUserAction: { kind: 'remove' } },
      directory: [dirUser('a@x.com', ['staff'])],
      primary: [adobeUser('gone@x.com')],
      secondaries: { org2: [adobeUser('gone@x.com')] },
    })
    expect(userCommands(plan, 'org2')).toEqual([])
  })
})
