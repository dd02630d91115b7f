import { dirname } from 'node:path'
import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import {
  type BackendAvailability,
  type Clock,
  type CredentialBackendContext,
  CredentialError,
  isUstError,
  PluginError,
  type SecretSpec,
} from '@ust-sync/api'
import { getAt, parseDottedPath } from '../config/key-path.js'
import type { ConnectorFile, SecretReference, UstConfig } from '../config/types.js'
import {
  type BackendChoice,
  type BackendSettings,
  chooseBackend,
  DEFAULT_ORDER,
  namedBackend,
} from '../credentials/choose-backend.js'
import { type LookupSource, readSecret, resolveSecrets } from '../credentials/resolve-secrets.js'
import { canPrompt, promptHidden } from '../credentials/terminal-input.js'
import type { ProcessLogger } from '../log/process-logger.js'
import { Redactor } from '../log/redactor.js'
import { Tokens } from '../tokens.js'
import { PluginService } from './plugin-service.js'

/** The backend named by a loaded config (`credentials.backend`), for {@link CredentialService.resolve}. */
export function backendSettingsOf(config: UstConfig): BackendSettings {
  return { configured: config.credentials.backend, configFile: config.file }
}

/** A credential backend as `ust info` shows it. */
export interface BackendStatus {
  id: string
  plugin: string
  description: string
  readOnly: boolean
  /** In the default order (used without being named). */
  default: boolean
  available: boolean
  detail: string
  /** When unavailable: what to do, one step each. */
  suggestions?: string[]
}

/** Options of {@link CredentialService.choose}. */
export interface ChooseOptions extends BackendSettings {
  /** Directory of the main config file (the backend's `configDir`), else the working directory. */
  configDir?: string
  /** Whether a backend may ask on the terminal (e.g. the file backend's passphrase). Default: when stdin is a terminal. */
  interactive?: boolean
}

/** Stands in for every `secure_X_key` secret where none may be read. */
const PLACEHOLDERS = {
  lookup: async () => 'ust-placeholder-secret',
  backend: 'none (placeholders)',
  chosenBy: 'ust config validate',
}

/**
 * Chooses the one credential backend of a run (see choose-backend.ts) and resolves `secure_X_key`
 * references through it. Every secret it hands out — and every secret written in plain text in a
 * connector file — is registered with the redactor, so it can never reach a log line, an error or `--json`.
 */
@injectable()
export class CredentialService {
  private chosen?: { key: string; choice: Promise<BackendChoice> }

  constructor(
    private readonly plugins: PluginService,
    private readonly redactor: Redactor,
    @inject(Tokens.Logger) private readonly logger: ProcessLogger,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.OclifConfig) private readonly oclif: Config,
  ) {}

  /** The backend answering this run (chosen once per settings, then reused). */
  choose(options: ChooseOptions = {}): Promise<BackendChoice> {
    const key = JSON.stringify([options.flag, options.configured, options.configFile])
    if (this.chosen?.key !== key) {
      const choice = this.plugins.registry().then(async (registry) => {
        const context = this.context(options)
        try {
          return await chooseBackend(registry.credentialBackends(), options, context)
        } catch (error) {
          throw asPluginError(error, namedBackend(options)?.id ?? 'the default backend')
        }
      })
      this.chosen = { key, choice }
      void choice
        .then((c) => this.logger.debug(`credential backend: ${c.id} (${c.chosenBy}): ${c.detail}`))
        .catch(() => {})
    }
    return this.chosen.choice
  }

  /**
   * Connector values with every secret filled in; `specs` are the secrets the contribution declares.
   * `settings` name the backend (the main config's `credentials.backend`); it is chosen only when the
   * connector has a `secure_X_key` reference.
   */
  async resolve(
    connector: ConnectorFile,
    specs: readonly SecretSpec[] = [],
    settings: BackendSettings = {},
  ): Promise<Record<string, unknown>> {
    const values =
      connector.secrets.length === 0
        ? connector.values
        : await resolveSecrets(connector, await this.source(settings, connector.secrets[0]!))
    return this.redacted(values, specs)
  }

  /**
   * Connector values as {@link resolve} gives them, but with a placeholder for every `secure_X_key`
   * secret: no backend is chosen or read (`ust config validate`). Secrets written in plain text are
   * registered with the redactor all the same.
   */
  async withPlaceholders(
    connector: ConnectorFile,
    specs: readonly SecretSpec[] = [],
  ): Promise<Record<string, unknown>> {
    const values = await resolveSecrets(connector, PLACEHOLDERS)
    return this.redacted(values, specs)
  }

  /** Registers the secrets `specs` name in `values` with the redactor; returns `values`. */
  private redacted(values: Record<string, unknown>, specs: readonly SecretSpec[]): Record<string, unknown> {
    for (const spec of specs) {
      if (spec.redact === false) continue
      const secret = getAt(values, parseDottedPath(spec.key))
      if (typeof secret === 'string') this.redactor.add(secret)
    }
    return values
  }

  /** Reads the secret of one reference (e.g. one in the main config file); a miss is a CredentialError. */
  async secretOf(ref: SecretReference, settings: BackendSettings = {}): Promise<string> {
    return readSecret(ref, await this.source(settings, ref))
  }

  /** Every registered backend with its availability here, for `ust info`. */
  async statuses(options: ChooseOptions = {}): Promise<BackendStatus[]> {
    const registry = await this.plugins.registry()
    const context = this.context(options)
    return Promise.all(
      registry.credentialBackends().map(async ({ definition, plugin }) => {
        let availability: BackendAvailability
        try {
          availability = await definition.create(context).describe()
        } catch (error) {
          availability = { available: false, detail: `the plugin failed: ${(error as Error).message}` }
        }
        return {
          id: definition.id,
          plugin,
          description: definition.description,
          readOnly: definition.readOnly === true,
          default: DEFAULT_ORDER.some((d) => d.id === definition.id && d.plugin === plugin),
          ...availability,
        }
      }),
    )
  }

  /** The chosen backend as a lookup; when none can be chosen, the error says which reference needed it. */
  private async source(settings: BackendSettings, needed: SecretReference): Promise<LookupSource> {
    const choice = await this.choose({
      ...settings,
      ...(settings.configFile ? { configDir: dirname(settings.configFile) } : {}),
    }).catch((error: unknown) => {
      if (!isUstError(error) || error.code !== 'credential') throw error
      const at = needed.line === undefined ? needed.file : `${needed.file}:${needed.line}`
      throw new CredentialError(
        `${at}: ${needed.key} is given as secure_*_key (service "${needed.service}"), but ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`,
        { cause: error, suggestions: error.suggestions },
      )
    })
    return {
      backend: choice.id,
      chosenBy: choice.chosenBy,
      ...(settings.configFile === undefined ? {} : { configFile: settings.configFile }),
      lookup: async (service, account) => {
        const secret = await choice.backend.get(service, account).catch((error: unknown) => {
          throw asPluginError(error, choice.id)
        })
        if (secret !== undefined) this.redactor.add(secret)
        return secret
      },
    }
  }

  private context(options: ChooseOptions): CredentialBackendContext {
    const interactive = options.interactive ?? canPrompt()
    return {
      logger: this.logger.child('credentials'),
      clock: this.clock,
      configDir: options.configDir ?? process.cwd(),
      dataDir: this.oclif.dataDir,
      userAgent: `ust-sync/${this.oclif.version} node/${process.versions.node} (${process.platform})`,
      tlsVerify: true,
      ...(interactive ? { promptSecret: promptHidden } : {}),
    }
  }
}

/** A backend plugin's plain Error becomes a PluginError naming the backend; ust's own errors pass. */
function asPluginError(error: unknown, backend: string): unknown {
  if (isUstError(error)) return error
  return new PluginError(
    `The credential backend "${backend}" failed: ${error instanceof Error ? error.message : String(error)}`,
    {
      cause: error,
      suggestions: ["check the backend's setup (`ust info`); if it looks right, report this to the plugin's authors"],
    },
  )
}
