import { describe, expect, it } from 'vitest'
import { onlySections, planView } from '../../src/sync/plan-view.js'
import { headline, type Paint, renderPlanView } from '../../src/sync/render-plan-view.js'
import { adobeUser, dirUser, makeConfig, planFor } from './helpers.js'

/** A plan with a create, an attribute update, group changes, an Adobe-only removal and a group creation. */
function reviewPlan(action: 'remove' | 'delete' | 'exclude' = 'remove') {
  const config = makeConfig({
    mappings: { design: ['Design Team'], marketing: ['Marketing Team', 'New Group'] },
    directoryUsers: { autoCreateGroups: true },
  })
  return planFor({
    config,
    directory: [
      dirUser('ann@example.com', ['design'], { firstname: 'Ann', lastname: 'Lee', country: 'GB' }),
      dirUser('bob@example.com', ['marketing'], { firstname: 'Robert' }),
    ],
    primary: {
      users: [
        adobeUser('bob@example.com', ['Design Team'], { firstname: 'Bob' }),
        adobeUser('carl@example.com', ['Design Team']),
      ],
      groups: [
        { name: 'Design Team', type: 'userGroup' },
        { name: 'Marketing Team', type: 'userGroup' },
      ],
    },
    options: { processGroups: true, updateUserInfo: true, adobeOnlyUserAction: { kind: action } },
  })
}

const SOURCE = { file: 'plan.json', createdAt: '2025-01-02T03:04:05.000Z', digest: 'abcdef0123456789' }

describe('plan view', () => {
  it('groups every change with display names, old → new values and counts', () => {
    const view = planView(reviewPlan())
    expect(view.creates).toEqual([
      {
        target: 'primary',
        email: 'ann@example.com',
        identityType: 'federatedID',
        username: 'ann@example.com',
        firstname: 'Ann',
        lastname: 'Lee',
        country: 'GB',
        groups: ['Design Team'],
      },
    ])
    expect(view.updates).toEqual([
      { target: 'primary', email: 'bob@example.com', changes: [{ field: 'firstname', from: 'Bob', to: 'Robert' }] },
    ])
    expect(view.groups).toEqual([
      { target: 'primary', group: 'Design Team', added: ['ann@example.com'], removed: ['bob@example.com'] },
      { target: 'primary', group: 'Marketing Team', added: ['bob@example.com'], removed: [] },
      { target: 'primary', group: 'New Group', added: ['bob@example.com'], removed: [] },
    ])
    expect(view.removals).toEqual([
      { target: 'primary', email: 'carl@example.com', identityType: 'federatedID', action: 'removed' },
    ])
    expect(view.groupsCreated).toEqual([{ target: 'primary', group: 'New Group' }])
    expect(view.counts).toEqual({
      usersCreated: 1,
      usersUpdated: 1,
      membershipsAdded: 3,
      membershipsRemoved: 1,
      adobeOnlyRemoved: 1,
      adobeOnlyDeleted: 0,
      adobeOnlyUngrouped: 0,
      adobeUsersExcluded: 0,
      groupsCreated: 1,
    })
    expect(view.hasRemovals).toBe(true)
  })

  it('renders counts first, then each section; the first line says the plan removes users', () => {
    expect(renderPlanView(planView(reviewPlan('delete')), SOURCE)).toEqual([
      'This plan REMOVES: 1 account deleted, 1 group membership',
      'Plan plan.json, made 2025-01-02T03:04:05.000Z (sync), digest abcdef012345',
      '',
      'Counts',
      '  Users created:                                  1',
      '  Users updated (attributes):                     1',
      '  Group memberships added:                        3',
      '  Group memberships removed:                      1',
      '  Adobe-only users removed from the organisation: 0',
      '  Adobe-only users deleted:                       1',
      '  Adobe-only users removed from all groups:       0',
      '  Adobe users excluded (left alone):              0',
      '  User groups created:                            1',
      '',
      'Users created (1)',
      '  + ann@example.com  federatedID, Ann Lee, GB → Design Team',
      '',
      'Users updated (attributes) (1)',
      '  ~ bob@example.com  firstname: "Bob" → "Robert"',
      '',
      'Group memberships (3)',
      '  Design Team  +1 −1',
      '    + ann@example.com',
      '    − bob@example.com',
      '  Marketing Team  +1 −0',
      '    + bob@example.com',
      '  New Group  +1 −0',
      '    + bob@example.com',
      '',
      'User groups created (1)',
      '  + New Group',
      '',
      'Adobe-only users (1)',
      '  − carl@example.com  account deleted',
    ])
  })

  it('says when nobody is removed', () => {
    const plan = planFor({ directory: [dirUser('ann@example.com')], options: {} })
    expect(headline(planView(plan))).toBe('No removals: nobody leaves the organisation or a group')
  })

  it('--only keeps one section (counts stay) and shows "none" when it is empty', () => {
    const view = onlySections(planView(reviewPlan('exclude')), 'removals')
    expect(view.creates).toEqual([])
    expect(view.groups).toEqual([])
    expect(view.counts).toMatchObject({ usersCreated: 1, adobeUsersExcluded: 1 })
    const lines = renderPlanView(view, SOURCE, 'removals')
    expect(lines.slice(-3)).toEqual(['', 'Adobe-only users (0)', '  none'])
    expect(lines[0]).toBe('This plan REMOVES: 1 group membership')
  })

  it('paints through the given painter only (colours are the caller’s choice)', () => {
    const paint: Paint = (style, text) => `<${style}>${text}</${style}>`
    const lines = renderPlanView(planView(reviewPlan()), SOURCE, undefined, paint)
    expect(lines[0]).toBe('<red>This plan REMOVES: 1 user from the organisation, 1 group membership</red>')
    expect(lines).toContain('  <green>+</green> ann@example.com  federatedID, Ann Lee, GB → Design Team')
  })

  it('names the target of each line when there are secondaries, and old plans without previous values show ?', () => {
    const plan = reviewPlan()
    plan.targetNames = ['primary', 'org2']
    for (const t of plan.targets) delete t.previous
    const lines = renderPlanView(planView(plan), SOURCE)
    expect(lines).toContain('  ~ bob@example.com [primary]  firstname: ? → "Robert"')
  })
})
