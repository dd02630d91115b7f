import 'reflect-metadata'
import type { Config } from '@oclif/core'
import { container, type DependencyContainer } from 'tsyringe'
import type { MainFileLocation } from './config/main-file.js'
import { ProcessLogger, showsInfo, stderrSink, stdoutSink, type LogLevel } from './log/process-logger.js'
import { StatusLineProgress } from './log/progress.js'
import { Redactor } from './log/redactor.js'
import { systemClock } from './log/system-clock.js'
import { NetworkService } from './services/network-service.js'
import { ConfigCheckService } from './services/config-check-service.js'
import { ConfigService } from './services/config-service.js'
import { ConnectorFactory } from './services/connector-factory.js'
import { CredentialsCommandService } from './services/credentials-command-service.js'
import { CredentialAdmin } from './services/credentials/credential-admin.js'
import { InfoService } from './services/info-service.js'
import { InitService } from './services/init-service.js'
import { MainFileService } from './services/main-file-service.js'
import { NetCheckService } from './services/net-check-service.js'
import { CredentialService } from './services/credential-service.js'
import { PluginService } from './services/plugin-service.js'
import { HistoryService } from './services/history-service.js'
import { PlanService } from './services/plan-service.js'
import { SyncService } from './services/sync-service.js'
import { Tokens } from './tokens.js'

/** Options of the composition root. */
export interface ContainerOptions {
  /**
   * `--log-level` (forwarded as parsed, so possibly undefined); when absent the console shows `info` (or what
   * the config's `console_log_level` says).
   */
  logLevel?: LogLevel | undefined
  /** Where the console log goes: stdout as UST (default), stderr with `--json` (stdout is the JSON document). */
  logTo?: 'stdout' | 'stderr'
  /** The command's `-c` and `--config-file-encoding` (default: discover from the working directory). */
  location?: MainFileLocation
}

/**
 * The composition root: one child container per command run, holding every core service. Commands ask
 * it for a service and render the result; tests swap any service with `registerInstance` on the returned
 * container before resolving.
 */
export function createContainer(config: Config, options: ContainerOptions = {}): DependencyContainer {
  const c = container.createChildContainer()
  const redactor = new Redactor()
  c.registerInstance(Redactor, redactor)
  c.registerInstance(Tokens.OclifConfig, config)
  // The console log goes to stdout as UST's (stderr with --json); progress is a status line on stderr, shown
  // on a terminal while that log shows info lines, and every log line goes through it so the two never mix.
  const level = options.logLevel ?? 'info'
  const sink =
    options.logTo === 'stderr'
      ? stderrSink(level, (line) => progress.print(line))
      : stdoutSink(level, (line) => progress.print(line, process.stdout))
  const progress = new StatusLineProgress(process.stderr, () => showsInfo(sink.level), systemClock)
  c.registerInstance(Tokens.Logger, ProcessLogger.create(redactor, [sink]))
  c.registerInstance(Tokens.Progress, progress)
  c.registerInstance(Tokens.LogLevelFlag, { level: options.logLevel })
  c.registerInstance(Tokens.Clock, systemClock)
  c.registerInstance(Tokens.ConfigLocation, options.location ?? { cwd: process.cwd() })
  // Every injectable service, one instance per command run (test/composition-root.test.ts checks the list).
  for (const service of [
    MainFileService,
    PluginService,
    ConfigService,
    ConfigCheckService,
    CredentialService,
    CredentialAdmin,
    CredentialsCommandService,
    ConnectorFactory,
    NetworkService,
    NetCheckService,
    SyncService,
    PlanService,
    HistoryService,
    InfoService,
    InitService,
  ] as const)
    c.registerSingleton(service as new (...args: never[]) => unknown)
  return c
}
