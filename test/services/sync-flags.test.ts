import { describe, expect, it } from 'vitest'
import { rawSyncFlags, syncOptionFlags } from '../../src/services/sync-flags.js'
import { SYNC_OPTIONS } from '../../src/sync/sync-options.table.js'

describe('ust sync flags, built from the options table', () => {
  it("declares every flag of UST's options once, with help from the table", () => {
    expect(Object.keys(syncOptionFlags)).toEqual([
      'test-mode',
      'users',
      'user-filter',
      'adobe-users',
      'adobe-only-user-action',
      'adobe-only-user-list',
      'process-groups',
      'update-user-info',
      'strategy',
      'connector',
      'exclude-unmapped-users',
      'include-unmapped-users',
      'allow-directory-drop',
    ])
    expect(syncOptionFlags['test-mode']).toMatchObject({ char: 't', type: 'boolean', allowNo: true })
    expect(syncOptionFlags.users).toMatchObject({
      type: 'option',
      multiple: true,
      description: 'all | mapped | file PATH | group "g1,g2"',
    })
    expect(syncOptionFlags.strategy).toMatchObject({ type: 'option', description: 'sync | push' })
    expect(syncOptionFlags.strategy).not.toHaveProperty('multiple', true)
    expect(syncOptionFlags['include-unmapped-users']).toMatchObject({ type: 'boolean', allowNo: false })
  })

  it('maps parsed flags to the option fields; --include-unmapped-users wins over --exclude-unmapped-users', () => {
    expect(rawSyncFlags({ 'test-mode': true, users: ['group', 'a,b'], 'exclude-unmapped-users': true })).toMatchObject({
      testMode: true,
      users: ['group', 'a,b'],
      excludeUnmappedUsers: true,
    })
    expect(rawSyncFlags({ 'exclude-unmapped-users': true, 'include-unmapped-users': true }).excludeUnmappedUsers).toBe(
      false,
    )
    expect(Object.keys(rawSyncFlags({}))).toEqual(SYNC_OPTIONS.filter((s) => 'flag' in s).map((s) => s.field))
  })
})
