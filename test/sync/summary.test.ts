import { describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import type { ExecutionReport } from '../../src/sync/execution.types.js'
import { countsOf, exitCodeOf, failuresOf, summaryLines } from '../../src/sync/summary.js'
import { adobeUser, dirUser, makeConfig, planFor } from './helpers.js'

describe('action summary', () => {
  const config = makeConfig({
    mappings: { staff: ['Staff'] },
    directoryUsers: { ...makeConfig().directoryUsers, autoCreateGroups: true },
  })
  const plan = planFor({
    config,
    options: { processGroups: true, adobeOnlyUserAction: { kind: 'remove' } },
    directory: [dirUser('new@x.com', ['staff']), dirUser('kept@x.com', ['staff']), dirUser('same@x.com', [])],
    primary: {
      users: [
        adobeUser('kept@x.com'),
        adobeUser('same@x.com'),
        adobeUser('gone@x.com'),
        adobeUser('svc@x.com', [], { identityType: 'adobeID' }),
      ],
      groups: [],
    },
  })
  const report: ExecutionReport = {
    targets: [
      {
        target: 'primary',
        results:
          plan.targets[0]?.commands.map((c, i) =>
            i === 1
              ? {
                  commandId: c.id,
                  status: 'failed' as const,
                  errors: [{ code: 'error.user.nonexistent', message: 'no such user' }],
                }
              : { commandId: c.id, status: 'done' as const },
          ) ?? [],
      },
    ],
  }

  it("prints UST's lines exactly (UST defect fixed: created groups are counted as actions)", () => {
    expect(summaryLines(plan, countsOf(plan, report), false)).toEqual([
      '---------------------------------- Action Summary ----------------------------------',
      '                        Number of directory users read: 3',
      '          Number of directory users selected for input: 3',
      '                            Number of Adobe users read: 4',
      '           Number of Adobe users excluded from updates: 0',
      '    Number of non-excluded Adobe users with no changes: 1',
      '                       Number of new Adobe users added: 1',
      '                Number of matching Adobe users updated: 1',
      '                   Number of Adobe user-groups created: 1',
      '                    Number of Adobe-only users removed: 2',
      '  Number of UMAPI actions sent (total, success, error): (5, 4, 1)',
      '------------------------------------------------------------------------------------',
    ])
  })

  it('says TEST MODE in the header', () => {
    expect(summaryLines(plan, countsOf(plan, report), true)[0]).toBe(
      '---------------------------- Action Summary (TEST MODE) ----------------------------',
    )
  })

  it('names each org in the action lines when there are secondaries, and shows secondary creations', () => {
    const two = makeConfig({ secondaries: ['org2'], mappings: { staff: ['org2::Team'] } })
    const p = planFor({ config: two, directory: [dirUser('a@x.com', ['staff'])], primary: [adobeUser('a@x.com')] })
    const lines = summaryLines(p, countsOf(p, undefined), false)
    expect(lines).toContain('                    Number of Adobe users added to secondaries: 1')
    expect(lines.slice(-3, -1)).toEqual([
      '  Number of primary UMAPI actions sent (total, success, error): (0, 0, 0)',
      '     Number of org2 UMAPI actions sent (total, success, error): (0, 0, 0)',
    ])
  })

  it('push strategy has its own lines', () => {
    const p = planFor({ options: { strategy: 'push' }, directory: [dirUser('a@x.com')] })
    expect(summaryLines(p, countsOf(p, undefined), false).slice(1, 4)).toEqual([
      '                        Number of directory users read: 1',
      '          Number of directory users selected for input: 1',
      '             Number of directory users pushed to Adobe: 1',
    ])
  })

  it('failures and exit codes: partial on failed commands, limit when the limit was exceeded', () => {
    const failures = failuresOf(plan, report)
    expect(failures).toEqual([
      {
        target: 'primary',
        commandId: 'primary:2',
        subject: 'new@x.com',
        errors: [{ code: 'error.user.nonexistent', message: 'no such user' }],
      },
    ])
    expect(exitCodeOf(plan.limit, failures)).toBe(ExitCode.partial)
    expect(exitCodeOf(plan.limit, [])).toBe(ExitCode.ok)
    expect(exitCodeOf({ checked: true, exceeded: true, count: 3, max: 2, setting: '2' }, [])).toBe(ExitCode.limit)
  })
})
