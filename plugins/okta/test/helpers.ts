import tls from 'node:tls'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Clock, ConnectorConfig, PluginContext } from '@ust-sync/api'
import { type FakeOkta, startFakeOkta, type TestCa } from '@ust-sync/test-servers'
import { coreNetworkAccess } from '../../../test/fakes/core-network.js'
import { oktaOptionsFrom } from '../src/config/okta-options.js'
import { OktaSource } from '../src/okta-source.js'

const systemCas = tls.getCACertificates('default')

/** Trusts the test CA process-wide, as the network layer does with `network.ca_file`. */
export function trustCa(ca: TestCa): void {
  tls.setDefaultCACertificates([...systemCas, ca.caPem])
}

/** Back to the system CAs. */
export function untrustCa(): void {
  tls.setDefaultCACertificates(systemCas)
}

/** The real clock. */
export const realClock: Clock = { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, undefined, { signal }) }

/** A plugin context whose logger keeps every line, with the core's network access. */
export function recordingContext(clock: Clock = realClock): { context: PluginContext; lines: string[] } {
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

/** connector-okta.yml contents for a fake, with overrides. */
export function connectorFor(okta: FakeOkta, more: ConnectorConfig = {}): ConnectorConfig {
  return { host: okta.host, api_token: okta.token, ...more }
}

/** An Okta source against the fake, with its log. */
export function sourceFor(
  okta: FakeOkta,
  more: ConnectorConfig = {},
  clock?: Clock,
): { source: OktaSource; lines: string[] } {
  const { context, lines } = recordingContext(clock)
  return { source: new OktaSource(oktaOptionsFrom(connectorFor(okta, more)), context), lines }
}

/** Starts a fake Okta with a small org: Staff (3 users, one suspended, one without email), Admins (2). */
export async function smallOrg(
  ca: TestCa,
  options: Partial<Parameters<typeof startFakeOkta>[0]> = {},
): Promise<FakeOkta> {
  const okta = await startFakeOkta({ tls: { key: ca.keyPem, cert: ca.certPem }, ...options })
  const d = okta.directory
  d.addUser({
    profile: {
      login: 'ana@example.test',
      email: 'ana@example.test',
      firstName: 'Ana',
      lastName: 'Ruiz',
      countryCode: 'mx',
      department: 'R&D',
    },
    groups: ['Staff', 'Admins'],
  })
  d.addUser({
    profile: { login: 'bo@example.test', email: 'bo@example.test', firstName: 'Bo', lastName: '', countryCode: null },
    groups: ['Staff'],
  })
  d.addUser({
    status: 'SUSPENDED',
    profile: { login: 'sus@example.test', email: 'sus@example.test' },
    groups: ['Staff'],
  })
  d.addUser({ profile: { login: 'noemail', firstName: 'No' }, groups: ['Staff'] })
  d.addUser({
    profile: {
      login: 'zoe@example.test',
      email: 'zoe@example.test',
      firstName: 'Zoë',
      lastName: 'Ærø',
      countryCode: 'DK',
    },
    groups: ['Admins'],
  })
  d.addUser({ status: 'DEPROVISIONED', profile: { login: 'gone@example.test', email: 'gone@example.test' } })
  d.addGroup('Staff Alumni')
  return okta
}
