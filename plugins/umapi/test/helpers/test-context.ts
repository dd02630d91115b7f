import { setTimeout as sleep } from 'node:timers/promises'
import type { Clock, ConnectorConfig, PluginContext } from '@ust-sync/api'
import { coreNetworkAccess } from '../../../../test/fakes/core-network.js'
import type { FakeUmapi } from '@ust-sync/test-servers'
import { parseUmapiSettings } from '../../src/config/umapi-settings.js'
import { UmapiTarget } from '../../src/umapi-target.js'

/** A context whose logger keeps every line (`level: message`). */
export interface RecordingContext {
  context: PluginContext
  lines: string[]
}

/** The real clock, as the core passes it to plugins. */
export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
}

/**
 * A clock running `speed` times faster than real time, shared by a target and the fake (its rate-limit
 * windows): for long scripts whose timing is not what they test (the testkit's conformance script).
 */
export function fastClock(speed: number): Clock {
  const start = Date.now()
  return {
    now: () => start + (Date.now() - start) * speed,
    sleep: (ms, signal) => sleep(ms / speed, undefined, { signal }),
  }
}

/** A plugin context with a recording logger and the given clock (real time by default). */
export function recordingContext(clock: Clock = realClock): RecordingContext {
  const lines: string[] = []
  const log = (level: string) => (message: string) => void lines.push(`${level}: ${message}`)
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
  return {
    lines,
    context: {
      logger,
      // The core's network access with no proxy or CA configured (the environment is not read).
      network: coreNetworkAccess(logger),
      clock,
      configDir: '/nonexistent',
      dataDir: '/nonexistent',
      userAgent: 'ust-sync/test',
      tlsVerify: true,
    },
  }
}

/** `connector-umapi.yml` contents pointing at a fake (plain HTTP), with `server` overrides. */
export function connectorFor(
  fake: FakeUmapi,
  server: Record<string, unknown> = {},
  enterprise: Record<string, unknown> = {},
): ConnectorConfig {
  return {
    authentication_method: 'oauth',
    server: { host: fake.url, auth_host: fake.url, auth_endpoint: '/ims/token/v3', timeout: 5, retries: 3, ...server },
    enterprise: { org_id: fake.orgId, client_id: fake.clientId, client_secret: fake.clientSecret, ...enterprise },
  }
}

/** A target against the fake, with its recorded log. */
export function targetFor(
  fake: FakeUmapi,
  options: { server?: Record<string, unknown>; enterprise?: Record<string, unknown>; clock?: Clock } = {},
): { target: UmapiTarget; lines: string[] } {
  const { context, lines } = recordingContext(options.clock)
  return {
    target: new UmapiTarget(parseUmapiSettings(connectorFor(fake, options.server, options.enterprise)), context),
    lines,
  }
}

/** Requests the fake saw for one endpoint kind. */
export function requestsTo(fake: FakeUmapi, endpoint: string): FakeUmapi['requests'] {
  return fake.requests.filter((r) => r.endpoint === endpoint)
}
