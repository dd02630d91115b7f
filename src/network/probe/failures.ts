import type { ErrorCode } from '@ust-sync/api'
import type { ProxySettings } from '../settings.js'
import type { Failure } from './types.js'

/** `host:port` for messages (IPv6 in brackets). */
export function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`
}

const notSent = (code: ErrorCode<'network'>, message: string, suggestions: string[], retryable = false): Failure => ({
  code,
  message,
  suggestions,
  delivery: 'not-sent',
  retryable,
})

/** The failures of the network layer, one builder per cause, each with its own words and advice. */
export const failures = {
  dns: (host: string, reason: string): Failure =>
    notSent(
      'network.dns',
      `DNS: the host name ${host} could not be resolved (${reason})`,
      [
        `Check the spelling of ${host} in the configuration.`,
        "Check this machine's DNS servers; where only a proxy can resolve outside names, set network.proxy.",
      ],
      reason === 'EAI_AGAIN',
    ),
  proxyDns: (proxy: ProxySettings, reason: string): Failure =>
    notSent(
      'network.proxy-dns',
      `DNS: the proxy host ${proxy.host} (${proxy.source}) could not be resolved (${reason})`,
      [`Check the proxy address in ${proxy.source}.`],
    ),
  refused: (host: string, port: number): Failure =>
    notSent(
      'network.refused',
      `Connection refused by ${hostPort(host, port)}: nothing accepts connections on that port`,
      [`Check the host and port of this endpoint; a firewall may also reject connections to ${hostPort(host, port)}.`],
      true,
    ),
  proxyUnreachable: (proxy: ProxySettings, reason: string): Failure =>
    notSent('network.proxy-unreachable', `The proxy ${proxy.display} (${proxy.source}) cannot be reached: ${reason}`, [
      `Check ${proxy.source}: is the address right and is the proxy running?`,
    ]),
  timeout: (host: string, port: number, ms: number, viaProxy?: ProxySettings): Failure =>
    notSent(
      'network.timeout',
      viaProxy
        ? `No answer from the proxy ${viaProxy.display} within ${seconds(ms)} (connecting to ${hostPort(host, port)})`
        : `No answer from ${hostPort(host, port)} within ${seconds(ms)}: the connection could not be opened`,
      viaProxy
        ? [`Check that the proxy in ${viaProxy.source} is reachable from this machine.`]
        : [
            `A firewall may be silently dropping traffic to ${hostPort(host, port)}: allow-list it, or set network.proxy if outbound traffic must use a proxy.`,
          ],
      true,
    ),
  replyTimeout: (url: string, ms: number): Failure => ({
    code: 'network.reply-timeout',
    message: `No reply from ${url} within ${seconds(ms)} after the request was sent`,
    suggestions: ['The server may be overloaded; try again later or raise the timeout.'],
    delivery: 'unknown',
    retryable: true,
  }),
  badEncoding: (url: string, reason: string): Failure => ({
    code: 'network.bad-reply',
    message: `The reply from ${url} could not be decoded (${reason})`,
    suggestions: ['A proxy or device in between may be altering replies; run `ust net check`, or try again later.'],
    delivery: 'unknown',
    retryable: true,
  }),
  reset: (host: string, port: number, reason: string): Failure => ({
    code: 'network.reset',
    message: `The connection to ${hostPort(host, port)} was closed before the reply arrived (${reason})`,
    suggestions: ['Usually transient; if it repeats, a proxy or firewall may be cutting the connection.'],
    delivery: 'unknown',
    retryable: true,
  }),
  proxyAuth: (proxy: ProxySettings, status: number): Failure =>
    notSent(
      'network.proxy-auth',
      proxy.username === undefined
        ? `The proxy ${proxy.display} requires credentials (HTTP ${status}) and none are configured`
        : `The proxy ${proxy.display} refused the credentials of user "${proxy.username}" (HTTP ${status})`,
      [
        proxy.source === 'network.proxy'
          ? 'Set network.proxy_user and network.secure_proxy_password_key (or proxy_password) to an account the proxy accepts.'
          : `Fix the user and password in ${proxy.source}, or set network.proxy with network.proxy_user and secure_proxy_password_key.`,
      ],
    ),
  proxyRefusedTunnel: (proxy: ProxySettings, host: string, port: number, statusLine: string): Failure =>
    notSent(
      'network.proxy-refused',
      `The proxy ${proxy.display} would not open a connection to ${hostPort(host, port)}: ${statusLine}`,
      [
        `The proxy could not reach ${host} or does not allow it: ask its administrator to allow ${hostPort(host, port)}, or add ${host} to network.no_proxy if it is reachable directly.`,
      ],
    ),
  proxyProtocol: (proxy: ProxySettings, detail: string): Failure =>
    notSent('network.proxy-protocol', `The proxy ${proxy.display} did not answer like an HTTP proxy: ${detail}`, [
      `Check that ${proxy.source} names an HTTP proxy (http://host:port).`,
    ]),
  untrusted: (host: string, issuer: string, root: string, privateRoot: boolean, viaProxy?: ProxySettings): Failure =>
    viaProxy
      ? notSent(
          'network.tls-untrusted',
          `The TLS certificate of ${host} is not trusted: it was issued by "${issuer}"${chainEnd(issuer, root)}, a CA this machine does not trust${privateRoot ? `. The chain does not end at a public CA: a TLS-inspecting proxy or firewall is probably in the way (the route is through the proxy ${viaProxy.display})` : ''}`,
          [
            `Export the certificate of "${root}" as a PEM file and set network.ca_file to it (or REQUESTS_CA_BUNDLE).`,
            `Or have ${host} allow-listed in the proxy so its traffic is not inspected.`,
          ],
        )
      : notSent(
          'network.tls-untrusted',
          `The TLS certificate of ${host} is not trusted: it was issued by "${issuer}"${chainEnd(issuer, root)}, a CA this machine does not trust${privateRoot ? `. The connection is direct (no proxy) and "${root}" is not a public CA: ${host} uses a certificate from a private CA, such as the organisation's internal CA` : ''}`,
          [
            `Export the certificate of "${root}" as a PEM file (the administrator of ${host} can provide it) and set network.ca_file to it (or REQUESTS_CA_BUNDLE).`,
          ],
        ),
  expired: (host: string, validTo: string): Failure =>
    notSent(
      'network.tls-expired',
      `The TLS certificate of ${host} expired on ${isoDate(validTo)} (this machine's clock says ${new Date().toISOString().slice(0, 10)})`,
      [
        `Tell the administrator of ${host} (or of the TLS-inspecting proxy in between) that its certificate has expired; check this machine's clock.`,
      ],
    ),
  notYetValid: (host: string, validFrom: string): Failure =>
    notSent('network.tls-not-yet-valid', `The TLS certificate of ${host} is valid only from ${isoDate(validFrom)}`, [
      "Check this machine's clock.",
    ]),
  hostname: (host: string, names: string): Failure =>
    notSent(
      'network.tls-hostname',
      `The TLS certificate presented for ${host} does not name it: it is for ${names || 'no host name'}`,
      [
        `Check the host name ${host} in the configuration (use a name the certificate lists); a proxy or load balancer may be presenting the wrong certificate.`,
      ],
    ),
  tls: (host: string, reason: string): Failure =>
    notSent('network.tls', `The TLS handshake with ${host} failed: ${reason}`, [
      `Check that ${host} speaks TLS on this port and that no device in between alters the connection.`,
    ]),
  insecureHttp: (url: string): Failure =>
    notSent('network.insecure-http', `${url} is plain http://: secrets would travel unencrypted`, [
      'Use https://, or set network.allow_insecure_http: true for a lab setup.',
    ]),
  other: (url: string, reason: string): Failure => ({
    code: 'network.unreachable',
    message: `Could not reach ${url}: ${reason}`,
    suggestions: ['Run `ust net check` to see which step fails.'],
    delivery: 'unknown',
    retryable: true,
  }),
}

/** ` (chain ends at "root")` when the chain goes beyond the leaf's issuer. */
function chainEnd(issuer: string, root: string): string {
  return root !== issuer ? ` (chain ends at "${root}")` : ''
}

/** `38 s`, `0.3 s`. */
export function seconds(ms: number): string {
  const s = ms / 1000
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`
}

/** `Feb  1 00:00:00 2020 GMT` → `2020-02-01 00:00:00 UTC`. */
export function isoDate(opensslDate: string): string {
  const t = Date.parse(opensslDate)
  return Number.isNaN(t) ? opensslDate : `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}
