import { setTimeout as sleep } from 'node:timers/promises'
import type { Clock, ConnectorConfig, PluginContext } from '@ust-sync/api'
import type { FakeGraph } from '@ust-sync/test-servers'
import { coreNetworkAccess } from '../../../test/fakes/core-network.js'

/** A clock `speed` times faster than real time (waits for Retry-After pass quickly; the fake is told the same). */
export function fastClock(speed: number): Clock {
  const start = Date.now()
  return {
    now: () => start + (Date.now() - start) * speed,
    sleep: (ms, signal) => sleep(ms / speed, undefined, { signal }),
  }
}

/** A plugin context with a recording logger and the core's network access. */
export function recordingContext(clock: Clock = fastClock(1)): { context: PluginContext; lines: string[] } {
  const lines: string[] = []
  const log = (level: string) => (message: string) => void lines.push(`${level}: ${message}`)
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
  return {
    lines,
    context: {
      logger,
      network: coreNetworkAccess(logger),
      clock,
      configDir: '/nonexistent',
      dataDir: '/nonexistent',
      userAgent: 'ust-sync/test',
      tlsVerify: true,
    },
  }
}

/** connector-entra.yml contents pointing at a fake (plain HTTP). */
export function connectorFor(graph: FakeGraph, extra: ConnectorConfig = {}): ConnectorConfig {
  return {
    tenant_id: graph.tenantId,
    client_id: graph.clientId,
    client_secret: graph.clientSecret,
    authority_host: graph.url,
    graph_host: graph.url,
    server: { timeout: 5, retries: 3 },
    ...extra,
  }
}

/** Seeds a small tenant: Ann and Bob in Design, Carl in Marketing (nested in Design), Dana disabled, a guest without mail. */
export function seedTenant(graph: FakeGraph): void {
  const t = graph.tenant
  const ann = t.addUser({
    userPrincipalName: 'ann@example.com',
    mail: 'ann.lee@example.com',
    givenName: 'Ann',
    surname: 'Lee',
    usageLocation: 'us',
    department: 'Design',
  })
  const bob = t.addUser({
    userPrincipalName: 'bob@example.com',
    mail: 'bob.stone@example.com',
    givenName: 'Bob',
    surname: 'Stone',
    usageLocation: 'GB',
  })
  const carl = t.addUser({
    userPrincipalName: 'carl@example.com',
    mail: 'carl.gray@example.com',
    givenName: 'Carl',
    surname: "O'Gray",
    usageLocation: 'DE',
  })
  const dana = t.addUser({
    userPrincipalName: 'dana@example.com',
    mail: 'dana.fox@example.com',
    givenName: 'Dana',
    surname: 'Fox',
    accountEnabled: false,
  })
  t.addUser({
    userPrincipalName: 'guest_x.com#EXT#@tenant.onmicrosoft.com',
    mail: null,
    givenName: 'Guest',
    surname: 'User',
  })
  const marketing = t.addGroup('Marketing', [carl.id, dana.id])
  t.addGroup('Design', [ann.id, bob.id, marketing.id])
}
