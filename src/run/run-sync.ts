import {
  ConfigError,
  isUstError,
  SourceError,
  TargetError,
  type UstError,
  type Clock,
  type DirectoryUser,
  type IdentitySource,
  type Logger,
  type Progress,
  type SnapshotScope,
  type SourceSelection,
  type Target,
  type TargetSnapshot,
} from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import { parseAdobeOnlyList } from './adobe-only-list.js'
import { formatCsv } from './csv.js'
import type { ExecutionReport } from '../sync/execution.types.js'
import { executePlan } from './execute.js'
import { applyLimits, guardDirectoryDrop } from '../sync/limits.js'
import { acquireLock } from './lock.js'
import { mapDirectoryUsers } from '../sync/mapping.js'
import type { MappingHookStep } from '../sync/mapping-hook.js'
import type { SyncOptions } from '../sync/options.types.js'
import { type BaselineKey, connectorIdentity, DirectoryHistory } from './directory-history.js'
import { fingerprintOf, planDifferences, readPlanFile, writePlanFile } from './plan-file.js'
import { checkDataFile, readDataFile } from './read-data-file.js'
import type { DesiredState, Plan } from '../sync/plan.types.js'
import { planSync } from '../sync/planner.js'
import { planSign } from '../sync/sign/plan-sign.js'
import { signDesired } from '../sync/sign/sign-desired.js'
import { applySignLimit } from '../sync/sign/sign-limit.js'
import { signCounts, signSummaryLines } from '../sync/sign/sign-summary.js'
import { countsOf, exitCodeOf, failuresOf, summaryLines, type SyncResult } from '../sync/summary.js'
import { checkOutputPath, writePrivateFile } from '../fs/private-file.js'

/** The logger of a run: UST's levels, CRITICAL included. */
export type SyncLogger = Logger & { critical(message: string): void }

/** Everything one sync run needs; nothing is taken from globals. */
export interface RunSyncInput {
  config: UstConfig
  options: SyncOptions
  /** The directory connector chosen by `--connector`; absent with `--adobe-only-user-list` (never read). */
  source?: IdentitySource
  /** Live targets by name: `primary` and the secondaries' names. */
  targets: ReadonlyMap<string, Target>
  logger: SyncLogger
  clock: Clock
  /** Progress of reading the directory (a terminal only); optional. */
  progress?: Progress
  /** The data dir: the lock and the size of the last directory read live there. */
  dataDir: string
  /** `--plan-out FILE`: write the plan and stop before any write. */
  planOut?: string
  /** `--plan FILE`: execute a saved plan, if it still holds. */
  planIn?: string
  /** The mapping hook (`directory_users.extension`) and the directory attributes it needs; optional. */
  hook?: { step: MappingHookStep; extendedAttributes: readonly string[] }
  /** Called with the plan and, when it ran, what executing it did (for the HTML report). */
  onOutcome?: (plan: Plan, execution: ExecutionReport | undefined) => void
}

/** What the source is asked for (UST `read_desired_user_groups`). */
export function sourceSelection(
  config: UstConfig,
  options: SyncOptions,
  extendedAttributes: readonly string[] = [],
): SourceSelection {
  const mapped = config.directoryUsers.groups.map((g) => g.directoryGroup)
  const filter =
    options.users.kind === 'group' ? options.users.groups : options.users.kind === 'mapped' ? mapped : undefined
  const groups = new Map<string, string>()
  for (const group of [...(options.processGroups ? mapped : []), ...(filter ?? [])])
    groups.set(group.trim().toLowerCase(), group)
  return {
    groups: [...groups.values()],
    allUsers: filter === undefined,
    extendedAttributes: [...extendedAttributes],
    memberGroups: options.processGroups && config.directoryUsers.additionalGroups.length > 0,
  }
}

/** What each target is asked for (`--adobe-users`; groups when user groups may be auto-created); undefined: not read. */
export function snapshotScope(
  target: string,
  desired: DesiredState,
  config: UstConfig,
  options: SyncOptions,
): SnapshotScope | undefined {
  const mapped = desired.mappedGroups.get(target)
  if (target !== 'primary' && !mapped?.size) return undefined
  const includeGroups = options.processGroups && config.directoryUsers.autoCreateGroups
  const selection = options.adobeUsers
  if (selection.kind === 'all') return { includeGroups }
  const groups =
    selection.kind === 'mapped'
      ? [...(mapped?.values() ?? [])]
      : selection.groups.filter((g) => g.target === target).map((g) => g.name)
  return groups.length > 0 ? { groups, includeGroups } : undefined
}

async function readSnapshots(input: RunSyncInput, desired: DesiredState): Promise<Map<string, TargetSnapshot>> {
  const { config, options, targets } = input
  const entries = await Promise.all(
    config.adobeUsers.targets.map(async ({ name }): Promise<[string, TargetSnapshot]> => {
      const scope = snapshotScope(name, desired, config, options)
      if (!scope) return [name, { users: [] }]
      const target = targets.get(name)
      if (!target)
        throw new TargetError(`No live target for '${name}' (adobe_users.connectors)`, {
          suggestions: ['Check that the plugin providing this target is installed'],
        })
      return [
        name,
        await target.snapshot(scope).catch(
          rethrowAs(
            (m) =>
              new TargetError(`Target '${name}' could not be read: ${m}`, {
                suggestions: ['Nothing was changed; check the target connector file and connectivity, then run again'],
              }),
          ),
        ),
      ]
    }),
  )
  return new Map(entries)
}

/**
 * A rejection handler that passes ust errors through and wraps anything else (a plugin's plain Error) in
 * the given ust error, so a failed read always ends with the right exit code and nothing is changed.
 */
function rethrowAs(make: (message: string) => UstError): (error: unknown) => never {
  return (error) => {
    if (isUstError(error)) throw error
    throw make(error instanceof Error ? error.message : String(error))
  }
}

/**
 * Reads the directory and maps it to the desired state. Its own function so that nothing holds the
 * directory users once they are mapped (they are garbage while the target is read and the plan made).
 */
async function readDesired(input: RunSyncInput): Promise<DesiredState> {
  const { config, options } = input
  const users = await readDirectory(input, sourceSelection(config, options, input.hook?.extendedAttributes))
  return mapDirectoryUsers(users, config, options, input.hook?.step)
}

/** Reads the directory users `selection` asks for; a failed read is a SourceError (nothing changed). */
async function readDirectory(input: RunSyncInput, selection: SourceSelection): Promise<DirectoryUser[]> {
  const { options, source, logger } = input
  if (!source) throw new Error('internal: no identity source for a run that reads the directory')
  const reading = input.progress?.start(`Reading the directory (${options.connector.id})`)
  const started = input.clock.now()
  const read = await source
    .read(selection)
    .finally(() => reading?.end())
    .catch(
      rethrowAs(
        (m) =>
          new SourceError(`The identity source '${options.connector.id}' could not be read: ${m}`, {
            suggestions: ['Nothing was changed; fix the source and run again'],
          }),
      ),
    )
  for (const warning of read.warnings) logger.warn(warning)
  const seconds = (input.clock.now() - started) / 1000
  logger.info(`Read ${read.users.length} directory users from '${options.connector.id}' in ${seconds.toFixed(2)} s`)
  return read.users
}

/**
 * A Sign Sync plan: every org is read whole (users and groups) while the directory is, then UST's Sign
 * rules plan the commands and `sign_only_limit` is checked on the whole plan.
 */
async function computeSignPlan(input: RunSyncInput): Promise<Plan> {
  const { config, options } = input
  const snapshots = Promise.all(
    config.adobeUsers.targets.map(async ({ name }): Promise<[string, TargetSnapshot]> => {
      const target = input.targets.get(name)
      if (!target) throw new TargetError(`No live target for Sign org '${name}'`)
      const snapshot = await target.snapshot({ includeGroups: true }).catch(
        rethrowAs(
          (m) =>
            new TargetError(`Sign org '${name}' could not be read: ${m}`, {
              suggestions: ['Nothing was changed; check the connector file and connectivity, then run again'],
            }),
        ),
      )
      return [name, snapshot]
    }),
  )
  snapshots.catch(() => {})
  const directory = await readDirectory(input, sourceSelection(config, options))
  const desired = signDesired(directory, config.sign?.mappings ?? [], options.users)
  return applySignLimit(planSign(desired, new Map(await snapshots), config), config)
}

/** Reads and plans (the same path for `--plan-out`, `--plan`, test mode and live runs). */
async function computePlan(input: RunSyncInput): Promise<Plan> {
  const { config, options, logger } = input
  if (config.sign) return computeSignPlan(input)
  let plan: Plan
  if (options.adobeOnlyUserList) {
    const file = options.adobeOnlyUserList
    logger.info(`Reading Adobe-only users from: ${file}`)
    const text = await readDataFile(file, 'the Adobe-only user list', 'Check the path given to --adobe-only-user-list')
    const list = parseAdobeOnlyList(text, file, config)
    plan = planSync({
      desired: mapDirectoryUsers([], config, options, input.hook?.step),
      snapshots: new Map(),
      config,
      options,
      adobeOnlyList: list.users,
    })
    plan.counters.adobeUsersExcluded += list.excluded
    // Loops, not push(...list): a list of a million rows may give as many messages, past the argument limit.
    for (const warning of list.warnings) plan.warnings.push(warning)
    for (const error of list.errors) plan.errors.push(error)
  } else {
    // The target is read while the directory is, when its scope does not depend on the directory's users
    // (no additional_groups rules: the mapped groups come from the config alone). A failed directory read
    // still wins: its error is the one reported, and nothing is changed either way.
    const early =
      options.strategy !== 'push' && config.directoryUsers.additionalGroups.length === 0
        ? readSnapshots(input, mapDirectoryUsers([], config, options, input.hook?.step))
        : undefined
    early?.catch(() => {})
    const desired = await readDesired(input)
    const snapshots =
      options.strategy === 'push' ? new Map<string, TargetSnapshot>() : await (early ?? readSnapshots(input, desired))
    plan = planSync({ desired, snapshots, config, options })
  }
  return applyLimits(plan, config, options)
}

/**
 * One `ust sync` run: lock → read the directory → map → snapshot the targets → plan → limits and the
 * directory-drop guard → (`planOut`: write the plan and stop) → write the Adobe-only file → execute →
 * summary → record the directory size. With `planIn` the saved plan is applied only if its digest holds,
 * it was made for the same config files and options, and a fresh plan agrees with it command for command
 * and field for field (otherwise nothing is written and the error says what changed); what runs is then
 * that identical fresh plan. A source error propagates: it never turns into deletions.
 */
export async function runSync(input: RunSyncInput): Promise<SyncResult> {
  const { config, options, logger, clock } = input
  const started = clock.now()
  await checkPaths(input)
  const lock = await acquireLock(config.file, input.dataDir, logger)
  try {
    const history = new DirectoryHistory(baselineKey(input), options, input.dataDir)
    const plan = guardDirectoryDrop(
      await computePlan(input),
      options,
      await history.lastSelected(),
      config.limits.firstRunRemovalPercent,
    )
    const fingerprint = input.planOut || input.planIn ? await fingerprintOf(config, options) : ''
    let planDigest = input.planIn ? await checkSavedPlan(input.planIn, plan, fingerprint) : undefined
    logPlan(plan, logger)

    let report: ExecutionReport | undefined
    if (input.planOut) {
      planDigest = await writePlanFile(input.planOut, plan, fingerprint, clock.now())
      logger.info(`Plan written to ${input.planOut}; nothing was changed`)
    } else {
      report = await applyPlan(input, plan)
      if (!options.testMode && !options.adobeOnlyUserList && options.strategy === 'sync' && !plan.limit?.exceeded)
        await history.record(plan.counters.directoryUsersSelected, clock.now(), logger)
    }
    input.onOutcome?.(plan, report)
    return resultOf(input, plan, report, planDigest, clock.now() - started)
  } finally {
    await lock.release()
  }
}

/**
 * The digest of the plan saved in `file`, when it was made for the same config files and options
 * (`fingerprint`) and a fresh `plan` agrees with it command for command and field for field; otherwise
 * the error says what changed. What runs is then the identical fresh plan: nothing read from the file is
 * executed.
 */
async function checkSavedPlan(file: string, plan: Plan, fingerprint: string): Promise<string> {
  const saved = await readPlanFile(file)
  if (saved.fingerprint !== fingerprint) {
    throw new ConfigError(`The plan ${file} was made for other configuration files or options than this run`, {
      code: 'config.plan-changed',
      suggestions: ['Run `ust sync --plan-out FILE` again with the current configuration and the same options'],
    })
  }
  const differences = planDifferences(saved.plan, plan)
  if (differences.length > 0) {
    const shown = differences.slice(0, 20).map((d) => `  ${d}`)
    if (differences.length > 20) shown.push(`  … and ${differences.length - 20} more`)
    throw new TargetError(
      `The plan ${file} (made ${saved.createdAt}) no longer matches the directory and targets; nothing was changed:\n${shown.join('\n')}`,
      {
        code: 'target.plan-drift',
        suggestions: ['Review the changes, then make a new plan with `ust sync --plan-out FILE`'],
      },
    )
  }
  return saved.digest
}

/** The plan's warnings, errors, Sign notes and limit message, in the log. */
function logPlan(plan: Plan, logger: RunSyncInput['logger']): void {
  for (const warning of plan.warnings) logger.warn(warning)
  for (const error of plan.errors) logger.error(error)
  for (const note of [...(plan.sign?.notes ?? []), ...(plan.sign?.signOnlyNotes ?? [])]) logger.info(note)
  if (plan.limit?.message) logger.critical(plan.limit.message)
}

/** Writes the Adobe-only file the plan asks for, then executes the plan on the targets. */
async function applyPlan(input: RunSyncInput, plan: Plan): Promise<ExecutionReport> {
  const { logger, options } = input
  if (plan.adobeOnlyFile) {
    logger.info(`Writing Adobe-only users to: ${plan.adobeOnlyFile.path}`)
    await writeAdobeOnlyFile(plan.adobeOnlyFile.path, formatCsv(plan.adobeOnlyFile.columns, plan.adobeOnlyFile.rows))
  }
  return executePlan(plan, input.targets, { testOnly: options.testMode, logger })
}

/** The run's result, with UST's summary lines logged. */
function resultOf(
  input: RunSyncInput,
  plan: Plan,
  report: ExecutionReport | undefined,
  planDigest: string | undefined,
  durationMs: number,
): SyncResult {
  const { options, logger } = input
  const counts = countsOf(plan, report)
  const sign = plan.sign ? signCounts(plan, report) : undefined
  const summary = sign ? signSummaryLines(sign) : summaryLines(plan, counts, options.testMode)
  for (const line of summary) logger.info(line)
  const failures = report ? failuresOf(plan, report) : []
  const result: SyncResult = {
    exitCode: exitCodeOf(plan.limit, failures, plan.errors),
    testMode: options.testMode,
    strategy: plan.strategy,
    planOnly: Boolean(input.planOut),
    counts,
    failures,
    errors: plan.errors,
    durationMs,
    summary,
  }
  if (sign) result.sign = sign
  if (plan.limit) result.limit = plan.limit
  if (input.planOut) result.planFile = input.planOut
  if (planDigest) result.planDigest = planDigest
  if (plan.adobeOnlyFile && !input.planOut) result.adobeOnlyFile = plan.adobeOnlyFile.path
  return result
}

/** What the directory-drop baseline of this run belongs to: the source read and the orgs changed. */
function baselineKey(input: RunSyncInput): BaselineKey {
  const { config, options, source, targets } = input
  const sourceId = options.connector.id
  return {
    source: source ? connectorIdentity(source, sourceId, config.directoryUsers.connectors[sourceId]) : 'none',
    targets: config.adobeUsers.targets.map((t) => `${t.name}=${connectorIdentity(targets.get(t.name), t.pluginId, t)}`),
  }
}

/** The files a run reads and writes, checked before anything is read (a bad path fails in a second, not after the whole read). */
async function checkPaths(input: RunSyncInput): Promise<void> {
  if (input.planOut) await checkOutputPath(input.planOut, '--plan-out')
  if (input.planIn)
    await checkDataFile(input.planIn, 'the plan file', 'Give a file written by `ust sync --plan-out FILE`')
  const action = input.options.adobeOnlyUserAction
  if (action.kind === 'write-file') await checkOutputPath(action.path, WRITE_FILE)
}

const WRITE_FILE = '--adobe-only-user-action write-file:'

/** Writes the `write-file` CSV; a path that is not a new or regular file (a link, a FIFO) is refused. */
async function writeAdobeOnlyFile(path: string, text: string): Promise<void> {
  await writePrivateFile(path, text, WRITE_FILE)
}
