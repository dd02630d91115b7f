import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import { type Clock, ConfigError, ExitCode, isUstError, type Logger, type TargetStats } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import { writeMetricsFile } from '../run/metrics-file.js'
import { historyTable, runDetails } from '../run/render-history.js'
import { newRunId, RunHistory } from '../run/run-history.js'
import type { RunMode, RunOptionsRecord, RunRecord, RunStatus } from '../run/run-record.types.js'
import type { SyncOptions } from '../sync/options.types.js'
import type { SyncResult } from '../sync/summary.js'
import { Tokens } from '../tokens.js'

/** The typed result of `ust history` (what `--json` prints): the newest runs, oldest first. */
export interface HistoryListResult {
  records: RunRecord[]
}

/** What a sync run is asked to produce besides its result (the command's flags as parsed: undefined when not given). */
export interface RunRequestFiles {
  planOut?: string | undefined
  planIn?: string | undefined
  report?: string | undefined
  /** `--metrics-file` (wins over the config's `metrics_file`). */
  metricsFile?: string | undefined
}

function optionsRecord(options: SyncOptions): RunOptionsRecord {
  return {
    connector: options.connector.id,
    strategy: options.strategy,
    users: options.users.kind,
    adobeUsers: options.adobeUsers.kind,
    adobeOnlyUserAction: options.adobeOnlyUserAction.kind,
    processGroups: options.processGroups,
    updateUserInfo: options.updateUserInfo,
    testMode: options.testMode,
  }
}

function statusOf(exitCode: number): RunStatus {
  if (exitCode === ExitCode.ok) return 'ok'
  if (exitCode === ExitCode.limit) return 'limit'
  return exitCode === ExitCode.partial ? 'partial' : 'failed'
}

/**
 * One sync run being recorded: a marker while it runs, then its record in the history and, when asked,
 * the metrics file. Failing to record never changes the run's outcome: it is logged as an error.
 */
export class RunRecording {
  private metricsFile: string | undefined
  private stats: TargetStats[] = []

  constructor(
    private readonly history: RunHistory,
    private readonly clock: Clock,
    private readonly logger: Logger,
    readonly record: RunRecord,
    files: RunRequestFiles,
  ) {
    this.metricsFile = files.metricsFile
  }

  noteConfig(config: UstConfig): void {
    this.record.configFile = config.file
    this.metricsFile ??= config.metricsFile
  }

  noteOptions(options: SyncOptions): void {
    this.record.options = optionsRecord(options)
    if (this.record.mode === 'live' && options.testMode) this.record.mode = 'test'
  }

  /** The targets' traffic, read before they are closed. */
  noteStats(stats: TargetStats[]): void {
    this.stats = stats
  }

  /** Records a run that returned a result; the result gains the paths of the files written. */
  async finish(result: SyncResult): Promise<void> {
    const r = this.record
    r.exitCode = result.exitCode
    r.status = statusOf(result.exitCode)
    r.counts = result.counts
    r.summary = result.summary
    if (result.planFile) r.planFile = result.planFile
    if (result.planDigest) r.planDigest = result.planDigest
    if (result.reportFile) r.reportFile = result.reportFile
    await this.end(
      result.counts.actions.map((a) => a.target),
      {
        created: result.counts.usersCreated,
        updated: result.counts.usersUpdated,
        unchanged: result.counts.adobeUsersUnchanged,
        excluded: result.counts.adobeUsersExcluded,
        adobe_only: result.counts.adobeOnlyProcessed,
        secondary_created: result.counts.secondaryUsersCreated,
        failed: result.failures.length + result.errors.length,
      },
    )
    if (this.metricsFile) result.metricsFile = this.metricsFile
  }

  /** Records a run that stopped with an error (its code only: the message may name users). */
  async fail(error: unknown): Promise<void> {
    this.record.status = 'failed'
    this.record.exitCode = isUstError(error) ? error.exitCode : ExitCode.internal
    this.record.errorCode = isUstError(error) ? error.code : 'internal'
    await this.end([], undefined)
  }

  private async end(targets: string[], users: Record<string, number> | undefined): Promise<void> {
    const r = this.record
    const endedAt = this.clock.now()
    r.endedAt = new Date(endedAt).toISOString()
    r.durationMs = endedAt - Date.parse(r.startedAt)
    if (this.metricsFile) r.metricsFile = this.metricsFile
    await this.history
      .finish(r)
      .catch((e: unknown) => this.logger.error(`Could not record this run in the history: ${messageOf(e)}`))
    if (!this.metricsFile) return
    const requests = Object.fromEntries(targets.map((t, i) => [t, this.stats[i]?.requests ?? 0]))
    await writeMetricsFile(this.metricsFile, {
      endedAt,
      exitCode: r.exitCode ?? ExitCode.internal,
      durationMs: r.durationMs,
      ...(users ? { users } : {}),
      requests,
      rateLimitWaitMs: this.stats.reduce((n, s) => n + s.rateLimitWaitMs, 0),
    }).catch((e: unknown) => this.logger.error(`Could not write the metrics file ${this.metricsFile}: ${messageOf(e)}`))
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** The run history in the data dir: recording sync runs, `ust history` and `ust history show`. */
@injectable()
export class HistoryService {
  constructor(
    @inject(Tokens.OclifConfig) private readonly oclif: Config,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {}

  private history(): RunHistory {
    return new RunHistory(this.oclif.dataDir)
  }

  /** Starts recording a sync run (its marker says so until it ends: a crash leaves it). */
  async begin(files: RunRequestFiles): Promise<RunRecording> {
    const now = this.clock.now()
    const mode: RunMode = files.planOut ? 'plan-out' : files.planIn ? 'plan' : 'live'
    const record: RunRecord = {
      id: newRunId(now),
      command: 'sync',
      mode,
      status: 'running',
      startedAt: new Date(now).toISOString(),
      pid: process.pid,
      ustVersion: this.oclif.version,
      ...(files.report ? { reportFile: files.report } : {}),
    }
    const history = this.history()
    await history
      .begin(record)
      .catch((e: unknown) => this.logger.error(`Could not record this run in the history: ${messageOf(e)}`))
    return new RunRecording(history, this.clock, this.logger, record, files)
  }

  /** The newest `last` runs, oldest first. */
  async list(last: number): Promise<HistoryListResult> {
    const records = await this.history().list()
    return { records: last > 0 ? records.slice(-last) : records }
  }

  /** `ust history`'s lines. */
  renderList(result: HistoryListResult): string[] {
    return historyTable(result.records)
  }

  /** `ust history show`'s lines. */
  renderRecord(record: RunRecord): string[] {
    return runDetails(record)
  }

  /** One run, by id or a unique start of it. */
  async show(id: string): Promise<RunRecord> {
    const records = await this.history().list()
    const found = records.filter((r) => r.id === id)
    const matches = found.length > 0 ? found : records.filter((r) => r.id.startsWith(id))
    if (matches.length === 1) return matches[0] as RunRecord
    throw new ConfigError(
      matches.length === 0 ? `No run "${id}" in the history` : `"${id}" matches ${matches.length} runs in the history`,
      { code: 'config.unknown-run', suggestions: ['`ust history` lists the runs and their ids'] },
    )
  }
}
