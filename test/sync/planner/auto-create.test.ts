import { describe, expect, it } from 'vitest'
import { adobeUser, dirUser, makeConfig, planFor } from '../helpers.js'

describe('planner: group_sync_options.auto_create', () => {
  const config = makeConfig({
    secondaries: ['org2'],
    mappings: { staff: ['Staff', 'Photoshop Profile', 'org2::Team'] },
    directoryUsers: { ...makeConfig().directoryUsers, autoCreateGroups: true },
  })
  const snapshot = {
    users: [adobeUser('a@x.com')],
    groups: [{ name: 'photoshop profile', type: 'productProfile' as const }],
  }

  it('creates mapped user groups missing in the target (any case counts as present), first in the target', () => {
    const plan = planFor({
      config,
      options: { processGroups: true },
      directory: [dirUser('a@x.com', ['staff'])],
      primary: snapshot,
      secondaries: { org2: { users: [], groups: [] } },
    })
    const primary = plan.targets.find((t) => t.target === 'primary')?.commands ?? []
    expect(primary[0]).toEqual({
      kind: 'createGroup',
      id: 'primary:1',
      name: 'Staff',
      description: 'Automatically created by User Sync Tool',
    })
    expect(primary.filter((c) => c.kind === 'createGroup')).toHaveLength(1)
    expect(plan.targets.find((t) => t.target === 'org2')?.commands[0]).toMatchObject({
      kind: 'createGroup',
      name: 'Team',
    })
    expect(plan.counters.groupsCreated).toBe(2)
  })

  it('does nothing without --process-groups', () => {
    const plan = planFor({ config, directory: [dirUser('a@x.com', ['staff'])], primary: snapshot })
    expect(plan.counters.groupsCreated).toBe(0)
  })
})
