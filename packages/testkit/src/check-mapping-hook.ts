import {
  checkHookOutput,
  checkMappingHook as checkCreatedHook,
  type MappingHook,
  type MappingHookDefinition,
  type MappingHookSettings,
  type MappingHookUser,
  type Logger,
  type TargetAttributes,
} from '@ust-sync/api'
import { definitionProblems } from './check-definition.js'
import { attempt, type ConformanceReport, messageOf, Recorder } from './report.js'
import { leakedSecrets, testContext } from './test-context.js'

/** One directory user to run the hook on (absent fields are empty). */
export interface HookSample {
  sourceAttributes?: Record<string, string | string[] | undefined>
  sourceGroups?: string[]
  targetAttributes?: TargetAttributes
  /** Groups mapped by `directory_users.groups` before the hook. */
  targetGroups?: string[]
  origin?: string
}

/** What the hook left for one sample. */
export interface HookOutcome {
  targetAttributes: TargetAttributes
  /** Sorted. */
  targetGroups: string[]
}

/** Options of {@link checkMappingHook}. */
export interface MappingHookCheckOptions {
  /** Settings passed to `create` (the config's `directory_users.extension` without `plugin`). */
  settings?: MappingHookSettings
  /** Users to call `afterMapping` on, in order, with one storage object for all (as in a run). */
  users: HookSample[]
  /** Groups the config maps or lists in `extended_adobe_groups` (the hook may add these too). */
  knownGroups?: string[]
  /** Values that must never be logged or appear in an error message. */
  secrets?: string[]
}

/** The report, plus what the hook left for each sample user (to compare with what you expect). */
export interface MappingHookReport extends ConformanceReport {
  outcomes: HookOutcome[]
}

/**
 * Checks a mapping hook against the contract: definition, `create(settings)` returns a hook with
 * `afterMapping` (and string arrays for `extendedAttributes` / `extendedAdobeGroups`), `afterMapping`
 * runs for every sample without throwing and synchronously (a returned Promise would not be awaited),
 * leaves attributes and group names ust can use, only adds groups ust knows (declared in
 * `extendedAdobeGroups`, `knownGroups` or mapped already: others are ignored by ust with an error), and
 * logs no secret. Throws a ContractViolation listing every problem.
 */
export async function checkMappingHook(
  definition: MappingHookDefinition,
  options: MappingHookCheckOptions,
): Promise<MappingHookReport> {
  const r = new Recorder(`mapping hook "${definition?.id}"`)
  const outcomes: HookOutcome[] = []
  const done = () => ({ ...r.finish(), outcomes })
  if (
    !r.rule(
      'definition has kind, id, description and create()',
      definitionProblems(definition, 'mappingHook', ['create']),
    )
  )
    return done()
  const { context, lines } = testContext()
  const [hook, createError] = await attempt(() => definition.create(options.settings ?? {}, context))
  if (!r.rule('create(settings) does not throw', createError ? [messageOf(createError)] : [])) return done()
  if (!r.rule('create() returns a hook with afterMapping()', checkCreatedHook(hook))) return done()
  const run: SampleRun = {
    r,
    hook: hook as MappingHook,
    storage: {},
    logger: context.logger,
    knownGroups: options.knownGroups ?? [],
    errors: [],
    unknown: new Set<string>(),
    outcomes,
  }
  for (const [i, sample] of options.users.entries()) checkSample(run, sample, i)
  const { errors, unknown } = run
  r.rule(
    'groups it adds are declared (extendedAdobeGroups or knownGroups)',
    [...unknown].map(
      (g) => `"${g}" is not declared: ust would ignore it ("Target adobe group ${g} is not known; ignored")`,
    ),
  )
  r.rule('secrets never appear in error messages or logs', leakedSecrets([...errors, ...lines], options.secrets ?? []))
  return done()
}

/** What the samples of one check share: the hook, one storage object (as in a run), and what they leave. */
interface SampleRun {
  r: Recorder
  hook: MappingHook
  storage: Record<string, unknown>
  logger: Logger
  knownGroups: string[]
  /** Messages of what `afterMapping` threw. */
  errors: string[]
  /** Groups added that are neither declared nor mapped already. */
  unknown: Set<string>
  outcomes: HookOutcome[]
}

/** Calls `afterMapping` on `users[i]` and records the rules it passes, its undeclared groups and its outcome. */
function checkSample(run: SampleRun, sample: HookSample, i: number): void {
  const { r } = run
  const before = new Set(sample.targetGroups ?? [])
  const known = new Set(
    [...before, ...(run.hook.extendedAdobeGroups ?? []), ...run.knownGroups].map((g) => g.toLowerCase()),
  )
  const user: MappingHookUser = {
    sourceAttributes: { ...sample.sourceAttributes },
    sourceGroups: new Set(sample.sourceGroups ?? []),
    targetAttributes: { ...sample.targetAttributes },
    targetGroups: new Set(before),
    storage: run.storage,
    logger: run.logger,
    ...(sample.origin ? { origin: sample.origin } : {}),
  }
  // Called directly, not through `attempt` (which would await a returned Promise and hide it).
  let returned: unknown
  let error: unknown
  try {
    returned = run.hook.afterMapping(user)
  } catch (thrown) {
    error = thrown
    run.errors.push(messageOf(thrown))
  }
  if (!r.rule(`afterMapping() of users[${i}] does not throw`, error ? [messageOf(error)] : [])) return
  r.rule(
    `afterMapping() of users[${i}] is synchronous`,
    typeof (returned as { then?: unknown })?.then === 'function'
      ? ['it returned a Promise, which ust does not await']
      : [],
  )
  if (!r.rule(`afterMapping() of users[${i}] leaves attributes and groups ust can use`, checkHookOutput(user))) return
  const groups = [...user.targetGroups].sort()
  for (const g of groups) if (!known.has(g.toLowerCase())) run.unknown.add(g)
  run.outcomes.push({ targetAttributes: user.targetAttributes, targetGroups: groups })
}
