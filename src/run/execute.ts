import { isUstError, type CommandResult, type Logger, type PlannedCommand, type Target } from '@ust-sync/api'
import { describeCommand, subjectOf } from '../sync/describe-command.js'
import type { ExecutionReport } from '../sync/execution.types.js'
import type { Plan } from '../sync/plan.types.js'

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
  /** Ask targets to validate without applying (`--test-mode`). */
  testOnly: boolean
  logger: Logger
}

const failed = (commandId: string, code: string, message: string): CommandResult => ({
  commandId,
  status: 'failed',
  errors: [{ code, message }],
})

/**
 * Executes a plan: targets in plan order (secondaries first), each target's commands in one
 * `apply` call, so every secondary command has completed before any primary removal or deletion
 * (a UST defect fixed). A primary removal of a user whose secondary command failed is not sent. A target
 * whose `apply` throws has all its commands marked failed with the error; a command the target did
 * not report on is failed too — never `done`.
 */
export async function executePlan(
  plan: Plan,
  targets: ReadonlyMap<string, Target>,
  options: ExecuteOptions,
): Promise<ExecutionReport> {
  const report: ExecutionReport = { targets: [] }
  /** Users (lower-cased emails) whose commands failed in a secondary org. */
  const failedInSecondary = new Set<string>()
  for (const planned of plan.targets) {
    const target = targets.get(planned.target)
    const { results, toSend } = heldBack(planned, target, failedInSecondary)
    if (target && toSend.length > 0) await send(planned.target, target, toSend, results, options)
    const ordered = planned.commands.map(
      (c) =>
        results.get(c.id) ??
        failed(c.id, 'no-result', `target '${planned.target}' reported no result for this command`),
    )
    logFailures(planned, ordered, failedInSecondary, options.logger)
    report.targets.push({ target: planned.target, results: ordered })
  }
  return report
}

type PlannedTarget = Plan['targets'][number]

/**
 * The commands to send, and a failed result for each command that is not sent: every command when the
 * target is missing, and a primary removal of a user whose commands failed in a secondary org.
 */
function heldBack(
  planned: PlannedTarget,
  target: Target | undefined,
  failedInSecondary: ReadonlySet<string>,
): { results: Map<string, CommandResult>; toSend: PlannedCommand[] } {
  const results = new Map<string, CommandResult>()
  const toSend: PlannedCommand[] = []
  for (const command of planned.commands) {
    if (!target)
      results.set(
        command.id,
        failed(command.id, 'target.missing', `no target '${planned.target}' is configured for this run`),
      )
    else if (
      planned.target === 'primary' &&
      command.kind === 'user' &&
      command.removeFromOrg &&
      failedInSecondary.has(command.user.email.toLowerCase())
    ) {
      results.set(
        command.id,
        failed(
          command.id,
          'not-sent',
          'not removed from the primary org because its commands in a secondary org failed',
        ),
      )
    } else toSend.push(command)
  }
  return { results, toSend }
}

/**
 * Sends `toSend` in one `apply` call and records the results of the commands sent (a result for a command
 * not sent is ignored). When `apply` throws, every command sent is failed with the error, logged once.
 */
async function send(
  name: string,
  target: Target,
  toSend: PlannedCommand[],
  results: Map<string, CommandResult>,
  options: ExecuteOptions,
): Promise<void> {
  try {
    const sentIds = new Set(toSend.map((c) => c.id))
    for (const result of await target.apply(toSend, { testOnly: options.testOnly })) {
      if (sentIds.has(result.commandId)) results.set(result.commandId, result)
    }
  } catch (error) {
    const code = isUstError(error) ? error.code : 'target.error'
    const message = error instanceof Error ? error.message : String(error)
    // The error once, in full; each command refers to it (a multi-line message is not repeated per command).
    options.logger.error(`Target ${name} failed; none of its ${toSend.length} commands can be confirmed: ${message}`)
    const short = `not confirmed: target ${name} failed for the whole batch (${message.split('\n')[0]})`
    for (const command of toSend) results.set(command.id, failed(command.id, code, short))
  }
}

/** UST's error line per failed step; a user whose command failed in a secondary org is remembered. */
function logFailures(
  planned: PlannedTarget,
  ordered: readonly CommandResult[],
  failedInSecondary: Set<string>,
  logger: Logger,
): void {
  for (const [i, result] of ordered.entries()) {
    if (result.status === 'done') continue
    const command = planned.commands[i] as PlannedCommand
    if (planned.target !== 'primary' && command.kind === 'user') failedInSecondary.add(command.user.email.toLowerCase())
    for (const e of result.errors ?? [{ code: 'unknown', message: 'failed without a reason' }]) {
      // UST: `Error in requestID: action_N (User: …, Command: …): code: "…" message: "…"`, naming the steps.
      logger.error(
        `Error in ${command.id} (${command.kind === 'user' ? 'User' : 'Group'}: ${subjectOf(command).replace(/^(user|group) /, '')}, Command: ${describeCommand(command)}${e.step ? `, failed step: ${e.step}` : ''}): code: "${e.code}" message: "${e.message}"`,
      )
    }
  }
}
