import { describe, expect, it } from 'vitest'
import { adobeUser, dirUser, makeConfig, planFor, userCommands } from '../helpers.js'

describe('planner: update_attributes', () => {
  it('without --update-user-info nothing is updated', () => {
    const plan = planFor({ directory: [dirUser('a@x.com', [], { firstname: 'New' })], primary: [adobeUser('a@x.com')] })
    expect(userCommands(plan)).toEqual([])
  })

  it('updates changed configured attributes; names compare case-sensitively, email case-insensitively', () => {
    const plan = planFor({
      options: { updateUserInfo: true },
      directory: [dirUser('A@X.com', [], { firstname: 'first', lastname: 'Last' })],
      primary: [adobeUser('a@x.com')],
    })
    expect(userCommands(plan)).toEqual([
      {
        user: { identityType: 'federatedID', email: 'a@x.com', username: 'a@x.com', domain: 'x.com' },
        update: { firstname: 'first' },
      },
    ])
    expect(plan.counters.usersUpdated).toBe(1)
  })

  it("an attribute not in update_attributes is not updated and logs UST's WARNING", () => {
    const config = makeConfig({ adobeUsers: { ...makeConfig().adobeUsers, updateAttributes: ['email'] } })
    const plan = planFor({
      config,
      options: { updateUserInfo: true },
      directory: [dirUser('a@x.com', [], { lastname: 'Other' })],
      primary: [adobeUser('a@x.com')],
    })
    expect(userCommands(plan)).toEqual([])
    expect(plan.warnings).toContain(
      "'lastname' has changed for user 'federatedid,a@x.com,,a@x.com', but that attribute isn't configured for updating",
    )
  })

  it('UST defect fixed: a blank directory value is no value: no empty update, not counted', () => {
    const plan = planFor({
      options: { updateUserInfo: true },
      directory: [dirUser('a@x.com', [], { firstname: '  ', lastname: '' })],
      primary: [adobeUser('a@x.com')],
    })
    expect(userCommands(plan)).toEqual([])
    expect(plan.counters.usersUpdated).toBe(0)
  })

  it('UST defect fixed: an email change of a non-email username addresses the user by its current identity', () => {
    const plan = planFor({
      options: { updateUserInfo: true },
      directory: [dirUser('ann.new@x.com', [], { username: 'ann', domain: 'x.com' })],
      primary: [adobeUser('ann.old@x.com', [], { username: 'ann', domain: 'x.com' })],
    })
    expect(userCommands(plan)).toEqual([
      {
        user: { identityType: 'federatedID', email: 'ann.old@x.com', username: 'ann', domain: 'x.com' },
        update: { email: 'ann.new@x.com' },
      },
    ])
  })

  it('username is updated only when listed in update_attributes', () => {
    const base = {
      options: { updateUserInfo: true },
      directory: [dirUser('a@x.com', [], { username: 'a.new@x.com' })],
      primary: [adobeUser('a@x.com', [], { username: 'a.old@x.com' })],
    }
    expect(userCommands(planFor(base))).toEqual([])
    const config = makeConfig({ adobeUsers: { ...makeConfig().adobeUsers, updateAttributes: ['username'] } })
    expect(userCommands(planFor({ ...base, config }))[0]?.update).toEqual({ username: 'a.new@x.com' })
  })

  it('attributes are never updated in secondary targets', () => {
    const config = makeConfig({ secondaries: ['org2'], mappings: { staff: ['org2::Staff'] } })
    const plan = planFor({
      config,
      options: { updateUserInfo: true, processGroups: true },
      directory: [dirUser('a@x.com', ['staff'], { firstname: 'New' })],
      primary: [adobeUser('a@x.com')],
      secondaries: { org2: [adobeUser('a@x.com', ['staff'], { firstname: 'Old' })] },
    })
    expect(userCommands(plan, 'org2')).toEqual([])
    expect(userCommands(plan)[0]?.update).toEqual({ firstname: 'New' })
  })
})
