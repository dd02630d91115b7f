import {
  checkReadResult,
  type ConnectorConfig,
  type IdentitySource,
  type IdentitySourceDefinition,
  isUstError,
  type PluginContext,
  type SourceSelection,
} from '@ust-sync/api'
import { definitionProblems, schemaProblems } from './check-definition.js'
import { attempt, type ConformanceReport, messageOf, Recorder } from './report.js'
import { checkSelectionModes } from './source-modes.js'
import { leakedSecrets, secretValues, testContext } from './test-context.js'

/** Options of {@link checkIdentitySource}. */
export interface SourceCheckOptions {
  /** A connector config (as after schema validation) with which `read` succeeds. */
  config: ConnectorConfig
  /** What to read (default: every user). */
  selection?: SourceSelection
  /**
   * A config with which the read cannot complete (a missing file, an unreachable host, a bad password):
   * `read` must reject (never resolve with what it managed to read). Without it, that rule is skipped.
   */
  failingConfig?: ConnectorConfig
  /**
   * More configs with which the read cannot complete, by what fails (e.g. `{'page 2 fails': {…}}` against
   * a test server that breaks the second page): each read must reject, never resolve with the pages read.
   */
  failures?: Record<string, ConnectorConfig>
  /**
   * Extra attributes the test directory has (`extended_attributes`): reading with them must fill each in
   * some user's `attributes`. Without them, an attribute no directory has is asked (no error, same users).
   */
  extendedAttributes?: string[]
  /** Values that must never be logged, besides the connector's declared secrets. */
  secrets?: string[]
  /** Directory relative paths in the config resolve against (default: cwd). */
  configDir?: string
}

const ALL: SourceSelection = { groups: [], allUsers: true, extendedAttributes: [] }

/**
 * Checks an identity source against the contract: definition and schema (unknown keys rejected), `create`
 * does not throw, `read` returns valid users, a second read returns the same, every selection mode (a
 * group's members, a group the directory lacks, extended attributes; when no `selection` is given), each
 * failing read (`failingConfig`, `failures`: a page that fails, an unreachable host) rejects
 * (with a ust error class, so the right exit code follows), and no secret reaches a log line or an error
 * message. Throws a ContractViolation listing every problem; returns what passed and what was skipped.
 */
export async function checkIdentitySource(
  definition: IdentitySourceDefinition,
  options: SourceCheckOptions,
): Promise<ConformanceReport> {
  const r = new Recorder(`identity source "${definition?.id}"`)
  r.rule(
    'definition has kind, id, description and create()',
    definitionProblems(definition, 'identitySource', ['create']),
  )
  r.rule('connector schema rejects unknown keys', schemaProblems(definition))
  const { context, lines } = testContext({ configDir: options.configDir })
  const secrets = [
    ...secretValues(options.config, definition.connector?.secrets?.map((s) => s.key) ?? []),
    ...(options.secrets ?? []),
  ]
  const errors: string[] = []
  const selection = options.selection ?? ALL

  const [source, createError] = await attempt(() => definition.create(options.config, context))
  if (!r.rule('create() returns a source without throwing', createError ? [messageOf(createError)] : []))
    return r.finish()
  await checkReads(r, source!, selection, options, errors)
  await attempt(() => source?.close?.())

  const failures = Object.entries({
    ...(options.failingConfig ? { failingConfig: options.failingConfig } : {}),
    ...options.failures,
  })
  for (const [what, config] of failures) await checkFailingRead(r, definition, context, what, config, selection, errors)
  if (failures.length === 0) r.skip('a read that cannot complete throws', 'no failingConfig given')

  r.rule('secrets never appear in logs or error messages', leakedSecrets([...lines, ...errors], secrets))
  return r.finish()
}

/**
 * The reads with the working config: the first resolves with a valid result, a second returns the same
 * users, and (without a `selection` of the caller's) every selection mode behaves. Read errors go to `errors`.
 */
async function checkReads(
  r: Recorder,
  source: IdentitySource,
  selection: SourceSelection,
  options: SourceCheckOptions,
  errors: string[],
): Promise<void> {
  const [first, readError] = await attempt(() => source.read(selection))
  if (readError) errors.push(messageOf(readError))
  if (!r.rule('read() resolves', readError ? [messageOf(readError)] : [])) return
  r.rule('read() returns users and warnings as the contract describes', checkReadResult(first))
  const [second, again] = await attempt(() => source.read(selection))
  r.rule(
    'a second read() returns the same users',
    again
      ? [messageOf(again)]
      : JSON.stringify(second?.users) === JSON.stringify(first?.users)
        ? []
        : ['the two reads differ: a source must be deterministic for the same directory'],
  )
  if (checkReadResult(first).length === 0 && !options.selection)
    await checkSelectionModes(source, first!.users, r, errors, options.extendedAttributes)
}

/**
 * A read with a config it cannot complete with (`what`: `failingConfig` or a key of `failures`) rejects,
 * with a ust error class; the error goes to `errors`.
 */
async function checkFailingRead(
  r: Recorder,
  definition: IdentitySourceDefinition,
  context: PluginContext,
  what: string,
  config: ConnectorConfig,
  selection: SourceSelection,
  errors: string[],
): Promise<void> {
  const [failing, failingCreate] = await attempt(() => definition.create(config, context))
  const [partial, error] = failingCreate ? [undefined, failingCreate] : await attempt(() => failing!.read(selection))
  if (error) errors.push(messageOf(error))
  const rule = (text: string) => (what === 'failingConfig' ? text : `${text} (${what})`)
  r.rule(
    rule('a read that cannot complete throws (never returns partial results)'),
    error ? [] : [`read() resolved with ${partial?.users?.length ?? 0} users; the contract wants it to reject`],
  )
  if (error)
    r.rule(
      rule('the failure is a ust error (SourceError, NetworkError, CredentialError or ConfigError from @ust-sync/api)'),
      isUstError(error) ? [] : [`got a plain ${(error as Error)?.name ?? typeof error}: ${messageOf(error)}`],
    )
  await attempt(() => failing?.close?.())
}
