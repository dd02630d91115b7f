import { isIP, type Socket } from 'node:net'
import { checkServerIdentity, type TLSSocket } from 'node:tls'
import { type ClientCertificate, clientCertificateFor } from '../client-certificates.js'
import { hostAndPort, isLoopback, routeFor } from '../route.js'
import type { NetworkSettings, ProxySettings } from '../settings.js'
import { chainOf, endsAtPublicRoot, namesOf } from './certificates.js'
import { clientCertificateFailure } from './client-certificate-failure.js'
import { failures, hostPort } from './failures.js'
import { codeOf, connectTunnel, handshake, openTcp, readHead, resolveHost } from './sockets.js'
import type { EndpointReport, Failure, ProbeTarget, StageName, StageResult, TlsFacts } from './types.js'

/** Options of {@link probeEndpoint}. */
export interface ProbeOptions {
  /** Per stage. */
  timeoutMs: number
  /** Run the HTTP stage (GET the URL) for http(s) endpoints. */
  http: boolean
  userAgent?: string
}

class StageFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message)
  }
}

/**
 * Probes one endpoint the way a real connection travels, stage by stage, stopping at the first failure:
 * DNS → route → TCP connect → proxy CONNECT → TLS (chain, trust, host name, expiry) → HTTP. Never throws;
 * a failed stage carries a {@link Failure} worded for people.
 */
export async function probeEndpoint(
  target: ProbeTarget,
  settings: NetworkSettings,
  options: ProbeOptions,
): Promise<EndpointReport> {
  const url = new URL(target.url)
  const { host, port } = hostAndPort(url)
  const route = routeFor(url, settings)
  const stages: StageResult[] = []
  const report: EndpointReport = { ...target, host, port, route: route.label, stages, ok: false }
  const sockets: Socket[] = []
  const timed = async <T>(stage: StageName, run: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = Date.now()
    try {
      return { value: await run(), ms: Date.now() - started }
    } catch (error) {
      if (!(error instanceof StageFailed)) throw error
      stages.push({
        stage,
        status: 'fail',
        detail: error.failure.message,
        suggestion: error.failure.suggestions.join(' '),
        durationMs: Date.now() - started,
        failure: error.failure,
      })
      throw error
    }
  }
  const proxy = route.proxy
  try {
    const dnsHost = proxy ? proxy.host : host
    const dns = await timed('dns', async () => {
      try {
        return await resolveHost(dnsHost, options.timeoutMs)
      } catch (error) {
        throw new StageFailed(proxy ? failures.proxyDns(proxy, codeOf(error)) : failures.dns(host, codeOf(error)))
      }
    })
    stages.push({
      stage: 'dns',
      status: 'ok',
      detail: proxy
        ? `proxy ${proxy.host} → ${dns.value.join(', ')} (${host} is resolved by the proxy)`
        : `${host} → ${dns.value.join(', ')}`,
      addresses: dns.value,
      durationMs: dns.ms,
    })
    const insecure = url.protocol === 'http:' && !isLoopback(host)
    stages.push({
      stage: 'route',
      status: insecure ? 'warn' : 'ok',
      detail: insecure ? `${route.label}; plain http://: nothing is encrypted` : route.label,
      ...(insecure ? { suggestion: 'Use https:// for anything that carries a secret.' } : {}),
    })
    const tcp = await timed('tcp', async () => {
      const [toHost, toPort] = proxy ? [proxy.host, proxy.port] : [host, port]
      try {
        return await openTcp(toHost, toPort, options.timeoutMs)
      } catch (error) {
        throw new StageFailed(tcpFailure(codeOf(error), host, port, options.timeoutMs, proxy))
      }
    })
    sockets.push(tcp.value)
    stages.push({
      stage: 'tcp',
      status: 'ok',
      detail: `connected to ${proxy ? `proxy ${hostPort(proxy.host, proxy.port)}` : hostPort(host, port)}`,
      durationMs: tcp.ms,
    })
    let socket: Socket = tcp.value
    if (proxy) {
      const tunnel = await timed('proxy', async () => {
        try {
          let proxySocket: Socket = socket
          if (proxy.protocol === 'https:') {
            proxySocket = await handshake({ socket, host: proxy.host, port: proxy.port }, options.timeoutMs)
            sockets.push(proxySocket)
          }
          const answer = await connectTunnel(proxySocket, hostPort(host, port), proxy, options.timeoutMs)
          if (answer.status === 407 || answer.status === 401)
            throw new StageFailed(failures.proxyAuth(proxy, answer.status))
          if (answer.status !== 200)
            throw new StageFailed(failures.proxyRefusedTunnel(proxy, host, port, answer.statusLine))
          return { socket: proxySocket, answer }
        } catch (error) {
          if (error instanceof StageFailed) throw error
          const code = codeOf(error)
          throw new StageFailed(
            code === 'ETIMEDOUT'
              ? failures.timeout(host, port, options.timeoutMs, proxy)
              : failures.proxyProtocol(proxy, code),
          )
        }
      })
      socket = tunnel.value.socket
      stages.push({
        stage: 'proxy',
        status: 'ok',
        detail: `CONNECT ${hostPort(host, port)}: ${tunnel.value.answer.statusLine}`,
        durationMs: tunnel.ms,
      })
    }
    const offered = clientCertificateFor(settings.clientCertificates, host)
    if (url.protocol === 'https:' || url.protocol === 'ldaps:') {
      const tls = await timed('tls', async () => {
        try {
          const name = isIP(host) ? {} : { servername: host }
          return await handshake({ socket, host, port, ...name, ...offered?.tls }, options.timeoutMs)
        } catch (error) {
          throw new StageFailed(handshakeFailure(error, host, port, options.timeoutMs, offered))
        }
      })
      sockets.push(tls.value)
      const { result, facts } = judgeTls(tls.value, host, target.verifyTls, proxy)
      stages.push({ ...result, detail: `${result.detail}${offeredNote(offered)}`, durationMs: tls.ms, tls: facts })
      if (result.status === 'fail') return report
      socket = tls.value
    }
    if (options.http && (url.protocol === 'https:' || url.protocol === 'http:')) {
      const http = await timed('http', async () => {
        socket.write(
          `GET ${url.pathname || '/'}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: ${options.userAgent ?? 'ust-net-check'}\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
        )
        try {
          return await readHead(socket, options.timeoutMs)
        } catch (error) {
          const code = codeOf(error)
          throw new StageFailed(
            clientCertificateFailure([code], host, port, offered) ??
              (code === 'ETIMEDOUT'
                ? failures.replyTimeout(url.href, options.timeoutMs)
                : failures.reset(host, port, code)),
          )
        }
      })
      stages.push({
        stage: 'http',
        status: http.value.status >= 500 ? 'warn' : 'ok',
        detail: `${http.value.statusLine} from GET ${url.pathname}`,
        httpStatus: http.value.status,
        durationMs: http.ms,
      })
    }
    report.ok = true
    return report
  } catch (error) {
    if (error instanceof StageFailed) return report
    throw error
  } finally {
    for (const s of sockets.reverse()) s.destroy()
  }
}

/** Why the TCP connection (to the host, or to the proxy on the way) could not be opened. */
function tcpFailure(code: string, host: string, port: number, timeoutMs: number, proxy?: ProxySettings): Failure {
  if (proxy)
    return code === 'ETIMEDOUT'
      ? failures.timeout(host, port, timeoutMs, proxy)
      : failures.proxyUnreachable(proxy, code === 'ECONNREFUSED' ? 'connection refused' : code)
  if (code === 'ECONNREFUSED') return failures.refused(host, port)
  if (code === 'ETIMEDOUT') return failures.timeout(host, port, timeoutMs)
  return failures.other(hostPort(host, port), code)
}

/** What the TLS stage says about the client certificate configured for the host. */
function offeredNote(offered: ClientCertificate | undefined): string {
  if (!offered) return ''
  const expiry = offered.validTo ? ` (expires ${offered.validTo})` : ''
  return `; client certificate "${offered.subject}"${expiry} from ${offered.file} offered when asked`
}

/** Why a TLS handshake failed: a client-certificate alert, a timeout, a reset, or OpenSSL's own code. */
function handshakeFailure(
  error: unknown,
  host: string,
  port: number,
  timeoutMs: number,
  offered: ClientCertificate | undefined,
): Failure {
  const code = codeOf(error)
  const certificate = clientCertificateFailure([code], host, port, offered)
  if (certificate) return certificate
  if (code === 'ETIMEDOUT')
    return failures.tls(
      host,
      `no TLS answer from ${hostPort(host, port)} within ${timeoutMs / 1000} s (is it a TLS port? a firewall may be holding the connection)`,
    )
  if (code === 'ECONNRESET')
    return failures.tls(
      host,
      'the connection was closed during the handshake (a firewall or proxy may be blocking TLS to this host)',
    )
  return failures.tls(host, code)
}

/**
 * Judges a completed (unverified) handshake against the configured trust, the host name and the dates; the
 * advice for an untrusted chain follows the route (`viaProxy`): proxy advice only when there is a proxy.
 */
function judgeTls(
  socket: TLSSocket,
  host: string,
  verify: boolean,
  viaProxy: ProxySettings | undefined,
): { result: StageResult; facts: TlsFacts } {
  const peer = socket.getPeerCertificate(true)
  const chain = chainOf(peer)
  const leaf = chain[0]
  const identityError = peer.raw ? checkServerIdentity(host, peer) : new Error('no certificate')
  const facts: TlsFacts = {
    protocol: socket.getProtocol() ?? '?',
    chain,
    // Node folds a host-name mismatch into authorizationError; it is judged separately below.
    trusted: socket.authorized || String(socket.authorizationError) === 'ERR_TLS_CERT_ALTNAME_INVALID',
    ...(socket.authorizationError ? { verifyError: String(socket.authorizationError) } : {}),
    hostnameMatches: identityError === undefined,
    publicRoot: peer.raw ? endsAtPublicRoot(peer) : false,
  }
  const now = Date.now()
  const last = chain[chain.length - 1]
  const root = last ? (last.subject === last.issuer ? last.subject : last.issuer) : '?'
  let failure: Failure | undefined
  if (leaf && Date.parse(leaf.validTo) < now) failure = failures.expired(host, leaf.validTo)
  else if (leaf && Date.parse(leaf.validFrom) > now) failure = failures.notYetValid(host, leaf.validFrom)
  else if (!facts.trusted) failure = failures.untrusted(host, leaf?.issuer ?? '?', root, !facts.publicRoot, viaProxy)
  else if (!facts.hostnameMatches) failure = failures.hostname(host, namesOf(leaf))
  const chainText = chain.map((c) => `"${c.subject}" (issuer "${c.issuer}", expires ${c.validTo})`).join(' ← ')
  if (failure && !verify)
    return {
      facts,
      result: {
        stage: 'tls',
        status: 'warn',
        detail: `${facts.protocol}; NOT VERIFIED (ssl_verify: false for this host): ${failure.message}`,
        suggestion: failure.suggestions.join(' '),
      },
    }
  if (failure)
    return {
      facts,
      result: {
        stage: 'tls',
        status: 'fail',
        detail: `${failure.message}. Presented chain: ${chainText}`,
        suggestion: failure.suggestions.join(' '),
        failure,
      },
    }
  const trust = facts.publicRoot
    ? 'chain ends at a public CA'
    : `chain ends at the private CA "${root}", trusted through the configured CA files: TLS inspection or a private server`
  return {
    facts,
    result: { stage: 'tls', status: 'ok', detail: `${facts.protocol}; ${trust}; ${chainText}` },
  }
}
