import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DirectoryUser, IdentityType, PlannedCommand } from '@ust-sync/api'
import type { UstConfig } from '../../src/config/types.js'
import { applyLimits } from '../../src/sync/limits.js'
import { mapDirectoryUsers } from '../../src/sync/mapping.js'
import type { AdobeOnlyUserAction, SyncOptions } from '../../src/sync/options.types.js'
import type { Plan } from '../../src/sync/plan.types.js'
import { planSync } from '../../src/sync/planner.js'
import { applyCommands, snapshotOf, type SandboxOrg } from '../../plugins/sandbox/src/org-model.js'
import { makeConfig, makeOptions } from './helpers.js'
import { compileUsernamePattern } from '../../src/config/ust-pattern.js'

const EMAILS = Array.from({ length: 12 }, (_, i) => `u${i}@x.com`)
const ADOBE_GROUPS = ['A', 'B', 'C', 'Manual', '_org_admin']
const TYPES: IdentityType[] = ['federatedID', 'enterpriseID', 'adobeID']

const orgUser = fc.record({
  email: fc.constantFrom(...EMAILS),
  identityType: fc.constantFrom(...TYPES),
  groups: fc.subarray(ADOBE_GROUPS),
  lastname: fc.constantFrom('Lee', 'Kim'),
})
const org = (
  users: Array<{ email: string; identityType: IdentityType; groups: string[]; lastname: string }>,
  groups: string[],
): SandboxOrg => {
  const seen = new Set<string>()
  return {
    groups: groups.map((name) => ({
      name,
      type: name.startsWith('_') ? ('adminGroup' as const) : ('userGroup' as const),
    })),
    users: users
      .filter((u) => !seen.has(u.email) && seen.add(u.email))
      .map((u) => ({
        identityType: u.identityType,
        email: u.email,
        username: u.email,
        domain: 'x.com',
        firstname: 'F',
        lastname: u.lastname,
        country: 'US',
        groups: u.groups,
      })),
  }
}
const directory = fc
  .uniqueArray(
    fc.record({
      email: fc.constantFrom(...EMAILS, 'new1@x.com', 'new2@x.com'),
      identityType: fc.constantFrom<IdentityType>('federatedID', 'enterpriseID', 'adobeID'),
      groups: fc.subarray(['da', 'DB ', 'dc', 'other']),
      lastname: fc.constantFrom('Lee', 'Kim'),
    }),
    { selector: (u) => u.email, maxLength: 12 },
  )
  .map((users): DirectoryUser[] => users.map((u) => ({ ...u, firstname: 'F', country: 'US' })))
const action = fc.constantFrom<AdobeOnlyUserAction>(
  { kind: 'preserve' },
  { kind: 'exclude' },
  { kind: 'remove' },
  { kind: 'delete' },
  { kind: 'write-file', path: 'x.csv' },
)
const scenario = fc.record({
  directory,
  primary: fc.array(orgUser, { maxLength: 12 }),
  secondary: fc.array(orgUser, { maxLength: 8 }),
  processGroups: fc.boolean(),
  updateUserInfo: fc.boolean(),
  excludeUnmappedUsers: fc.boolean(),
  action,
  excludeTypes: fc.subarray<IdentityType>(TYPES, { maxLength: 1 }),
  excludeGroups: fc.subarray(['_org_admin', 'manual']),
  excludeUsers: fc.subarray(['u1.*@x\\.com', 'U2@X\\.COM'].map((p) => compileUsernamePattern(p, 'exclude_users'))),
  autoCreate: fc.boolean(),
  limit: fc.oneof(
    fc.record({ kind: fc.constant('count' as const), value: fc.integer({ min: 0, max: 6 }) }),
    fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 0, max: 100 }) }),
  ),
  groupRemovalsOnly: fc.boolean(),
})
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

function setup(s: Scenario, unlimited: boolean): { config: UstConfig; options: SyncOptions } {
  const base = makeConfig({ secondaries: ['org2'] })
  const config = makeConfig({
    secondaries: ['org2'],
    mappings: { da: ['A'], db: ['B', 'org2::T'], dc: ['A', 'C'] },
    adobeUsers: {
      ...base.adobeUsers,
      excludeIdentityTypes: s.excludeTypes,
      excludeAdobeGroups: s.excludeGroups,
      excludeUsers: s.excludeUsers,
    },
    directoryUsers: { ...base.directoryUsers, autoCreateGroups: s.autoCreate },
    limits: {
      maxAdobeOnlyUsers: unlimited ? { kind: 'count', value: 1000 } : s.limit,
      groupRemovalsOnly: s.groupRemovalsOnly,
    },
  })
  const options = makeOptions({
    processGroups: s.processGroups,
    updateUserInfo: s.updateUserInfo,
    excludeUnmappedUsers: s.excludeUnmappedUsers,
    adobeOnlyUserAction: s.action,
  })
  return { config, options }
}

function plan(s: Scenario, orgs: Map<string, SandboxOrg>, unlimited: boolean): Plan {
  const { config, options } = setup(s, unlimited)
  const includeGroups = options.processGroups && config.directoryUsers.autoCreateGroups
  const snapshots = new Map([...orgs].map(([name, o]) => [name, snapshotOf(o, { includeGroups })]))
  return applyLimits(
    planSync({ desired: mapDirectoryUsers(s.directory, config, options), snapshots, config, options }),
    config,
    options,
  )
}

const orgsOf = (s: Scenario, autoCreate: boolean): Map<string, SandboxOrg> =>
  new Map([
    ['primary', org(s.primary, autoCreate ? ['Manual', '_org_admin'] : ADOBE_GROUPS)],
    ['org2', org(s.secondary, autoCreate ? [] : ['T', 'Manual'])],
  ])

const userCommands = (p: Plan): Array<PlannedCommand & { kind: 'user' }> =>
  p.targets.flatMap((t) => t.commands.filter((c): c is PlannedCommand & { kind: 'user' } => c.kind === 'user'))

describe('plan properties (fast-check, applied through the sandbox org model)', () => {
  it('idempotence: applying the plan and planning again yields an empty plan', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const autoCreate = s.autoCreate && s.processGroups
        let orgs = orgsOf(s, autoCreate)
        const first = plan(s, orgs, true)
        orgs = new Map(
          [...orgs].map(([name, o]) => {
            const commands = first.targets.find((t) => t.target === name)?.commands ?? []
            const outcome = applyCommands(o, commands, { testOnly: false })
            expect(outcome.results.filter((r) => r.status !== 'done')).toEqual([])
            return [name, outcome.org]
          }),
        )
        const second = plan(s, orgs, true)
        expect(second.targets.flatMap((t) => t.commands)).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('no plan ever touches an excluded user or group', () => {
    fc.assert(
      fc.property(scenario, fc.boolean(), (s, unlimited) => {
        const orgs = orgsOf(s, false)
        const { config } = setup(s, unlimited)
        const excludedEmails = new Set(
          (orgs.get('primary') as SandboxOrg).users
            .filter(
              (u) =>
                config.adobeUsers.excludeIdentityTypes.includes(u.identityType) ||
                u.groups.some((g) => config.adobeUsers.excludeAdobeGroups.includes(g.toLowerCase())) ||
                config.adobeUsers.excludeUsers.some((p) => new RegExp(`^(?:${p.source})$`, 'i').test(u.username)),
            )
            .map((u) => u.email.toLowerCase()),
        )
        for (const command of userCommands(plan(s, orgs, unlimited))) {
          expect(excludedEmails.has(command.user.email.toLowerCase())).toBe(false)
          for (const g of [
            ...(Array.isArray(command.removeGroups) ? command.removeGroups : []),
            ...(command.addGroups ?? []),
          ]) {
            expect(config.adobeUsers.excludeAdobeGroups).not.toContain(g)
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  it('with preserve (or exclude, or write-file) no plan removes a user from an org', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.constantFrom<AdobeOnlyUserAction>(
          { kind: 'preserve' },
          { kind: 'exclude' },
          { kind: 'write-file', path: 'x.csv' },
        ),
        (s, keep) => {
          const p = plan({ ...s, action: keep }, orgsOf(s, false), false)
          expect(userCommands(p).filter((c) => c.removeFromOrg)).toEqual([])
        },
      ),
      { numRuns: 200 },
    )
  })

  it('limits hold: over the limit no Adobe-only user is touched; within it, at most max are', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const p = plan(s, orgsOf(s, false), false)
        const adobeOnly = p.targets.flatMap((t) => t.adobeOnly)
        const primaryAdobeOnly = p.targets.find((t) => t.target === 'primary')?.adobeOnly.length ?? 0
        if (p.limit?.exceeded) {
          expect(adobeOnly).toEqual([])
          expect(p.counters.adobeOnlyProcessed).toBe(0)
        } else if (p.limit?.checked) {
          expect(primaryAdobeOnly).toBeLessThanOrEqual(p.limit.max)
        }
      }),
      { numRuns: 300 },
    )
  })
})
