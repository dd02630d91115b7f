import { injectable } from 'tsyringe'
import { CredentialError } from '../api/index.js'
import type { ConnectorFile } from '../config/types.js'
import { resolveSecrets } from '../credentials/resolve-secrets.js'
import { Redactor } from '../log/redactor.js'
import { PluginService } from './plugin-service.js'

/**
 * Resolves `secure_X_key` references through the first available credential backend. Every secret it
 * hands out is registered with the redactor, so it can never reach a log line, an error or `--json`.
 */
@injectable()
export class CredentialService {
  constructor(
    private readonly plugins: PluginService,
    private readonly redactor: Redactor,
  ) {}

  /** Connector values with every secret filled in. */
  async resolve(connector: ConnectorFile): Promise<Record<string, unknown>> {
    if (connector.secrets.length === 0) return connector.values
    const lookup = await this.backendLookup(connector)
    const values = await resolveSecrets(connector, lookup)
    return values
  }

  private async backendLookup(connector: ConnectorFile): Promise<(service: string, account: string) => Promise<string | undefined>> {
    const registry = await this.plugins.registry()
    const reasons: string[] = []
    for (const { definition } of registry.credentialBackends()) {
      const availability = await definition.describe()
      if (availability.available) {
        return async (service, account) => {
          const secret = await definition.get(service, account)
          if (secret !== undefined) this.redactor.add(secret)
          return secret
        }
      }
      reasons.push(`${definition.id}: ${availability.detail}`)
    }
    const ref = connector.secrets[0]!
    throw new CredentialError(
      `${ref.file}${ref.line ? `:${ref.line}` : ''}: ${ref.key} is given as secure_*_key (service "${ref.service}"), but no credential backend is available` +
        (reasons.length ? ` (${reasons.join('; ')})` : ' (no credential backend plugin is installed)'),
      { suggestions: ['Install or enable a credential backend plugin, or give the value in the file for now (see `ust info`).'] },
    )
  }
}
