import { ExitCode, type CommandResult, type PlannedCommand } from '@ust-sync/api'
import type { ExecutionReport } from './execution.types.js'
import type { LimitDecision, Plan } from './plan.types.js'
import type { SignSummaryCounts } from './sign/sign-summary.js'

/** Actions sent to one target: UST's `(total, success, error)`. */
export interface TargetActions {
  target: string
  total: number
  success: number
  error: number
}

/** The action summary's numbers. */
export interface SyncCounts {
  directoryUsersRead: number
  directoryUsersSelected: number
  adobeUsersRead: number
  adobeUsersExcluded: number
  adobeUsersUnchanged: number
  usersCreated: number
  usersUpdated: number
  groupsCreated: number
  secondaryUsersCreated: number
  adobeOnlyProcessed: number
  actions: TargetActions[]
}

/** One command that failed. */
export interface SyncFailure {
  target: string
  commandId: string
  /** The user's email, or the group's name, the command was about. */
  subject: string
  errors: { code: string; message: string }[]
}

/** The typed result of `ust sync` (what `--json` prints). */
export interface SyncResult {
  /** 0 ok, `ExitCode.limit` when a safety limit stopped Adobe-only handling, `ExitCode.partial` when something asked was not done. */
  exitCode: number
  testMode: boolean
  strategy: 'sync' | 'push'
  /** True when the plan was only written (`--plan-out`), nothing executed. */
  planOnly: boolean
  counts: SyncCounts
  failures: SyncFailure[]
  /** Changes asked for that were not planned (e.g. a user that cannot be created): each counts as a failure. */
  errors: string[]
  limit?: LimitDecision
  durationMs: number
  /** The action summary, line by line, as logged. */
  summary: string[]
  /** Where the plan was written (`--plan-out`). */
  planFile?: string
  /** The digest of the plan written (`--plan-out`) or applied (`--plan`). */
  planDigest?: string
  /** Where the HTML report was written (`--report`). */
  reportFile?: string
  /** Where the metrics were written (`--metrics-file`, `metrics_file`). */
  metricsFile?: string
  /** Where the Adobe-only users were written (`write-file`). */
  adobeOnlyFile?: string
  /** `ust sign-sync`: the numbers of UST's Sign action summary. */
  sign?: SignSummaryCounts
}

/** Actions per target from the execution report; all zero when nothing was executed (`--plan-out`). */
function actionsOf(plan: Plan, report: ExecutionReport | undefined): TargetActions[] {
  return plan.targetNames.map((target) => {
    if (!report) return { target, total: 0, success: 0, error: 0 }
    const results: CommandResult[] = report.targets.find((t) => t.target === target)?.results ?? []
    const success = results.filter((r) => r.status === 'done').length
    return { target, total: results.length, success, error: results.length - success }
  })
}

/** The summary numbers of a plan and, when it ran, its execution (with UST's counter defects fixed). */
export function countsOf(plan: Plan, report: ExecutionReport | undefined): SyncCounts {
  const c = plan.counters
  return {
    directoryUsersRead: c.directoryUsersRead,
    directoryUsersSelected: c.directoryUsersSelected,
    adobeUsersRead: c.adobeUsersRead,
    adobeUsersExcluded: c.adobeUsersExcluded,
    adobeUsersUnchanged:
      c.adobeUsersRead === 0 ? 0 : c.adobeUsersRead - c.adobeUsersExcluded - c.usersUpdated - c.adobeOnlyProcessed,
    usersCreated: c.usersCreated,
    usersUpdated: c.usersUpdated,
    groupsCreated: c.groupsCreated,
    secondaryUsersCreated: c.secondaryUsersCreated,
    adobeOnlyProcessed: c.adobeOnlyProcessed,
    actions: actionsOf(plan, report),
  }
}

/**
 * UST's action summary (`RuleProcessor.log_action_summary`), line for line: the 84-character header
 * (with `TEST MODE`), descriptions right-aligned to the longest, then the 84-dash footer.
 */
export function summaryLines(plan: Plan, counts: SyncCounts, testMode: boolean): string[] {
  const secondaries = plan.targetNames.length > 1
  const rows: Array<[string, string]> =
    plan.strategy === 'push'
      ? [
          ['Number of directory users read', String(counts.directoryUsersRead)],
          ['Number of directory users selected for input', String(counts.directoryUsersSelected)],
          ['Number of directory users pushed to Adobe', String(counts.usersCreated)],
          ...(secondaries
            ? [
                ['Number of Adobe users pushed to secondaries', String(counts.secondaryUsersCreated)] as [
                  string,
                  string,
                ],
              ]
            : []),
        ]
      : [
          ['Number of directory users read', String(counts.directoryUsersRead)],
          ['Number of directory users selected for input', String(counts.directoryUsersSelected)],
          ['Number of Adobe users read', String(counts.adobeUsersRead)],
          ['Number of Adobe users excluded from updates', String(counts.adobeUsersExcluded)],
          ['Number of non-excluded Adobe users with no changes', String(counts.adobeUsersUnchanged)],
          ['Number of new Adobe users added', String(counts.usersCreated)],
          ['Number of matching Adobe users updated', String(counts.usersUpdated)],
          ['Number of Adobe user-groups created', String(counts.groupsCreated)],
          ...(secondaries
            ? [['Number of Adobe users added to secondaries', String(counts.secondaryUsersCreated)] as [string, string]]
            : []),
        ]
  if (plan.adobeOnlyVerb)
    rows.push([`Number of Adobe-only users ${plan.adobeOnlyVerb}`, String(counts.adobeOnlyProcessed)])
  for (const a of counts.actions) {
    const name = secondaries ? ` ${a.target}` : ''
    rows.push([`Number of${name} UMAPI actions sent (total, success, error)`, `(${a.total}, ${a.success}, ${a.error})`])
  }
  const pad = Math.max(...rows.map(([d]) => d.length))
  const header = testMode ? '- Action Summary (TEST MODE) -' : '------- Action Summary -------'
  return [
    `---------------------------${header}---------------------------`,
    ...rows.map(([d, v]) => `  ${d.padStart(pad)}: ${v}`),
    '-'.repeat(84),
  ]
}

/** The failed commands of a run, with the user or group each was about. */
export function failuresOf(plan: Plan, report: ExecutionReport): SyncFailure[] {
  const failures: SyncFailure[] = []
  for (const executed of report.targets) {
    const commands = new Map<string, PlannedCommand>(
      plan.targets.find((t) => t.target === executed.target)?.commands.map((c) => [c.id, c]) ?? [],
    )
    for (const r of executed.results) {
      if (r.status === 'done') continue
      const command = commands.get(r.commandId)
      const subject = command?.kind === 'user' ? command.user.email : command ? command.name : r.commandId
      failures.push({ target: executed.target, commandId: r.commandId, subject, errors: r.errors ?? [] })
    }
  }
  return failures
}

/**
 * The exit code: the limit first (the scheduler must notice skipped deletions), then partial failure. Not
 * everything asked was done whether a change failed at the target or could not even be planned (a user
 * without a country, an invalid identity type, a bad row of an Adobe-only list): both give
 * `ExitCode.partial`.
 */
export function exitCodeOf(
  limit: LimitDecision | undefined,
  failures: readonly SyncFailure[],
  planErrors: readonly string[] = [],
): number {
  if (limit?.exceeded) return ExitCode.limit
  return failures.length > 0 || planErrors.length > 0 ? ExitCode.partial : ExitCode.ok
}
