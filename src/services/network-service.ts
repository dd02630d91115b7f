import { inject, injectable } from 'tsyringe'
import type { Endpoint, NetworkAccess } from '@ust-sync/api'
import { networkSecretSpecs } from '../config/network-secrets.js'
import type { UstConfig } from '../config/types.js'
import type { ProcessLogger } from '../log/process-logger.js'
import { Redactor } from '../log/redactor.js'
import { backendSettingsOf, CredentialService } from './credential-service.js'
import { Tokens } from '../tokens.js'
import { applyNetwork } from '../network/apply-network.js'
import { refuseInsecureEndpoints } from '../network/insecure-endpoints.js'
import { loadClientCertificates } from '../network/client-certificates.js'
import { createNetworkAccess } from '../network/network-fetch.js'
import { type NetworkSettings, resolveNetworkSettings } from '../network/settings.js'

/**
 * The network layer of a run: resolves the `network:` section (and the environment it falls back to),
 * registers the proxy credentials with the redactor, applies proxy and CA process-wide once, before any
 * plugin connects, and hands plugins a {@link NetworkAccess}.
 */
@injectable()
export class NetworkService {
  private current?: { settings: NetworkSettings; access: NetworkAccess }

  constructor(
    private readonly credentials: CredentialService,
    private readonly redactor: Redactor,
    @inject(Tokens.Logger) private readonly logger: ProcessLogger,
  ) {}

  /** Resolves and applies the settings of `config` (or of the environment alone when there is no config). */
  async prepare(config: UstConfig | undefined, env: NodeJS.ProcessEnv = process.env): Promise<NetworkSettings> {
    const section = config?.network
    const values =
      section && config
        ? await this.credentials.resolve(
            { pluginId: 'network', files: [section.file], values: section.values, secrets: section.secrets },
            networkSecretSpecs(section.values),
            backendSettingsOf(config),
          )
        : {}
    const settings: NetworkSettings = {
      ...resolveNetworkSettings(values, env, config?.file ?? 'environment'),
      clientCertificates: loadClientCertificates(values.client_certificates),
    }
    const proxy = settings.proxy
    if (proxy?.password !== undefined) this.redactor.addBasicAuth(proxy.username ?? '', proxy.password)
    for (const { tls } of settings.clientCertificates) if (tls.passphrase) this.redactor.add(tls.passphrase)
    const applied = applyNetwork(settings)
    const log = this.logger.child('network')
    log.debug(
      proxy
        ? `proxy ${proxy.display} (${proxy.source})${settings.noProxy.length ? `, no_proxy: ${settings.noProxy.join(', ')}` : ''}`
        : 'no proxy configured: connecting directly',
    )
    for (const ca of applied.cas) log.debug(`trusting CA "${ca.subject}" from ${ca.file}`)
    for (const c of settings.clientCertificates)
      log.debug(`client certificate ${c.name} "${c.subject}" for ${c.hosts.join(', ')}`)
    if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0')
      log.warn(
        'NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the environment: Node verifies NO TLS certificate, for every host (UMAPI, IMS, LDAPS, plugins). Remove it; trust a TLS-inspecting proxy with network.ca_file instead.',
      )
    if (settings.allowInsecureHttp)
      log.warn(
        'network.allow_insecure_http is true: secrets may be sent over plain http:// and can be read by anyone on the path. Use it in a lab only.',
      )
    this.current = { settings, access: createNetworkAccess(settings, log) }
    return settings
  }

  /** The settings of the last {@link prepare}. */
  get settings(): NetworkSettings {
    if (!this.current) throw new Error('NetworkService.prepare() was not called')
    return this.current.settings
  }

  /** The HTTP access plugins receive in their context. */
  get access(): NetworkAccess {
    if (!this.current) throw new Error('NetworkService.prepare() was not called')
    return this.current.access
  }

  /**
   * Refuses a plugin's plain `http://` endpoints on another machine: they carry secrets (a ConfigError,
   * exit 2), unless `network.allow_insecure_http` is set, which is warned about per endpoint.
   */
  checkEndpoints(owner: string, endpoints: readonly Endpoint[]): void {
    refuseInsecureEndpoints(owner, endpoints, this.settings.allowInsecureHttp, (message) => this.logger.warn(message))
  }
}
