import { dirname, resolve } from 'node:path'
import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import {
  type Clock,
  ConfigError,
  type IdentitySource,
  type NetworkAccess,
  type PluginContext,
  type Progress,
  type Target,
} from '@ust-sync/api'
import type { ConnectorFile, TargetConnector, UstConfig } from '../config/types.js'
import type { ProcessLogger } from '../log/process-logger.js'
import type { NetworkSettings } from '../network/settings.js'
import type { PluginRegistry } from '../plugins/plugin-registry.js'
import { Tokens } from '../tokens.js'
import { backendSettingsOf, CredentialService } from './credential-service.js'

/** How the connectors of one command are made. */
export interface ConnectorSetup {
  registry: PluginRegistry
  config: UstConfig
  /** The network section's settings, as applied (or, for `config validate`, as read). */
  network: NetworkSettings
  /** The HTTP access plugins receive. */
  access: NetworkAccess
  /** `resolve`: secrets read from the credential backend; `placeholders`: none read (`config validate`). */
  secrets: 'resolve' | 'placeholders'
  /** The run's `ssl_cert_verify` (a sync resolves it with its options); default: the config's invocation default. */
  sslCertVerify?: boolean
  /** Progress shown on a terminal (a sync's). */
  progress?: Progress
}

/**
 * The one place identity sources and targets are created, for `ust sync`, `ust net check` and `ust config
 * validate` alike: the contribution is looked up (an unknown id is a {@link ConfigError} naming the ones
 * there are), its secrets resolved (or replaced by placeholders), its plugin context built (logger, clock,
 * folders, user agent, TLS verification, network access), and `create()` called (behind the plugin guard the registry puts around every contribution).
 */
@injectable()
export class ConnectorFactory {
  constructor(
    private readonly credentials: CredentialService,
    @inject(Tokens.Logger) private readonly logger: ProcessLogger,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.OclifConfig) private readonly oclif: Config,
  ) {}

  /** The User-Agent every plugin request carries. */
  get userAgent(): string {
    return `ust-sync/${this.oclif.version} node/${process.versions.node} (${process.platform})`
  }

  /** Whether plugins verify TLS certificates: unless `ssl_cert_verify` or `network.ssl_verify` is False. */
  tlsVerify(setup: Pick<ConnectorSetup, 'config' | 'network' | 'sslCertVerify'>): boolean {
    const sslCertVerify = setup.sslCertVerify ?? setup.config.invocationDefaults.ssl_cert_verify !== false
    return sslCertVerify && setup.network.sslVerify
  }

  /** Creates the target of `connector` (one entry of `adobe_users.connectors`). */
  async target(setup: ConnectorSetup, connector: TargetConnector): Promise<Target> {
    const { registry } = setup
    const definition = registry.target(connector.pluginId)
    if (!definition)
      throw unknownContribution(
        'target',
        connector.pluginId,
        registry.targets().map((t) => t.definition.id),
        registry.missingHint('target', connector.pluginId),
      )
    const values = await this.values(setup, connector, definition.connector.secrets)
    const context = this.context(setup, connector.pluginId, connector)
    return definition.create(values, context)
  }

  /**
   * Creates the identity source `id` with its connector file's settings, if the config has one; `path`
   * (`--connector csv PATH`) fills the setting the contribution names for it, relative to `cwd`.
   */
  async source(setup: ConnectorSetup, id: string, path?: { value: string; cwd: string }): Promise<IdentitySource> {
    const { registry, config } = setup
    const definition = registry.identitySource(id)
    if (!definition)
      throw unknownContribution(
        'identity source',
        id,
        registry.identitySources().map((s) => s.definition.id),
        registry.missingHint('identitySource', id),
      )
    const connector = config.directoryUsers.connectors[id]
    const values = connector ? { ...(await this.values(setup, connector, definition.connector.secrets)) } : {}
    if (path !== undefined) {
      if (!definition.pathSetting) {
        throw new ConfigError(`--connector ${id} takes no file, but "${path.value}" was given`, {
          suggestions: [`Use --connector ${id} alone`],
        })
      }
      values[definition.pathSetting] = resolve(path.cwd, path.value)
    }
    const context = this.context(setup, id, connector)
    return definition.create(values, context)
  }

  private values(
    setup: ConnectorSetup,
    connector: ConnectorFile,
    secrets: Parameters<CredentialService['resolve']>[1],
  ): Promise<Record<string, unknown>> {
    return setup.secrets === 'placeholders'
      ? this.credentials.withPlaceholders(connector, secrets)
      : this.credentials.resolve(connector, secrets, backendSettingsOf(setup.config))
  }

  /** The context a plugin's contribution receives (a mapping hook's too: `connector` undefined). */
  context(setup: ConnectorSetup, pluginId: string, connector: ConnectorFile | undefined): PluginContext {
    return {
      logger: this.logger.child(pluginId),
      clock: this.clock,
      configDir: dirname(connector?.files[0] ?? setup.config.file),
      dataDir: this.oclif.dataDir,
      userAgent: this.userAgent,
      tlsVerify: this.tlsVerify(setup),
      network: setup.access,
      ...(setup.progress ? { progress: setup.progress } : {}),
    }
  }
}

/** An id the config names that no loaded plugin registers, with the ones that are (and why one failed). */
export function unknownContribution(kind: string, id: string, known: string[], hint?: string): ConfigError {
  return new ConfigError(
    `No ${kind} "${id}" is registered (available: ${known.join(', ') || 'none'})${hint ? `: ${hint}` : ''}`,
    {
      suggestions: [
        hint
          ? 'Fix or reinstall that plugin (`ust info` shows why it failed), or uninstall it'
          : `Install the plugin that provides it (ust plugins install <package>), or choose one of: ${known.join(', ')}`,
      ],
    },
  )
}
