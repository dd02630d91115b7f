import { injectable } from 'tsyringe'
import { CredentialError, type SecretSpec } from '@ust-sync/api'
import { getAt, parseDottedPath } from '../config/key-path.js'
import type { ConnectorFile } from '../config/types.js'
import { resolveSecrets } from '../credentials/resolve-secrets.js'
import { Redactor } from '../log/redactor.js'
import { PluginService } from './plugin-service.js'

/**
 * Resolves `secure_X_key` references through the first available credential backend. Every secret it
 * hands out — and every secret written in plain text in a connector file — is registered with the
 * redactor, so it can never reach a log line, an error or `--json`.
 */
@injectable()
export class CredentialService {
  constructor(
    private readonly plugins: PluginService,
    private readonly redactor: Redactor,
  ) {}

  /** Connector values with every secret filled in; `specs` are the secrets the contribution declares. */
  async resolve(connector: ConnectorFile, specs: readonly SecretSpec[] = []): Promise<Record<string, unknown>> {
    const values =
      connector.secrets.length === 0
        ? connector.values
        : await resolveSecrets(connector, await this.backendLookup(connector))
    for (const spec of specs) {
      const secret = getAt(values, parseDottedPath(spec.key))
      if (typeof secret === 'string') this.redactor.add(secret)
    }
    return values
  }

  private async backendLookup(
    connector: ConnectorFile,
  ): Promise<(service: string, account: string) => Promise<string | undefined>> {
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
      {
        suggestions: [
          'Install or enable a credential backend plugin, or give the value in the file for now (see `ust info`).',
        ],
      },
    )
  }
}
