import { describe, expect, it } from 'vitest'
import { adobeUser, dirUser, makeConfig, planFor, userCommands } from '../helpers.js'

describe('planner: matching directory and Adobe users', () => {
  const config = makeConfig({ mappings: { staff: ['Staff'] } })

  it('matches by email case-insensitively (no create, no removal)', () => {
    const plan = planFor({
      config,
      options: { processGroups: true, adobeOnlyUserAction: { kind: 'remove' } },
      directory: [dirUser('Ann@X.com', ['staff'])],
      primary: [adobeUser('ann@x.com', ['staff'])],
    })
    expect(userCommands(plan)).toEqual([])
    expect(plan.counters.usersCreated).toBe(0)
  })

  it('matches by username when the email differs (email-type username)', () => {
    const plan = planFor({
      config,
      options: { processGroups: true },
      directory: [dirUser('ann.new@x.com', ['staff'], { username: 'ann@x.com' })],
      primary: [adobeUser('ann.old@x.com', [], { username: 'ann@x.com' })],
    })
    expect(userCommands(plan)).toEqual([
      {
        user: { identityType: 'federatedID', email: 'ann.old@x.com', username: 'ann@x.com', domain: 'x.com' },
        addGroups: ['staff'],
      },
    ])
  })

  it('UST defect fixed: a non-email username matches only in the same domain', () => {
    const plan = planFor({
      config,
      options: { processGroups: true },
      directory: [dirUser('dprince@corp.example.com', ['staff'], { username: 'dprince', domain: 'corp.example.com' })],
      primary: [adobeUser('diana@old.example.com', [], { username: 'dprince', domain: 'old.example.com' })],
    })
    const [create] = userCommands(plan)
    expect(create?.create).toEqual({ firstname: 'First', lastname: 'Last', country: 'US', onConflict: 'ignore' })
    expect(create?.user).toEqual({
      identityType: 'federatedID',
      email: 'dprince@corp.example.com',
      username: 'dprince',
      domain: 'corp.example.com',
    })
  })

  it('UST defect fixed: the same identity type wins over an Adobe ID with the same email', () => {
    const plan = planFor({
      config,
      options: { processGroups: true, updateUserInfo: true },
      directory: [dirUser('ann@x.com', ['staff'], { firstname: 'Ann' })],
      primary: [
        adobeUser('ann@x.com', [], { identityType: 'adobeID' }),
        adobeUser('ann@x.com', [], { identityType: 'federatedID' }),
      ],
    })
    const commands = userCommands(plan)
    expect(commands).toHaveLength(1)
    expect(commands[0]?.user.identityType).toBe('federatedID')
    expect(commands[0]?.update).toEqual({ firstname: 'Ann' })
  })

  it('UST defect fixed: an Adobe ID alone is matched (not created, not Adobe-only) but never sent an update', () => {
    const plan = planFor({
      config,
      options: { processGroups: true, updateUserInfo: true, adobeOnlyUserAction: { kind: 'remove' } },
      directory: [dirUser('ann@x.com', ['staff'], { firstname: 'Ann' })],
      primary: [adobeUser('ann@x.com', [], { identityType: 'adobeID' })],
    })
    expect(userCommands(plan)).toEqual([
      {
        user: { identityType: 'adobeID', email: 'ann@x.com', username: 'ann@x.com', domain: 'x.com' },
        addGroups: ['staff'],
      },
    ])
    expect(plan.warnings).toContain(
      'Skipping user creation for: federatedid,ann@x.com,,ann@x.com - AdobeID already exists with ann@x.com',
    )
  })

  it('UST defect fixed: an ambiguous match is reported as a warning', () => {
    const plan = planFor({
      config,
      directory: [dirUser('ann@x.com', [], { username: 'ann', domain: 'x.com' })],
      primary: [adobeUser('ann@x.com', []), adobeUser('other@x.com', [], { username: 'ann', domain: 'x.com' })],
    })
    expect(plan.warnings).toEqual([
      'Directory user federatedid,ann,x.com,ann@x.com matches several Adobe users (federatedID ann@x.com, federatedID ann@x.com); using federatedID ann@x.com',
    ])
  })
})
