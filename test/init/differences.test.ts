import { describe, expect, it } from 'vitest'
import { differencesFor } from '../../src/init/differences.js'
import type { UstFolder } from '../../src/init/ust-folder.js'

const folder = (main: Record<string, unknown>): UstFolder => ({
  mainFile: 'user-sync-config.yml',
  main,
  sources: new Map(),
  umapi: [],
  secondaryOrgs: 0,
  otherTargets: [],
})

describe('differencesFor: regex-engine', () => {
  it('names each pattern ust refuses, where it stands and why', () => {
    const found = differencesFor(
      folder({
        adobe_users: { exclude_users: ['svc-.*', '(?P<u>x)(?P=u)'] },
        directory_users: { additional_groups: [{ source: 'ACL-(?=x)', target: 'g' }] },
        invocation_defaults: { user_filter: 'SVC|bot' },
      }),
    ).find((d) => d.id === 'regex-engine')
    expect(found?.because).toBe(
      "adobe_users.exclude_users '(?P<u>x)(?P=u)': back-reference (?P=name) at position 8 is not supported: ust runs patterns in linear time (RE2), which cannot do it; rewrite the pattern without it; " +
        "directory_users.additional_groups 'ACL-(?=x)': look-around at position 4 is not supported: ust runs patterns in linear time (RE2), which cannot do it; rewrite the pattern without it",
    )
  })

  it('is not reported when every pattern runs', () => {
    const ids = differencesFor(folder({ adobe_users: { exclude_users: ['SVC|bot', '(?i)admin'] } })).map((d) => d.id)
    expect(ids).not.toContain('regex-engine')
  })
})
