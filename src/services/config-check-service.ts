import { inject, injectable } from 'tsyringe'
import { ConfigError, type Endpoint, isUstError } from '@ust-sync/api'
import type { ConnectorFile, UstConfig } from '../config/types.js'
import type { ProcessLogger } from '../log/process-logger.js'
import { refuseInsecureEndpoints } from '../network/insecure-endpoints.js'
import { createNetworkAccess } from '../network/network-fetch.js'
import { resolveNetworkSettings } from '../network/settings.js'
import { Tokens } from '../tokens.js'
import { ConnectorFactory, type ConnectorSetup } from './connector-factory.js'
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
    private readonly connectors: ConnectorFactory,
    @inject(Tokens.Logger) private readonly logger: ProcessLogger,
  ) {}

  async check(config: UstConfig): Promise<void> {
    const registry = await this.plugins.registry()
    // The network section without its secret: only allow_insecure_http and ssl_verify matter here.
    const network = resolveNetworkSettings(config.network?.values ?? {}, process.env, config.file)
    const access = createNetworkAccess(network, this.logger.child('network'))
    const setup: ConnectorSetup = { registry, config, network, access, secrets: 'placeholders' }
    const problems: string[] = []
    const suggestions = new Set<string>()
    const attempt = async (
      owner: string,
      connector: ConnectorFile,
      create: () => Promise<{ endpoints?: () => Endpoint[] }>,
    ) => {
      try {
        const contribution = await create()
        refuseInsecureEndpoints(owner, contribution.endpoints?.() ?? [], network.allowInsecureHttp, (m) =>
          this.logger.warn(m),
        )
      } catch (error) {
        if (!isUstError(error)) throw error
        problems.push(`${connector.files.join(', ')}: ${error.message}`)
        for (const suggestion of error.suggestions) suggestions.add(suggestion)
      }
    }
    // Connectors no loaded plugin provides were reported by the config load already.
    for (const connector of config.adobeUsers.targets)
      if (registry.target(connector.pluginId))
        await attempt(`${connector.pluginId} (${connector.name})`, connector, () =>
          this.connectors.target(setup, connector),
        )
    for (const [id, connector] of Object.entries(config.directoryUsers.connectors))
      if (registry.identitySource(id)) await attempt(id, connector, () => this.connectors.source(setup, id))
    const extension = config.directoryUsers.extension
    if (extension) {
      try {
        createRunHook(registry, config, this.connectors.context(setup, extension.plugin, undefined))
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
}
