import { Command, Flags, type Interfaces } from '@oclif/core'
import type { DependencyContainer } from 'tsyringe'
import { isUstError } from './api/index.js'
import { createContainer } from './composition-root.js'
import { LOG_LEVELS, type LogLevel } from './log/console-logger.js'
import { Redactor } from './log/redactor.js'

/**
 * Base of every ust command: `--json` (the typed result on stdout, nothing else), `--log-level`, a service
 * container, and errors rendered as "what happened / what to do" with the error's exit code.
 */
export abstract class UstCommand extends Command {
  static enableJsonFlag = true
  static baseFlags = {
    'log-level': Flags.option({ options: LOG_LEVELS, description: 'console log level', helpGroup: 'GLOBAL' })(),
  }

  protected services!: DependencyContainer

  async init(): Promise<void> {
    await super.init()
    const { flags } = await this.parse({ flags: this.ctor.flags, baseFlags: (this.ctor as typeof UstCommand).baseFlags, args: this.ctor.args, strict: this.ctor.strict })
    const level = (flags as Interfaces.FlagOutput)['log-level'] as LogLevel | undefined
    this.services = createContainer(this.config, { logLevel: level ?? (this.jsonEnabled() ? 'warn' : 'info') })
  }

  protected async catch(error: Interfaces.CommandError): Promise<unknown> {
    if (!isUstError(error)) return super.catch(error)
    const redact = (s: string) => (this.services ? this.services.resolve(Redactor).redact(s) : s)
    const message = redact(error.message)
    if (this.jsonEnabled()) {
      this.logJson({ error: { code: error.code, message, suggestions: error.suggestions.map(redact), exitCode: error.exitCode } })
    } else {
      this.logToStderr(`Error: ${message}`)
      for (const suggestion of error.suggestions) this.logToStderr(`  → ${redact(suggestion)}`)
    }
    return this.exit(error.exitCode)
  }
}
