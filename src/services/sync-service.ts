import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import { ConfigError, isUstError, type Clock, type Progress, type Target, type TargetStats } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import { levelOf, logFileSink } from '../log/log-file.js'
import type { LogLevel, ProcessLogger } from '../log/process-logger.js'
import type { PluginRegistry } from '../plugins/plugin-registry.js'
import { resolveSyncOptions, type RawSyncFlags } from '../sync/resolve-options.js'
import { renderHtmlReport } from '../run/html-report.js'
import { fingerprintOf } from '../run/plan-file.js'
import { checkOutputPath, writePrivateFile } from '../fs/private-file.js'
import { runSync } from '../run/run-sync.js'
import { type PlanView, planView } from '../sync/plan-view.js'
import type { SyncResult } from '../sync/summary.js'
import { Tokens } from '../tokens.js'
import { NetworkService } from './network-service.js'
import { ConfigService, type ConfigLocation } from './config-service.js'
import { ConnectorFactory, type ConnectorSetup } from './connector-factory.js'
import { limitHeapGrowth } from '../run/heap-growth.js'
import { HistoryService, type RunRecording, type RunRequestFiles } from './history-service.js'
import { createRunHook } from './mapping-hook-step.js'
import { PluginService } from './plugin-service.js'

/** One `ust sync` invocation. */
export interface SyncRequest extends RunRequestFiles {
  location: ConfigLocation
  flags: RawSyncFlags
  /** `sign`: `ust sign-sync`, which needs a UST Sign Sync config (and `ust sync` refuses one). Default `sync`. */
  kind?: 'sync' | 'sign'
}

/**
 * Runs `ust sync`: loads and validates the configuration, resolves the options, creates the identity
 * source and the targets from the registry (secrets resolved through the credential layer) and hands
 * them to the sync engine.
 */
@injectable()
export class SyncService {
  constructor(
    private readonly configs: ConfigService,
    private readonly plugins: PluginService,
    private readonly connectors: ConnectorFactory,
    private readonly network: NetworkService,
    @inject(Tokens.Logger) private readonly logger: ProcessLogger,
    @inject(Tokens.LogLevelFlag) private readonly logLevelFlag: { level?: LogLevel },
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.OclifConfig) private readonly oclif: Config,
    @inject(Tokens.Progress) private readonly progress: Progress,
    private readonly history: HistoryService,
  ) {}

  /** A run, recorded in the history (and the metrics file) however it ends. */
  async run(request: SyncRequest): Promise<SyncResult> {
    const recording = await this.history.begin(request)
    let result: SyncResult
    try {
      result = await this.runConfigured(request, recording)
    } catch (error) {
      await recording.fail(error)
      throw error
    }
    await recording.finish(result)
    return result
  }

  private async runConfigured(request: SyncRequest, recording: RunRecording): Promise<SyncResult> {
    const { config, warnings } = await this.configs.load(request.location)
    checkConfigKind(config, request.kind ?? 'sync')
    recording.noteConfig(config)
    this.applyLogging(config)
    const started = this.clock.now()
    try {
      return await this.runLogged(request, config, warnings, recording)
    } catch (error) {
      // UST's log file keeps the reason a run ended, and its end line (with the console's CRITICAL line).
      const message = error instanceof Error ? error.message : String(error)
      this.logger.critical(isUstError(error) ? message : `Unexpected error: ${message}`)
      // The console shows what to do under the error; the log file keeps it too.
      if (isUstError(error)) for (const suggestion of error.suggestions) this.logger.keep('critical', `→ ${suggestion}`)
      this.logger.info(`==== End Run (Total time: ${formatDuration(this.clock.now() - started)}) ====`)
      throw error
    }
  }

  private async runLogged(
    request: SyncRequest,
    config: UstConfig,
    warnings: readonly string[],
    recording: RunRecording,
  ): Promise<SyncResult> {
    for (const warning of warnings) this.logger.warn(warning)
    const options = resolveSyncOptions(request.flags, config.invocationDefaults, config, this.logger)
    recording.noteOptions(options)
    if (request.report) await checkOutputPath(request.report, '--report')
    this.logger.info(
      `==== Start Run (ust version: ${this.oclif.version})${options.testMode ? ' (TEST MODE)' : ''} ====`,
    )
    const heapFlags = limitHeapGrowth()
    this.logger.info(
      `node ${process.version} (${heapFlags.join(' ')}) on ${process.platform} ${process.arch}; config ${config.file}`,
    )
    // Proxy and CA for the whole process, before any plugin connects; TLS verification is never turned
    // off process-wide: ssl_cert_verify / ssl_verify reach plugins as `tlsVerify`, scoped to their hosts.
    const network = await this.network.prepare(config)
    if (!options.sslCertVerify || !network.sslVerify)
      this.logger.warn(
        `SSL certificate verification is bypassed for the connectors' hosts (${!options.sslCertVerify ? 'invocation_defaults.ssl_cert_verify' : 'network.ssl_verify'}: False); other connections are still verified. Consider trusting your proxy's CA with network.ca_file instead.`,
      )
    const registry = await this.plugins.registry()
    const setup: ConnectorSetup = {
      registry,
      config,
      network,
      access: this.network.access,
      secrets: 'resolve',
      sslCertVerify: options.sslCertVerify,
      progress: this.progress,
    }
    // An --adobe-only-user-list run never reads a directory: no source is created (nor its secrets resolved).
    const { id, path } = options.connector
    const source = options.adobeOnlyUserList
      ? undefined
      : await this.connectors.source(
          setup,
          id,
          path === undefined ? undefined : { value: path, cwd: request.location.cwd },
        )
    if (source?.endpoints) this.network.checkEndpoints(options.connector.id, source.endpoints())
    const targets = new Map<string, Target>()
    try {
      const extension = config.directoryUsers.extension
      const hook =
        extension && createRunHook(registry, config, this.connectors.context(setup, extension.plugin, undefined))
      for (const connector of config.adobeUsers.targets) {
        const target = await this.connectors.target(setup, connector)
        targets.set(connector.name, target)
        this.network.checkEndpoints(`${connector.pluginId} (${connector.name})`, target.endpoints())
      }
      if (options.testMode) refuseWithoutTestMode(registry, config, targets)
      const started = this.clock.now()
      let view: PlanView | undefined
      const result = await runSync({
        config,
        options,
        ...(source === undefined ? {} : { source }),
        targets,
        ...(hook === undefined ? {} : { hook }),
        logger: this.logger,
        clock: this.clock,
        progress: this.progress,
        ...planFiles(request),
        dataDir: this.oclif.dataDir,
        onOutcome: (plan) => {
          if (request.report) view = planView(plan)
        },
      })
      if (request.report && view) {
        await writePrivateFile(
          request.report,
          renderHtmlReport({
            result,
            view,
            mode: recording.record.mode,
            ustVersion: this.oclif.version,
            generatedAt: new Date(this.clock.now()).toISOString(),
            configDigest: await fingerprintOf(config, options),
            ...(result.planDigest ? { planDigest: result.planDigest } : {}),
          }),
        )
        result.reportFile = request.report
        this.logger.info(`Report written to ${request.report}`)
      }
      this.logger.info(`==== End Run (Total time: ${formatDuration(this.clock.now() - started)}) ====`)
      return result
    } finally {
      recording.noteStats(config.adobeUsers.targets.map(({ name }) => statsOf(targets.get(name))))
      await Promise.allSettled([source?.close?.(), ...[...targets.values()].map((t) => t.close?.())])
    }
  }

  /** UST's `logging:` section: the console level (unless `--log-level` was given) and the log file. */
  private applyLogging(config: UstConfig): void {
    if (this.logLevelFlag.level === undefined) {
      for (const sink of this.logger.sinks)
        sink.level = levelOf(config.logging.consoleLogLevel, 'logging.console_log_level', config.file)
    }
    const file = logFileSink(config, new Date(this.clock.now()))
    if (file) this.logger.addSink(file)
  }
}

/** `ust sync` runs a user-sync config, `ust sign-sync` a Sign Sync config; each refuses the other's. */
function checkConfigKind(config: UstConfig, kind: 'sync' | 'sign'): void {
  if (kind === 'sign' && !config.sign)
    throw new ConfigError(
      `${config.file} is not a UST Sign Sync config (sign_orgs, identity_source, user_management)`,
      {
        code: 'config.not-sign-sync',
        suggestions: ['Run it with `ust sync`, or give a sign-sync-config.yml with -c'],
      },
    )
  if (kind === 'sync' && config.sign)
    throw new ConfigError(`${config.file} is a UST Sign Sync config`, {
      code: 'config.sign-sync-config',
      suggestions: [`Run it with \`ust sign-sync -c ${config.file}\``],
    })
}

/** `-t` against a target that cannot validate without applying: refused before anything is read. */
function refuseWithoutTestMode(registry: PluginRegistry, config: UstConfig, targets: ReadonlyMap<string, Target>) {
  for (const connector of config.adobeUsers.targets) {
    if (targets.get(connector.name)?.capabilities.testMode !== false) continue
    const plugin = registry.ownerOf('target', connector.pluginId) ?? 'its plugin'
    throw new ConfigError(
      `Test mode (-t) was asked, but the target "${connector.pluginId}" (${plugin}) has no test mode: it cannot check changes without making them. Nothing was read or changed`,
      {
        code: 'config.test-mode-unsupported',
        suggestions: [
          'Use `ust sync --plan-out plan.json` to see what would change without contacting the target for writes',
        ],
      },
    )
  }
}

/** A target's traffic for the metrics; none when it keeps no count (or its stats() is broken: the run's outcome stands). */
function statsOf(target: Target | undefined): TargetStats {
  try {
    return target?.stats?.() ?? { requests: 0, rateLimitWaitMs: 0 }
  } catch {
    return { requests: 0, rateLimitWaitMs: 0 }
  }
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** `--plan-out` and `--plan` as {@link runSync} takes them: only those given. */
function planFiles(request: RunRequestFiles): { planOut?: string; planIn?: string } {
  return {
    ...(request.planOut === undefined ? {} : { planOut: request.planOut }),
    ...(request.planIn === undefined ? {} : { planIn: request.planIn }),
  }
}
