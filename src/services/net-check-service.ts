import { injectable } from 'tsyringe'
import { type CheckResult, ConfigError, type Endpoint } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import { Redactor } from '../log/redactor.js'
import { renderNetCheck } from '../network/render-net-check.js'
import { type ConfigLocation, ConfigService } from './config-service.js'
import { ConnectorFactory, type ConnectorSetup } from './connector-factory.js'
import { PluginService } from './plugin-service.js'
import type { AuthCheck, NetCheckResult } from '../network/net-check.types.js'
import type { NetworkSettings } from '../network/settings.js'
import { NetworkService } from './network-service.js'
import { hostPort } from '../network/probe/failures.js'
import { probeEndpoint } from '../network/probe/probe-endpoint.js'
import type { EndpointReport, ProbeTarget } from '../network/probe/types.js'
import { hostAndPort } from '../network/route.js'

/** One `ust net check` invocation. */
export interface NetCheckRequest {
  location: ConfigLocation
  /** `--host URL` (repeatable): extra endpoints to probe. */
  hosts: string[]
  /** Per stage. */
  timeoutMs: number
}

/** A source or target of the config, created for its endpoints and checks. */
interface Participant {
  owner: string
  endpoints: Endpoint[]
  check?: () => Promise<CheckResult[]>
  close?: () => Promise<void>
}

/**
 * `ust net check`: probes every endpoint the configuration uses (each source's and target's
 * `endpoints()`) and each `--host`, stage by stage (DNS → route → TCP → proxy CONNECT → TLS → HTTP),
 * then runs each plugin's own `check()` (authentication) when its endpoints are reachable, and lists
 * the hosts a firewall must allow. Applies the same network settings as `ust sync`.
 */
@injectable()
export class NetCheckService {
  constructor(
    private readonly configs: ConfigService,
    private readonly plugins: PluginService,
    private readonly connectors: ConnectorFactory,
    private readonly network: NetworkService,
    private readonly redactor: Redactor,
  ) {}

  /** The human rendering of a result: a table per endpoint, one "what to do" line per failure. */
  render(result: NetCheckResult): string {
    return renderNetCheck(result)
  }

  async run(request: NetCheckRequest): Promise<NetCheckResult> {
    const hosts = request.hosts.map(parseHostFlag)
    const file = await this.configs.find(request.location)
    if (!file && hosts.length === 0) {
      throw new ConfigError('No configuration found, and no --host given: nothing to check', {
        suggestions: ['Run it where user-sync-config.yml is, give -c FILE, or name endpoints with --host URL.'],
      })
    }
    const config = file ? (await this.configs.load(request.location)).config : undefined
    const settings = await this.network.prepare(config)
    const participants = config ? await this.participants(config, settings) : []
    try {
      const targets: ProbeTarget[] = []
      const seen = new Set<string>()
      const add = (t: ProbeTarget) => {
        const key = `${t.name}|${t.url}`
        if (!seen.has(key)) {
          seen.add(key)
          targets.push(t)
        }
      }
      for (const p of participants)
        for (const e of p.endpoints) add({ name: e.name, url: e.url, verifyTls: e.verifyTls ?? true, owner: p.owner })
      for (const url of hosts) add({ name: '--host', url, verifyTls: settings.sslVerify, owner: '--host' })
      const userAgent = `${this.connectors.userAgent} net-check`
      const endpoints = await Promise.all(
        targets.map((t) => probeEndpoint(t, settings, { timeoutMs: request.timeoutMs, http: true, userAgent })),
      )
      const auth = await this.authChecks(participants, endpoints)
      const firewall = [...new Set(endpoints.map((e) => hostPort(e.host, e.port)))]
      if (settings.proxy) firewall.push(`${hostPort(settings.proxy.host, settings.proxy.port)} (the proxy)`)
      const result: NetCheckResult = {
        ok: endpoints.every((e) => e.ok) && auth.every((a) => a.status === 'ok' || a.status === 'warn'),
        ...(config ? { config: config.file } : {}),
        network: {
          ...(settings.proxy ? { proxy: `${settings.proxy.display} (${settings.proxy.source})` } : {}),
          noProxy: settings.noProxy,
          caFiles: settings.caFiles.map((c) => `${c.path} (${c.source})`),
          sslVerify: settings.sslVerify,
        },
        endpoints,
        auth,
        firewall,
      }
      // Belt and braces: nothing a server echoed may carry a secret out.
      return JSON.parse(this.redactor.redact(JSON.stringify(result))) as NetCheckResult
    } finally {
      await Promise.allSettled(participants.map((p) => p.close?.()))
    }
  }

  private async authChecks(participants: Participant[], endpoints: EndpointReport[]): Promise<AuthCheck[]> {
    const auth: AuthCheck[] = []
    for (const p of participants) {
      if (!p.check) continue
      const broken = endpoints.filter((e) => e.owner === p.owner && !e.ok)
      if (broken.length > 0) {
        auth.push({
          owner: p.owner,
          name: 'authentication',
          endpoint: broken.map((e) => e.url).join(', '),
          status: 'skipped',
          detail: `not tried: the network checks of ${broken.map((e) => e.name).join(', ')} failed`,
        })
        continue
      }
      try {
        for (const r of await p.check()) auth.push({ ...r, owner: p.owner })
      } catch (error) {
        auth.push({
          owner: p.owner,
          name: 'check',
          endpoint: '',
          status: 'fail',
          detail: error instanceof Error ? error.message : String(error),
        })
      }
    }
    return auth
  }

  /** Creates every target and source of the config (without connecting) for their endpoints and checks. */
  private async participants(config: UstConfig, network: NetworkSettings): Promise<Participant[]> {
    const registry = await this.plugins.registry()
    const setup: ConnectorSetup = { registry, config, network, access: this.network.access, secrets: 'resolve' }
    const out: Participant[] = []
    const add = (owner: string, made: Omit<Participant, 'owner' | 'endpoints'> & { endpoints?: () => Endpoint[] }) =>
      out.push({
        owner,
        endpoints: made.endpoints?.() ?? [],
        ...(made.check ? { check: () => made.check!() } : {}),
        ...(made.close ? { close: () => made.close!() } : {}),
      })
    // Connectors no loaded plugin provides are skipped: `ust config validate` and `ust info` name them.
    for (const connector of config.adobeUsers.targets)
      if (registry.target(connector.pluginId))
        add(`${connector.pluginId} (${connector.name})`, await this.connectors.target(setup, connector))
    for (const id of Object.keys(config.directoryUsers.connectors))
      if (registry.identitySource(id)) add(id, await this.connectors.source(setup, id))
    return out
  }
}

/** `--host` value: a URL, or a bare `host[:port]` (https). */
function parseHostFlag(value: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`
  try {
    const url = new URL(text)
    hostAndPort(url)
    return url.href
  } catch {
    throw new ConfigError(`--host ${value}: not a URL or host name`, {
      suggestions: ['Give a URL such as https://usermanagement.adobe.io or a host[:port].'],
    })
  }
}
