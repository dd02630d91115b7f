import { dirname } from 'node:path'
import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import { ConfigError, type Clock, type Endpoint, isUstError, type PluginContext, type SecretSpec } from '@ust-sync/api'
import type { ConnectorFile, UstConfig } from '../config/types.js'
import type { ProcessLogger } from '../log/process-logger.js'
import { refuseInsecureEndpoints } from '../network/insecure-endpoints.js'
import { createNetworkAccess } from '../network/network-fetch.js'
import { resolveNetworkSettings } from '../network/settings.js'
import { created } from '../plugins/created.js'
import { Tokens } from '../tokens.js'
import { CredentialService } from './credential-service.js'
import { createRunHook } from './mapping-hook-step.js'
import { PluginService } from './plugin-service.js'

/**
 * `ust config validate` past the files' schemas: creates every configured identity source and target as
 * `ust sync` does (a contribution's `create()` checks what a schema cannot, e.g. a host's scheme, and must
 * not connect), with a placeholder for each secret kept in a credential backend (no backend is read; plain
 * secrets are registered with the redactor as for a sync), then
 * refuses their plain `http://` endpoints as `ust sync` does. Every problem found is reported at once.
 */
@injectable()
export class ConfigCheckService {
  constructor(
    private readonly plugins: PluginService,
    private readonly credentials: CredentialService,
    @inject(Tokens.Logger) private readonly logger: ProcessLogger,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(Tokens.OclifConfig) private readonly oclif: Config,
  ) {}

  async check(config: UstConfig): Promise<void> {
    const registry = await this.plugins.registry()
    // The network section without its secret: only allow_insecure_http matters here.
    const network = resolveNetworkSettings(config.network?.values ?? {}, process.env, config.file)
    const problems: string[] = []
    const suggestions = new Set<string>()
    const attempt = async (
      owner: string,
      connector: ConnectorFile,
      secrets: readonly SecretSpec[] | undefined,
      create: (values: Record<string, unknown>, context: PluginContext) => { endpoints?: () => Endpoint[] },
    ) => {
      try {
        const values = await this.credentials.withPlaceholders(connector, secrets)
        const contribution = create(values, this.context(owner, connector, config, network))
        refuseInsecureEndpoints(owner, contribution.endpoints?.() ?? [], network.allowInsecureHttp, (m) =>
          this.logger.warn(m),
        )
      } catch (error) {
        if (!isUstError(error)) throw error
        problems.push(`${connector.files.join(', ')}: ${error.message}`)
        for (const suggestion of error.suggestions) suggestions.add(suggestion)
      }
    }
    for (const connector of config.adobeUsers.targets) {
      const definition = registry.target(connector.pluginId)
      if (definition)
        await attempt(
          `${connector.pluginId} (${connector.name})`,
          connector,
          definition.connector.secrets,
          (values, context) =>
            created(registry, 'target', connector.pluginId, () => definition.create(values, context)),
        )
    }
    for (const [id, connector] of Object.entries(config.directoryUsers.connectors)) {
      const definition = registry.identitySource(id)
      if (definition)
        await attempt(id, connector, definition.connector.secrets, (values, context) =>
          created(registry, 'identitySource', id, () => definition.create(values, context)),
        )
    }
    const extension = config.directoryUsers.extension
    if (extension) {
      try {
        const main: ConnectorFile = { pluginId: extension.plugin, files: [config.file], values: {}, secrets: [] }
        createRunHook(registry, config, this.context(extension.plugin, main, config, network))
      } catch (error) {
        if (!isUstError(error)) throw error
        problems.push(`${config.file}: directory_users.extension: ${error.message}`)
        for (const suggestion of error.suggestions) suggestions.add(suggestion)
      }
    }
    if (problems.length > 0) {
      throw new ConfigError(
        `The configuration files are well-formed, but ${problems.length === 1 ? 'a connector' : `${problems.length} connectors`} would be refused by ust sync:\n${problems.map((p) => `  ${p}`).join('\n')}`,
        {
          code: 'config.connector-settings',
          suggestions: [...suggestions, 'Fix the settings named above, then run ust config validate again.'],
        },
      )
    }
  }

  private context(
    owner: string,
    connector: ConnectorFile,
    config: UstConfig,
    network: ReturnType<typeof resolveNetworkSettings>,
  ): PluginContext {
    const log = this.logger.child(owner.split(' ')[0]!)
    return {
      logger: log,
      clock: this.clock,
      configDir: dirname(connector.files[0] ?? config.file),
      dataDir: this.oclif.dataDir,
      userAgent: `ust-sync/${this.oclif.version} node/${process.versions.node} (${process.platform})`,
      tlsVerify: config.invocationDefaults.ssl_cert_verify !== false && network.sslVerify,
      network: createNetworkAccess(network, log),
    }
  }
}
