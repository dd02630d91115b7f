import {
  checkCapabilities,
  checkCommandResults,
  checkSnapshot,
  type CommandResult,
  type ConnectorConfig,
  type PlannedCommand,
  type Target,
  type TargetDefinition,
  type TargetSnapshot,
} from '@ust-sync/api'
import { definitionProblems, schemaProblems } from './check-definition.js'
import { attempt, type ConformanceReport, messageOf, Recorder } from './report.js'
import { leakedSecrets, secretValues, testContext } from './test-context.js'

/** Options of {@link checkTarget}. */
export interface TargetCheckOptions {
  /**
   * Returns the connector config of a target in a fresh, known state (e.g. a new temporary org file or
   * an emptied test tenant). Called once: the checks change that target.
   */
  fresh: () => ConnectorConfig | Promise<ConnectorConfig>
  /** Commands to apply (default: create a user group when the target can, and a user added to it). */
  commands?: PlannedCommand[]
  /** Values that must never be logged, besides the connector's declared secrets. */
  secrets?: string[]
  configDir?: string
}

/** The default batch: a user group (when the target creates groups) and a new user in it. */
export function sampleCommands(snapshot: TargetSnapshot, canCreateGroups: boolean): PlannedCommand[] {
  const group = canCreateGroups ? 'ust testkit group' : snapshot.groups?.find((g) => g.type === 'userGroup')?.name
  const commands: PlannedCommand[] = []
  if (canCreateGroups)
    commands.push({ kind: 'createGroup', id: 'testkit:1', name: group!, description: 'made by the ust testkit' })
  const email = 'testkit.user@example.com'
  commands.push({
    kind: 'user',
    id: 'testkit:2',
    user: { identityType: 'federatedID', email, username: email, domain: 'example.com' },
    create: { firstname: 'Test', lastname: 'Kit', country: 'US', onConflict: 'ignore' },
    ...(group ? { addGroups: [group.toLowerCase()] } : {}),
  })
  return commands
}

const normal = (s: TargetSnapshot | undefined) =>
  JSON.stringify(
    (s?.users ?? [])
      .map((u) => ({ ...u, email: u.email.toLowerCase(), groups: [...u.groups].map((g) => g.toLowerCase()).sort() }))
      .sort((a, b) => a.email.localeCompare(b.email)),
  )

const failedOf = (results: CommandResult[] | undefined) =>
  (results ?? [])
    .filter((x) => x.status !== 'done')
    .map((x) => `${x.commandId} failed: ${(x.errors ?? []).map((e) => `${e.code} ${e.message}`).join('; ')}`)

/**
 * Checks a target against the contract: definition and schema, capabilities, a valid snapshot, one
 * result per command, test mode changing nothing (when the target claims it), the batch applied, and a
 * second run of the same user commands succeeding without changing anything (idempotence). Group names in
 * commands are lower-cased, as the engine sends them. Throws a ContractViolation listing every problem.
 */
export async function checkTarget(
  definition: TargetDefinition,
  options: TargetCheckOptions,
): Promise<ConformanceReport> {
  const r = new Recorder(`target "${definition?.id}"`)
  r.rule('definition has kind, id, description and create()', definitionProblems(definition, 'target', ['create']))
  r.rule('connector schema rejects unknown keys', schemaProblems(definition))
  const config = await options.fresh()
  const { context, lines } = testContext({ configDir: options.configDir })
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
  r.rule('capabilities say testMode and createGroups', checkCapabilities(target.capabilities))
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
  r.rule('snapshot() returns users (and groups when asked) as the contract describes', checkSnapshot(before, scope))
  const commands = options.commands ?? sampleCommands(before, target.capabilities.createGroups)
  const userCommands = commands.filter((c) => c.kind === 'user')

  if (target.capabilities.testMode) {
    const results = await step('apply() in test mode resolves', () => target.apply(commands, { testOnly: true }))
    r.rule('apply() in test mode returns one result per command', checkCommandResults(results, commands))
    const after = await step('snapshot() after test mode', () => read(target))
    r.rule(
      'test mode changes nothing',
      normal(after) === normal(before) ? [] : ['the snapshot changed after apply(…, {testOnly: true})'],
    )
  } else r.skip('test mode changes nothing', 'capabilities.testMode is false: ust refuses -t for this target')

  const applied = await step('apply() resolves', () => target.apply(commands, { testOnly: false }))
  r.rule('apply() returns one result per command', checkCommandResults(applied, commands))
  r.rule('apply() carries out the batch', failedOf(applied))
  const first = await step('snapshot() after apply', () => read(target))
  const again = await step('a second run of the same user commands resolves', () =>
    target.apply(userCommands, { testOnly: false }),
  )
  r.rule('a second run reports one result per command, all done', [
    ...checkCommandResults(again, userCommands),
    ...failedOf(again),
  ])
  const second = await step('snapshot() after the second run', () => read(target))
  r.rule(
    'a second run changes nothing (idempotent)',
    normal(second) === normal(first) ? [] : ['the snapshot changed on the second run'],
  )
  await attempt(() => target.close?.())

  r.rule('secrets never appear in logs or error messages', leakedSecrets([...lines, ...errors], secrets))
  return r.finish()
}
