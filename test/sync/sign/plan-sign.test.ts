import { ROLE_GROUPS, type DirectoryUser, type TargetSnapshot, type UserCommand } from '@ust-sync/api'
import { describe, expect, it } from 'vitest'
import type { SignMapping, UstConfig } from '../../../src/config/types.js'
import { planSign } from '../../../src/sync/sign/plan-sign.js'
import { signDesired } from '../../../src/sync/sign/sign-desired.js'
import { applySignLimit } from '../../../src/sync/sign/sign-limit.js'
import { signCounts, signSummaryLines } from '../../../src/sync/sign/sign-summary.js'

const mapping = (
  directoryGroup: string,
  priority: number,
  groups: string[],
  roles: { ga?: boolean; aa?: boolean } = {},
): SignMapping => ({
  directoryGroup,
  priority,
  groups: groups.map((g) =>
    g.includes('::')
      ? { target: g.split('::')[0] ?? '', name: g.split('::')[1] ?? '' }
      : { target: 'primary', name: g },
  ),
  groupAdmin: roles.ga ?? false,
  accountAdmin: roles.aa ?? false,
})

function configOf(
  mappings: SignMapping[],
  orgs = ['primary'],
  action: NonNullable<UstConfig['sign']>['signOnlyUserAction'] = 'reset',
  limit = 100,
): UstConfig {
  return {
    file: '/x/sign-sync-config.yml',
    files: [],
    sign: {
      mappings,
      signOnlyUserAction: action,
      signOnlyLimit: { kind: 'count', value: limit },
      orgs: orgs.map((name) => ({ name, createUsers: true, deactivateUsers: true })),
    },
    adobeUsers: {
      excludeIdentityTypes: [],
      excludeAdobeGroups: [],
      excludeUsers: [],
      updateAttributes: [],
      targets: orgs.map((name) => ({ name, pluginId: 'sign', files: [], values: {}, secrets: [] })),
    },
  } as unknown as UstConfig
}

const dir = (email: string, groups: string[]): DirectoryUser => ({ email, groups })
const signUser = (email: string, groups: string[]) => ({
  identityType: 'federatedID' as const,
  email,
  username: email,
  domain: 'example.com',
  groups,
})
const org = (users: ReturnType<typeof signUser>[], groups = ['Default Group', 'G1', 'G3']): TargetSnapshot => ({
  users,
  groups: groups.map((name, i) => ({ name, type: 'userGroup' as const, ...(i === 0 ? { isDefault: true } : {}) })),
})
const userCommands = (plan: ReturnType<typeof planSign>, target = 'primary') =>
  (plan.targets.find((t) => t.target === target)?.commands ?? []).filter((c): c is UserCommand => c.kind === 'user')

describe('Sign Sync planning (UST rules)', () => {
  it('takes the first group of the highest-priority mapping and the union of all roles', () => {
    const mappings = [
      mapping('Roles', 1, [], { aa: true }),
      mapping('Three', 3, ['G3']),
      mapping('Four', 4, [], { ga: true }),
    ]
    const desired = signDesired([dir('Ann@Example.com', ['Four', 'Three', 'Roles'])], mappings, { kind: 'mapped' })
    expect(desired.users[0]).toMatchObject({
      key: 'ann@example.com',
      target: { name: 'G3' },
      accountAdmin: true,
      groupAdmin: true,
    })
    const plan = planSign(
      desired,
      new Map([['primary', org([signUser('ann@example.com', ['Default Group'])])]]),
      configOf(mappings),
    )
    expect(userCommands(plan)[0]).toMatchObject({ addGroups: [ROLE_GROUPS.accountAdmin, 'g3', ROLE_GROUPS.groupAdmin] })
  })

  it('routes a user to the org of their target group only; users without a group to every org', () => {
    const mappings = [mapping('EU', 0, ['europe::G1']), mapping('Admins', 1, [], { aa: true })]
    const desired = signDesired([dir('eu@example.com', ['EU']), dir('adm@example.com', ['Admins'])], mappings, {
      kind: 'mapped',
    })
    const plan = planSign(
      desired,
      new Map([
        ['primary', org([])],
        ['europe', org([])],
      ]),
      configOf(mappings, ['primary', 'europe']),
    )
    expect(userCommands(plan, 'europe').map((c) => c.user.email)).toEqual(['eu@example.com', 'adm@example.com'])
    expect(userCommands(plan, 'primary').map((c) => c.user.email)).toEqual(['adm@example.com'])
    expect(plan.targets.map((t) => t.target)).toEqual(['europe', 'primary'])
  })

  it('creates missing mapped groups once, and the summary reads as UST', () => {
    const mappings = [mapping('A', 0, ['New']), mapping('B', 1, ['new'])]
    const plan = planSign(
      signDesired([], mappings, { kind: 'mapped' }),
      new Map([['primary', org([])]]),
      configOf(mappings),
    )
    expect(plan.targets[0]?.commands.filter((c) => c.kind === 'createGroup')).toHaveLength(1)
    const lines = signSummaryLines(signCounts(plan, undefined))
    expect(lines[0]).toBe(`${'-'.repeat(34)} Action Summary ${'-'.repeat(34)}`)
    expect(lines[2]).toBe('             Number of directory selected for input: 0')
  })

  it('the Sign-only limit drops the Sign-only commands and keeps the rest', () => {
    const mappings = [mapping('A', 0, ['G1'])]
    const snap = org([
      signUser('a@example.com', ['Default Group']),
      signUser('z@example.com', ['G1', ROLE_GROUPS.groupAdmin]),
    ])
    const config = configOf(mappings, ['primary'], 'reset', 0)
    const plan = applySignLimit(
      planSign(
        signDesired([dir('a@example.com', ['A'])], mappings, { kind: 'mapped' }),
        new Map([['primary', snap]]),
        config,
      ),
      config,
    )
    expect(plan.limit).toMatchObject({ exceeded: true, count: 1 })
    expect(userCommands(plan).map((c) => c.user.email)).toEqual(['a@example.com'])
  })
})
