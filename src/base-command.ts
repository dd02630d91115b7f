import type { Interfaces } from '@oclif/core'
import { Command } from '@oclif/core/command'
import * as Flags from '@oclif/core/flags'
import type { DependencyContainer } from 'tsyringe'
import { ExitCode, isUstError } from '@ust-sync/api'
import { createContainer } from './composition-root.js'
import { LOG_LEVELS, type LogLevel } from './log/process-logger.js'
import { Redactor } from './log/redactor.js'

/**
 * Base of every ust command: the shared flags (`-c/--config-filename`, `--json`: the typed result on stdout,
 * nothing else, `--log-level`), declared once here as oclif `baseFlags`, a service container, and errors rendered as "what happened / what to do" with the error's exit code, every message
 * passed through the redactor (an unexpected error too: it exits 1, `internal`).
 */
export abstract class UstCommand extends Command {
  /** oclif adds `--json` to {@link baseFlags}. */
  static enableJsonFlag = true
  static baseFlags = {
    config: Flags.string({
      char: 'c',
      aliases: ['config-filename'],
      description: 'main config file (default: user-sync-config.yml, ust.config.yml, .ustrc… searched upwards)',
      helpGroup: 'GLOBAL',
    }),
    'log-level': Flags.option({ options: LOG_LEVELS, description: 'console log level', helpGroup: 'GLOBAL' })(),
  }

  /** `--config-file-encoding`, for the commands that read the config files. */
  static readonly encodingFlag = {
    'config-file-encoding': Flags.string({ description: 'encoding of the config files', default: 'utf8' }),
  }

  private container?: DependencyContainer
  /** The shared flags as parsed in {@link init}, before `run`. */
  private shared: { config?: string; 'log-level'?: LogLevel; 'config-file-encoding'?: string } = {}

  /** Parses the command line once before `run`, for the flags every service needs (log level, config file). */
  async init(): Promise<void> {
    await super.init()
    const { flags } = await this.parse(this.ctor)
    this.shared = flags as typeof this.shared
  }

  /** The service container of this run (created on first use, at the log level of `--log-level`). */
  protected get services(): DependencyContainer {
    this.container ??= createContainer(this.config, {
      logLevel: this.shared['log-level'] ?? (this.jsonEnabled() ? 'warn' : undefined),
      logTo: this.jsonEnabled() ? 'stderr' : 'stdout',
      location: {
        configFile: this.shared.config,
        cwd: process.cwd(),
        encoding: this.shared['config-file-encoding'],
      },
    })
    return this.container
  }

  /**
   * Ends the command with `result` and `exitCode`: oclif prints the result with `--json` (as for any
   * command's return value), and the process exits with the code once the command is done (bin/run.js).
   */
  protected finish<T>(result: T, exitCode: number): T {
    if (exitCode !== 0) process.exitCode = exitCode
    return result
  }

  /** The `--json` form of an error: `{error: {code, message, suggestions, exitCode}}`, every text redacted. */
  toErrorJson(error: unknown): { error: { code: string; message: string; suggestions: string[]; exitCode: number } } {
    const { code, message, suggestions, exitCode } = this.described(error)
    return { error: { code, message, suggestions, exitCode } }
  }

  protected async catch(error: Interfaces.CommandError): Promise<unknown> {
    // this.exit() throws oclif's ExitError: only the code matters.
    if ((error as { code?: unknown }).code === 'EEXIT') throw error
    // oclif's own errors (unknown flag, bad value, ...) keep oclif's rendering.
    if (!isUstError(error) && 'oclif' in error) return super.catch(error)
    const described = this.described(error)
    if (this.jsonEnabled()) this.logJson(this.toErrorJson(error))
    else {
      this.logToStderr(`Error: ${described.message}`)
      for (const suggestion of described.suggestions) this.logToStderr(`  → ${suggestion}`)
    }
    // At debug level: where it happened, through every cause (a plugin's TypeError inside a PluginError).
    if (this.shared['log-level'] === 'debug') this.logToStderr(described.trace)
    return this.exit(described.exitCode)
  }

  /** An error as ust reports it, every text passed through the redactor. */
  private described(error: unknown) {
    const redact = (s: string) => this.services.resolve(Redactor).redact(s)
    const known = isUstError(error)
    const message = error instanceof Error ? error.message : String(error)
    return {
      code: known ? error.code : 'internal',
      exitCode: known ? error.exitCode : ExitCode.internal,
      message: redact(message),
      suggestions: (known
        ? error.suggestions
        : [
            'This is a bug in ust or in a plugin: please report it with the output of `ust info` and of this command with --log-level debug',
          ]
      ).map(redact),
      trace: redact(traceOf(error)),
    }
  }
}

/** The stack of `error` and of each error in its `cause` chain (at most 8 deep). */
function traceOf(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const text = current instanceof Error ? (current.stack ?? `${current.name}: ${current.message}`) : String(current)
    parts.push(depth === 0 ? text : `Caused by: ${text}`)
    current = current instanceof Error ? current.cause : undefined
  }
  return parts.join('\n')
}
