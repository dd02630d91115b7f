import { describe, expect, it } from 'vitest'
import { adobeUser, dirUser, makeConfig, planFor, userCommands } from '../helpers.js'
import { compileGroupPattern } from '../../../src/config/ust-pattern.js'

describe('planner: process_groups over mapped groups', () => {
  const config = makeConfig({ mappings: { designers: ['Design Team', 'Photoshop'], writers: ['Acrobat'] } })

  it('without --process-groups no group is added or removed', () => {
    const plan = planFor({
      config,
      directory: [dirUser('a@x.com', ['designers'])],
      primary: [adobeUser('a@x.com', ['Acrobat'])],
    })
    expect(userCommands(plan)).toEqual([])
  })

  it('adds desired − current and removes (current − desired) ∩ mapped, lower-cased; unmapped groups stay', () => {
    const plan = planFor({
      config,
      options: { processGroups: true },
      directory: [dirUser('a@x.com', ['designers'])],
      primary: [adobeUser('a@x.com', ['DESIGN TEAM', 'Acrobat', 'Hand Made Group'])],
    })
    expect(userCommands(plan)).toEqual([
      { user: expect.objectContaining({ email: 'a@x.com' }), removeGroups: ['acrobat'], addGroups: ['photoshop'] },
    ])
  })

  it('org::group mappings go to the named secondary only', () => {
    const two = makeConfig({ secondaries: ['org2'], mappings: { designers: ['org2::Design'] } })
    const plan = planFor({
      config: two,
      options: { processGroups: true },
      directory: [dirUser('a@x.com', ['designers'])],
      primary: [adobeUser('a@x.com')],
      secondaries: { org2: [adobeUser('a@x.com')] },
    })
    expect(userCommands(plan)).toEqual([])
    expect(userCommands(plan, 'org2')).toEqual([
      { user: expect.objectContaining({ email: 'a@x.com' }), addGroups: ['design'] },
    ])
  })

  it('UST defect fixed: directory group names are trimmed and compared case-insensitively, with a warning', () => {
    const plan = planFor({
      config,
      options: { processGroups: true },
      directory: [dirUser('a@x.com', [' Writers'])],
      primary: [adobeUser('a@x.com')],
    })
    expect(userCommands(plan)[0]?.addGroups).toEqual(['acrobat'])
    expect(plan.warnings).toEqual([
      "Directory group ' Writers' matches the mapping of 'writers' only when case and surrounding spaces are ignored; it is mapped (UST 2.10 would ignore it)",
    ])
  })

  it('additional_groups: regex rules map direct groups (\\1 back-references), and their targets count as mapped', () => {
    const rules = makeConfig({
      directoryUsers: {
        ...makeConfig().directoryUsers,
        additionalGroups: [{ source: compileGroupPattern('ACL-(.+)'), target: 'ACL-Grp-\\1' }],
      },
    })
    const plan = planFor({
      config: rules,
      options: { processGroups: true },
      directory: [dirUser('a@x.com', ['ACL-Sales']), dirUser('b@x.com', ['ACL-HR'])],
      primary: [adobeUser('a@x.com'), adobeUser('b@x.com', ['ACL-Grp-Sales'])],
    })
    expect(userCommands(plan)).toEqual([
      { user: expect.objectContaining({ email: 'a@x.com' }), addGroups: ['acl-grp-sales'] },
      {
        user: expect.objectContaining({ email: 'b@x.com' }),
        removeGroups: ['acl-grp-sales'],
        addGroups: ['acl-grp-hr'],
      },
    ])
  })

  it('additional_groups: two source groups producing one target is an error naming both', () => {
    const rules = makeConfig({
      directoryUsers: {
        ...makeConfig().directoryUsers,
        additionalGroups: [{ source: compileGroupPattern('(?i)(?:acl|grp)-(.+)'), target: 'Team-\\1' }],
      },
    })
    expect(() =>
      planFor({ config: rules, directory: [dirUser('a@x.com', ['acl-x']), dirUser('b@x.com', ['grp-x'])] }),
    ).toThrow(/Additional group resolution conflict: \['acl-x', 'grp-x'\] map to 'Team-x' on 'primary org'/)
  })
})
