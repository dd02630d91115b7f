import { describe, expect, it } from 'vitest'
import type { CommandResult, PlannedCommand, Target } from '@ust-sync/api'
import { TargetError } from '@ust-sync/api'
import { executePlan } from '../../src/run/execute.js'
import { adobeUser, dirUser, makeConfig, planFor } from '../sync/helpers.js'
import { makeOrg, ModelTarget } from '../sync/model-target.js'

const errors: string[] = []
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: (m: string) => errors.push(m) }

function failingTarget(apply: (commands: PlannedCommand[]) => Promise<CommandResult[]>): Target {
  return {
    capabilities: { testMode: true, createGroups: true },
    endpoints: () => [],
    snapshot: async () => ({ users: [] }),
    apply,
  }
}

describe('executePlan', () => {
  const config = makeConfig({ secondaries: ['org2'], mappings: { staff: ['Staff', 'org2::Team'] } })
  const plan = planFor({
    config,
    options: { processGroups: true, adobeOnlyUserAction: { kind: 'delete' } },
    directory: [dirUser('new@x.com', ['staff'])],
    primary: [adobeUser('gone@x.com', ['Staff'])],
    secondaries: { org2: [adobeUser('gone@x.com', ['Team'])] },
  })

  it('UST defect fixed: every secondary command completes before any primary removal or deletion', async () => {
    const log: string[] = []
    const primary = new ModelTarget('primary', makeOrg(['Staff'], [{ email: 'gone@x.com', groups: ['Staff'] }]), log)
    const org2 = new ModelTarget('org2', makeOrg(['Team'], [{ email: 'gone@x.com', groups: ['Team'] }]), log)
    const report = await executePlan(
      plan,
      new Map<string, Target>([
        ['primary', primary],
        ['org2', org2],
      ]),
      { testOnly: false, logger },
    )
    expect(log).toEqual([
      'org2 org2:1',
      'org2 org2:2 removeFromOrg',
      'primary primary:1',
      'primary primary:2 removeFromOrg',
    ])
    expect(report.targets.flatMap((t) => t.results.map((r) => r.status))).toEqual(['done', 'done', 'done', 'done'])
    expect(primary.org.users.map((u) => u.email)).toEqual(['new@x.com'])
  })

  it('a target whose apply throws has all its commands failed (never done), and the error is reported', async () => {
    errors.length = 0
    const broken = failingTarget(async () => {
      throw new TargetError('UMAPI refused the batch: 503')
    })
    const org2 = new ModelTarget('org2', makeOrg(['Team'], [{ email: 'gone@x.com', groups: ['Team'] }]))
    const report = await executePlan(
      plan,
      new Map<string, Target>([
        ['primary', broken],
        ['org2', org2],
      ]),
      { testOnly: false, logger },
    )
    const primary = report.targets.find((t) => t.target === 'primary')
    expect(primary?.results).toEqual([
      {
        commandId: 'primary:1',
        status: 'failed',
        errors: [
          {
            code: 'target',
            message: 'not confirmed: target primary failed for the whole batch (UMAPI refused the batch: 503)',
          },
        ],
      },
      {
        commandId: 'primary:2',
        status: 'failed',
        errors: [
          {
            code: 'target',
            message: 'not confirmed: target primary failed for the whole batch (UMAPI refused the batch: 503)',
          },
        ],
      },
    ])
    expect(errors[0]).toMatch(
      /Target primary failed; none of its 2 commands can be confirmed: UMAPI refused the batch: 503/,
    )
  })

  it('a command the target does not report on is failed; a primary removal is not sent when the secondary failed', async () => {
    const silent = failingTarget(async () => [])
    const sent: PlannedCommand[] = []
    const primary = failingTarget(async (commands) => {
      sent.push(...commands)
      return commands.map((c) => ({ commandId: c.id, status: 'done' as const }))
    })
    const report = await executePlan(
      plan,
      new Map<string, Target>([
        ['primary', primary],
        ['org2', silent],
      ]),
      { testOnly: false, logger },
    )
    expect(report.targets[0]?.results.map((r) => [r.status, r.errors?.[0]?.code])).toEqual([
      ['failed', 'no-result'],
      ['failed', 'no-result'],
    ])
    expect(sent.map((c) => c.id)).toEqual(['primary:1'])
    expect(report.targets[1]?.results[1]).toMatchObject({
      commandId: 'primary:2',
      status: 'failed',
      errors: [{ code: 'not-sent' }],
    })
  })

  it('passes test mode to the target, which then changes nothing', async () => {
    const primary = new ModelTarget('primary', makeOrg(['Staff'], [{ email: 'gone@x.com', groups: ['Staff'] }]))
    const org2 = new ModelTarget('org2', makeOrg(['Team'], [{ email: 'gone@x.com', groups: ['Team'] }]))
    const before = structuredClone(primary.org)
    await executePlan(
      plan,
      new Map<string, Target>([
        ['primary', primary],
        ['org2', org2],
      ]),
      { testOnly: true, logger },
    )
    expect(primary.org).toEqual(before)
  })
})

describe('executePlan error lines', () => {
  it("name the command, the user and the steps that were asked, as UST's `Error in … (User: …, Command: …)`", async () => {
    errors.length = 0
    const plan = planFor({
      config: makeConfig({ mappings: { staff: ['Staff'] } }),
      options: { processGroups: true },
      directory: [dirUser('new@x.com', ['staff'])],
    })
    const refusing = failingTarget(async (commands) =>
      commands.map((c) => ({
        commandId: c.id,
        status: 'failed' as const,
        errors: [{ code: 'error.group.not_found', message: 'Group Staff was not found', step: 'add' }],
      })),
    )
    await executePlan(plan, new Map<string, Target>([['primary', refusing]]), { testOnly: false, logger })
    expect(errors).toEqual([
      'Error in primary:1 (User: new@x.com, Command: federatedID "new@x.com" in "x.com" <new@x.com>: create (firstname "First", lastname "Last", country "US", ignore if it exists), add groups ["staff"], failed step: add): code: "error.group.not_found" message: "Group Staff was not found"',
    ])
  })
})
