import {
  checkCapabilities,
  checkCommandResults,
  checkSnapshot,
  type Clock,
  type ConnectorConfig,
  type PlannedCommand,
  type Target,
  type TargetDefinition,
} from '@ust-sync/api'
import { definitionProblems, schemaProblems } from './check-definition.js'
import { attempt, type ConformanceReport, messageOf, Recorder } from './report.js'
import { normal, notDone } from './target-model.js'
import { runTargetScript, type UnsupportedSteps } from './target-script.js'
import { leakedSecrets, secretValues, testContext } from './test-context.js'

/** Options of {@link checkTarget}. */
export interface TargetCheckOptions {
  /**
   * Returns the connector config of a target in a fresh, known state (e.g. a new temporary org file or
   * an emptied test tenant). Called once: the checks change that target.
   */
  fresh: () => ConnectorConfig | Promise<ConnectorConfig>
  /**
   * Your own batch, run after the default script on the same target: test mode (when the target has it)
   * changes nothing, every command is done, and a second run of its user commands changes nothing.
   */
  commands?: PlannedCommand[]
  /**
   * User groups of the fresh target the script may use when the target cannot create groups (default: the
   * first two `userGroup`s of the snapshot). Without any, the group steps are skipped.
   */
  groups?: string[]
  /** Steps the target cannot do, each with why; they are reported as skipped, not failed. */
  unsupported?: UnsupportedSteps
  /** Values that must never be logged, besides the connector's declared secrets. */
  secrets?: string[]
  configDir?: string
  /** The context's clock (default: real time); a faster one keeps a paced target's script short. */
  clock?: Clock
}

/**
 * Checks a target against the contract: definition and schema, capabilities, a valid snapshot, then the
 * default script on users `ust-testkit-*@example.com` (see {@link runTargetScript}): create, onConflict
 * `ignore` and `update`, update, a username change, add and remove groups, `removeGroups: 'all'`, removal
 * from the org with and without `deleteAccount`, test mode changing nothing — also across two test-mode
 * batches —, a scoped snapshot, a second identical plan changing nothing, and the other users untouched.
 * Group names in commands are lower-cased, as the engine sends them. Throws a ContractViolation listing
 * every problem, each saying what the target did and what the contract wants.
 */
export async function checkTarget(
  definition: TargetDefinition,
  options: TargetCheckOptions,
): Promise<ConformanceReport> {
  const r = new Recorder(`target "${definition?.id}"`)
  r.rule('definition has kind, id, description and create()', definitionProblems(definition, 'target', ['create']))
  r.rule('connector schema rejects unknown keys', schemaProblems(definition))
  const config = await options.fresh()
  const { context, lines } = testContext({
    configDir: options.configDir,
    ...(options.clock ? { clock: options.clock } : {}),
  })
  const secrets = [
    ...secretValues(config, definition.connector?.secrets?.map((s) => s.key) ?? []),
    ...(options.secrets ?? []),
  ]
  const errors: string[] = []
  const step = async <T>(rule: string, fn: () => Promise<T> | T): Promise<T | undefined> => {
    const [value, error] = await attempt(fn)
    if (error) errors.push(messageOf(error))
    r.rule(rule, error ? [messageOf(error)] : [])
    return value
  }

  const target = await step('create() returns a target without throwing', () => definition.create(config, context))
  if (!target) return r.finish()
  if (!r.rule('capabilities say testMode and createGroups', checkCapabilities(target.capabilities))) return r.finish()
  const endpoints = await step('endpoints() lists {name, url}', () => target.endpoints())
  if (
    endpoints &&
    (!Array.isArray(endpoints) || endpoints.some((e) => typeof e?.name !== 'string' || typeof e?.url !== 'string'))
  )
    r.rule('endpoints() lists {name, url}', ['expected an array of {name, url}'])

  const scope = { includeGroups: true }
  const read = (t: Target) => t.snapshot(scope)
  const before = await step('snapshot() resolves', () => read(target))
  if (!before) return r.finish()
  if (
    !r.rule('snapshot() returns users (and groups when asked) as the contract describes', checkSnapshot(before, scope))
  )
    return r.finish()
  await runTargetScript({
    target,
    r,
    errors,
    before,
    ...(options.groups ? { groups: options.groups } : {}),
    ...(options.unsupported ? { unsupported: options.unsupported } : {}),
  })
  if (options.commands) await runOwnBatch(target, options.commands, r, step)
  await attempt(() => target.close?.())

  r.rule('secrets never appear in logs or error messages', leakedSecrets([...lines, ...errors], secrets))
  return r.finish()
}

type Step = <T>(rule: string, fn: () => Promise<T> | T) => Promise<T | undefined>

/** The author's own batch: test mode changes nothing, the batch is applied, a second run is idempotent. */
async function runOwnBatch(target: Target, commands: PlannedCommand[], r: Recorder, step: Step): Promise<void> {
  const scope = { includeGroups: true }
  const userCommands = commands.filter((c) => c.kind === 'user')
  const before = await step('commands: snapshot() resolves', () => target.snapshot(scope))
  if (target.capabilities.testMode) {
    const results = await step('commands: apply() in test mode resolves', () =>
      target.apply(commands, { testOnly: true }),
    )
    r.rule('commands: apply() in test mode returns one result per command', checkCommandResults(results, commands))
    const after = await step('commands: snapshot() after test mode', () => target.snapshot(scope))
    r.rule(
      'commands: test mode changes nothing',
      normal(after) === normal(before) ? [] : ['the snapshot changed after apply(…, {testOnly: true})'],
    )
  }
  const applied = await step('commands: apply() resolves', () => target.apply(commands, { testOnly: false }))
  r.rule('commands: apply() returns one result per command', checkCommandResults(applied, commands))
  r.rule('commands: apply() carries out the batch', notDone(applied))
  const first = await step('commands: snapshot() after apply', () => target.snapshot(scope))
  const again = await step('commands: a second run of the user commands resolves', () =>
    target.apply(userCommands, { testOnly: false }),
  )
  r.rule('commands: a second run reports one result per command, all done', [
    ...checkCommandResults(again, userCommands),
    ...notDone(again),
  ])
  const second = await step('commands: snapshot() after the second run', () => target.snapshot(scope))
  r.rule(
    'commands: a second run changes nothing (idempotent)',
    normal(second) === normal(first) ? [] : ['the snapshot changed on the second run'],
  )
}
