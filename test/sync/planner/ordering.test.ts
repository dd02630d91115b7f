import { describe, expect, it } from 'vitest'
import { adobeUser, dirUser, makeConfig, planFor } from '../helpers.js'

describe('planner: plan order and ids', () => {
  it('secondaries before the primary; per target createGroup first, removals from the org last; ids <target>:<n>', () => {
    const config = makeConfig({
      secondaries: ['org2'],
      mappings: { staff: ['Staff', 'org2::Team'] },
      directoryUsers: { ...makeConfig().directoryUsers, autoCreateGroups: true },
    })
    const plan = planFor({
      config,
      options: { processGroups: true, adobeOnlyUserAction: { kind: 'remove' } },
      directory: [dirUser('new@x.com', ['staff'])],
      primary: {
        users: [adobeUser('gone@x.com', ['Staff']), adobeUser('gone2@x.com')],
        groups: [{ name: 'Staff', type: 'userGroup' }],
      },
      secondaries: { org2: { users: [adobeUser('gone@x.com', ['Team'])], groups: [] } },
    })
    expect(plan.targets.map((t) => t.target)).toEqual(['org2', 'primary'])
    const describe = plan.targets.flatMap((t) =>
      t.commands.map(
        (c) =>
          `${c.id} ${c.kind === 'createGroup' ? `createGroup ${c.name}` : `${c.user.email}${c.removeFromOrg ? ' removeFromOrg' : ''}${c.create ? ' create' : ''}`}`,
      ),
    )
    expect(describe).toEqual([
      'org2:1 createGroup Team',
      'org2:2 new@x.com create',
      'org2:3 gone@x.com removeFromOrg',
      'primary:1 new@x.com create',
      'primary:2 gone@x.com removeFromOrg',
      'primary:3 gone2@x.com removeFromOrg',
    ])
    expect(plan.targets.find((t) => t.target === 'primary')?.adobeOnly).toEqual(['primary:2', 'primary:3'])
  })

  it('is JSON-serialisable (what --plan-out writes)', () => {
    const plan = planFor({
      options: { processGroups: true },
      directory: [dirUser('a@x.com')],
      primary: [adobeUser('b@x.com')],
    })
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan)
  })
})
