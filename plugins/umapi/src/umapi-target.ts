import type {
  CheckResult,
  CommandResult,
  Endpoint,
  PlannedCommand,
  PluginContext,
  SnapshotScope,
  Target,
  TargetSnapshot,
  TargetStats,
} from '@ust-sync/api'
import { applyCommands } from './apply/apply-commands.js'
import { maxInFlight } from './apply/in-flight.js'
import { countEmails, singleMembershipChange } from './apply/group-centric.js'
import { runChecks } from './check/run-checks.js'
import { endpointsOf, UMAPI_CAPABILITIES, type UmapiSettings } from './config/umapi-settings.js'
import { readGroups, readSnapshot } from './snapshot/read-snapshot.js'
import { UmapiSession } from './umapi-session.js'

/**
 * A UMAPI org as a sync target. One instance per connector file (each secondary org has its own).
 * Creating it does not connect; the first call fetches a token.
 */
export class UmapiTarget implements Target {
  readonly capabilities = UMAPI_CAPABILITIES
  private readonly session: UmapiSession
  /** Lower-cased user-group names, once known (from a snapshot with groups, or read for packing). */
  private userGroups: Set<string> | undefined
  private nextRequestId = 1

  constructor(
    private readonly settings: UmapiSettings,
    private readonly context: PluginContext,
  ) {
    this.session = new UmapiSession(settings, context)
  }

  endpoints(): Endpoint[] {
    return endpointsOf(this.settings, this.context.tlsVerify)
  }

  async snapshot(scope: SnapshotScope): Promise<TargetSnapshot> {
    const snapshot = await this.tracked(`Reading users of org ${this.settings.orgId}`, undefined, () =>
      readSnapshot(this.session, scope, this.context.logger),
    )
    if (snapshot.groups)
      this.userGroups = new Set(snapshot.groups.filter((g) => g.type === 'userGroup').map((g) => g.name.toLowerCase()))
    return snapshot
  }

  async apply(commands: PlannedCommand[], options: { testOnly: boolean }): Promise<CommandResult[]> {
    const userGroups = await this.knownUserGroups(commands)
    const label = `Sending commands to org ${this.settings.orgId}`
    const outcome = await this.tracked(label, undefined, () =>
      applyCommands(commands, {
        session: this.session,
        logger: this.context.logger,
        testOnly: options.testOnly,
        userGroups,
        firstRequestId: this.nextRequestId,
        maxInFlight: maxInFlight(this.settings.rateLimits.action),
      }),
    )
    this.nextRequestId += outcome.requestIdsUsed
    return outcome.results
  }

  check(): Promise<CheckResult[]> {
    return runChecks(this.session.http, this.settings, this.context.clock, this.context.userAgent)
  }

  stats(): TargetStats {
    const pacers = Object.values(this.session.pacers)
    return {
      requests: pacers.reduce((n, p) => n + p.stats.admitted, 0),
      rateLimitWaitMs: pacers.reduce((n, p) => n + p.stats.waitedMs, 0) + this.session.http.throttledWaitMs,
    }
  }

  async close(): Promise<void> {}

  /** Runs `work` with a progress task the session ticks (pages read, entries sent) and shows waits on. */
  private async tracked<T>(label: string, total: number | undefined, work: () => Promise<T>): Promise<T> {
    const task = this.context.progress?.start(label, total)
    this.session.task = task
    try {
      return await work()
    } finally {
      this.session.task = undefined
      task?.end()
    }
  }

  /**
   * The org's user groups, read once when group-centric packing could save requests (two or more single
   * membership changes) and no snapshot listed them. Unreadable groups only cost the optimisation.
   */
  private async knownUserGroups(commands: readonly PlannedCommand[]): Promise<ReadonlySet<string>> {
    if (this.userGroups) return this.userGroups
    const emails = countEmails(commands)
    const candidates = commands.filter((c) => c.kind === 'user' && singleMembershipChange(c, 'any', emails)).length
    if (candidates < 2) return new Set()
    try {
      const groups = await readGroups(this.session)
      this.userGroups = new Set(groups.filter((g) => g.type === 'userGroup').map((g) => g.name.toLowerCase()))
      return this.userGroups
    } catch (error) {
      this.context.logger.warn(
        `could not list the org's groups, so membership changes are sent user by user: ${error instanceof Error ? error.message : String(error)}`,
      )
      return new Set()
    }
  }
}
