import { describe, expect, it } from 'vitest'
import { adobeUser, dirUser, makeConfig, planFor, userCommands } from '../helpers.js'
import type { AdobeOnlyLimit } from '../../../src/config/types.js'

const withLimit = (maxAdobeOnlyUsers: AdobeOnlyLimit) =>
  makeConfig({ mappings: { staff: ['Staff'] }, limits: { maxAdobeOnlyUsers, groupRemovalsOnly: false } })
const primary = [adobeUser('kept@x.com'), adobeUser('g1@x.com'), adobeUser('g2@x.com'), adobeUser('g3@x.com')]
const directory = [dirUser('kept@x.com', [], { firstname: 'Changed' }), dirUser('new@x.com')]
const options = { adobeOnlyUserAction: { kind: 'remove' as const }, updateUserInfo: true }

describe('limits: max_adobe_only_users', () => {
  it('a count: exceeded when Adobe-only users > N; their handling is skipped, everything else stays', () => {
    const plan = planFor({ config: withLimit({ kind: 'count', value: 2 }), options, directory, primary })
    expect(plan.limit).toEqual({
      checked: true,
      exceeded: true,
      count: 3,
      max: 2,
      setting: '2',
      message:
        'Unable to process Adobe-only users, as their count (3) is larger than the max_adobe_only_users setting (2)',
    })
    expect(userCommands(plan).map((c) => c.user.email)).toEqual(['kept@x.com', 'new@x.com'])
    expect(plan.counters.adobeOnlyProcessed).toBe(0)
  })

  it('a count equal to the number of Adobe-only users is not exceeded', () => {
    const plan = planFor({ config: withLimit({ kind: 'count', value: 3 }), options, directory, primary })
    expect(plan.limit?.exceeded).toBe(false)
    expect(userCommands(plan).filter((c) => c.removeFromOrg)).toHaveLength(3)
  })

  it('a percentage of (Adobe users read − excluded)', () => {
    expect(
      planFor({ config: withLimit({ kind: 'percent', value: 75 }), options, directory, primary }).limit,
    ).toMatchObject({ exceeded: false, max: 3, setting: '75%' })
    expect(
      planFor({ config: withLimit({ kind: 'percent', value: 50 }), options, directory, primary }).limit,
    ).toMatchObject({ exceeded: true, max: 2 })
  })

  it('is not checked when Adobe-only users are only preserved or excluded', () => {
    const plan = planFor({
      config: withLimit({ kind: 'count', value: 0 }),
      options: { adobeOnlyUserAction: { kind: 'preserve' } },
      directory,
      primary,
    })
    expect(plan.limit).toMatchObject({ checked: false, exceeded: false })
  })
})
