import { describe, expect, it } from 'vitest'
import { mapDirectoryUsers } from '../../src/sync/mapping.js'
import { snapshotScope, sourceSelection } from '../../src/run/run-sync.js'
import { makeConfig, makeOptions } from '../sync/helpers.js'
import { compileGroupPattern } from '../../src/config/ust-pattern.js'

describe('what runSync asks the source and the targets', () => {
  const config = makeConfig({
    secondaries: ['org2', 'org3'],
    mappings: { Staff: ['Staff', 'org2::Team'], writers: ['Acrobat'] },
    directoryUsers: { ...makeConfig().directoryUsers, autoCreateGroups: true },
  })

  it('source: mapped groups with --process-groups, plus the --users group/mapped filter; all users only without a filter', () => {
    expect(sourceSelection(config, makeOptions({ processGroups: true }))).toEqual({
      groups: ['Staff', 'writers'],
      allUsers: true,
      extendedAttributes: [],
      memberGroups: false,
    })
    expect(sourceSelection(config, makeOptions({ users: { kind: 'group', groups: ['staff', 'Extra'] } }))).toEqual({
      groups: ['staff', 'Extra'],
      allUsers: false,
      extendedAttributes: [],
      memberGroups: false,
    })
    expect(sourceSelection(config, makeOptions({ users: { kind: 'mapped' } })).allUsers).toBe(false)
  })

  it('source: every group of each user is asked for when additional_groups rules apply (--process-groups)', () => {
    const rules = makeConfig({
      mappings: { Staff: ['Staff'] },
      directoryUsers: {
        ...makeConfig().directoryUsers,
        additionalGroups: [{ source: compileGroupPattern('ACL-(.+)'), target: 'ACL-Grp-\\1' }],
      },
    })
    expect(sourceSelection(rules, makeOptions({ processGroups: true })).memberGroups).toBe(true)
    // Without --process-groups no group is changed, so the rules do not matter.
    expect(sourceSelection(rules, makeOptions({ processGroups: false })).memberGroups).toBe(false)
  })

  it('targets: --adobe-users all|mapped|group; groups listed when user groups may be auto-created; unmapped secondaries not read', () => {
    const options = makeOptions({ processGroups: true })
    const desired = mapDirectoryUsers([], config, options)
    expect(snapshotScope('primary', desired, config, options)).toEqual({ includeGroups: true })
    expect(snapshotScope('org3', desired, config, options)).toBeUndefined()
    const mapped = makeOptions({ adobeUsers: { kind: 'mapped' } })
    expect(snapshotScope('org2', desired, config, mapped)).toEqual({ groups: ['Team'], includeGroups: false })
    const group = makeOptions({ adobeUsers: { kind: 'group', groups: [{ target: 'primary', name: 'Acrobat' }] } })
    expect(snapshotScope('primary', desired, config, group)).toEqual({ groups: ['Acrobat'], includeGroups: false })
    expect(snapshotScope('org2', desired, config, group)).toBeUndefined()
  })
})
