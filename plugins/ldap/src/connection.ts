import { isIP } from 'node:net'
import tls from 'node:tls'
import { Client } from 'ldapts'
import type { ClientCertificateOptions, Logger } from '@ust-sync/api'
import type { LdapOptions } from './ldap-options.js'
import { translateLdapError } from './ldap-errors.js'

/** Connection settings besides the connector file. */
export interface ConnectSettings {
  /** Verify server certificates (false only with UST's `ssl_cert_verify: False`). */
  tlsVerify: boolean
  /** The client certificate (mutual TLS) the network settings give for the server's host. */
  clientCertificate?: ClientCertificateOptions
  logger: Logger
  /** Milliseconds allowed for the TCP/TLS connection (default 10 s). */
  connectTimeoutMs?: number
  /** Milliseconds allowed for one LDAP operation, e.g. one page (default 5 min). */
  operationTimeoutMs?: number
}

/** An open, bound connection and what it is connected to. */
export interface LdapConnection {
  client: Client
  /** `ldaps://host:port`, for messages. */
  server: string
  /** Whether the session is encrypted (ldaps:// or StartTLS). */
  encrypted: boolean
  /** True once the TLS connection closed (see `openConnection`). */
  lost(): boolean
  close(): Promise<void>
}

/** Steps of opening a connection, reported by `check()` as they complete. */
export type ConnectStep = 'connect' | 'tls' | 'bind'

/** The distinguished name of a certificate subject/issuer as `CN=..., O=...`. */
function nameOf(subject: Record<string, string | string[]> | undefined): string | undefined {
  if (!subject) return undefined
  const parts = ['CN', 'OU', 'O', 'C'].filter((key) => subject[key]).map((key) => `${key}=${subject[key]}`)
  return parts.length ? parts.join(', ') : undefined
}

/** The contract's client certificate as `tls.connect` types it (a PKCS#12 bundle as a Buffer). */
function tlsClientCertificate(certificate: ClientCertificateOptions | undefined): tls.ConnectionOptions {
  if (!certificate) return {}
  const { pfx, ...rest } = certificate
  return { ...rest, ...(pfx ? { pfx: Buffer.from(pfx) } : {}) }
}

/**
 * Opens a connection as the connector file says: TCP (or TLS for `ldaps://`), StartTLS on `ldap://` with
 * `require_tls_cert: True`, then a simple or anonymous bind. Certificates are verified against the
 * process-wide trust store (the network layer adds `network.ca_file`; `NODE_EXTRA_CA_CERTS` works too).
 * LDAP connects directly, never through an HTTP proxy. Failures are ust errors naming the server.
 * `onStep` is called as each step succeeds (for `ust net check`).
 */
export async function openConnection(
  options: LdapOptions,
  settings: ConnectSettings,
  onStep: (step: ConnectStep, detail: string) => void = () => undefined,
): Promise<LdapConnection> {
  const { url } = options
  const server = url.text
  const tlsOptions: tls.ConnectionOptions = {
    rejectUnauthorized: settings.tlsVerify,
    minVersion: 'TLSv1.2',
    ...tlsClientCertificate(settings.clientCertificate),
    ...(isIP(url.host) ? {} : { servername: url.host }),
  }
  const client = new Client({
    url: `${url.secure ? 'ldaps' : 'ldap'}://${isIP(url.host) === 6 ? `[${url.host}]` : url.host}:${url.port}`,
    // ldapts treats any tlsOptions as "connect with TLS": give them only for ldaps://.
    ...(url.secure ? { tlsOptions } : {}),
    connectTimeout: settings.connectTimeoutMs ?? 10_000,
    timeout: settings.operationTimeoutMs ?? 300_000,
    strictDN: false,
    createSecureConnection: ((...args: unknown[]) => {
      const socket = (tls.connect as (...a: unknown[]) => tls.TLSSocket)(...args)
      socket.once('close', () => {
        lost = true
      })
      return socket
    }) as typeof tls.connect,
  })
  /**
   * Set when the TLS socket closes. ldapts listens for `close` on the plain socket it upgraded with
   * StartTLS, which never fires once TLS owns it: a request sent after the server went away would wait
   * forever. Searches check this flag before asking for the next page.
   */
  let lost = false
  const close = async (): Promise<void> => {
    // An unbind on a connection the server dropped would wait for an answer that never comes.
    if (lost) return
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      client.unbind().catch(() => undefined),
      new Promise((resolve) => {
        timer = setTimeout(resolve, 2000)
      }),
    ])
    clearTimeout(timer)
  }
  let encrypted = url.secure
  try {
    try {
      // ldapts connects lazily; a StartTLS exchange or the bind opens the socket.
      if (url.secure || options.startTls) {
        await openTls(client, url.secure, tlsOptions)
        encrypted = true
        onStep('connect', `TCP connection to ${url.host}:${url.port}`)
        onStep('tls', url.secure ? 'TLS handshake (ldaps), certificate verified' : 'StartTLS, certificate verified')
      }
    } catch (error) {
      const issuer = isCertificateError(error) ? await peerIssuer(options, tlsOptions) : undefined
      throw translateLdapError(error, { server, doing: 'connecting' }, issuer)
    }
    if (!encrypted && options.username) {
      settings.logger.warn(
        `The LDAP bind to ${server} as ${options.username} is not encrypted: the password crosses the network in clear. Use ldaps:// or set require_tls_cert: True (StartTLS).`,
      )
    }
    try {
      if (options.username) await client.bind(options.username, options.password ?? '')
      else await client.bind('', '')
    } catch (error) {
      const e = error as { code?: unknown }
      const doing = typeof e?.code === 'number' ? 'binding' : 'connecting'
      throw translateLdapError(error, { server, dn: options.username ?? 'anonymous', doing })
    }
    if (!encrypted) onStep('connect', `TCP connection to ${url.host}:${url.port}`)
    onStep('bind', options.username ? `bound as ${options.username}` : 'anonymous bind')
    return { client, server, encrypted, close, lost: () => lost }
  } catch (error) {
    await close()
    throw error
  }
}

/**
 * Opens the TLS session before the bind: StartTLS on ldap://; on ldaps:// a read of the root DSE opens the
 * TLS connection (a refusal of the read still proves it open).
 */
async function openTls(client: Client, ldaps: boolean, tlsOptions: tls.ConnectionOptions): Promise<void> {
  if (!ldaps) {
    await client.startTLS({ ...tlsOptions })
    return
  }
  await client
    .search('', { scope: 'base', attributes: ['1.1'], filter: '(objectClass=*)' })
    .catch((error: { code?: unknown }) => {
      if (typeof error?.code !== 'number') throw error
    })
}

function isCertificateError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  return typeof code === 'string' && /CERT|SIGNATURE|ISSUER/.test(code)
}

/**
 * Who issued the server certificate, for the error message when it is not trusted: Node gives no
 * certificate after a failed verification, so a second handshake that does not verify reads it. Nothing is
 * sent over it but the StartTLS request; it is closed at once.
 */
async function peerIssuer(options: LdapOptions, tlsOptions: tls.ConnectionOptions): Promise<string | undefined> {
  let socket: tls.TLSSocket | undefined
  const probeOptions = { ...tlsOptions, rejectUnauthorized: false }
  const probe = new Client({
    url: `${options.url.secure ? 'ldaps' : 'ldap'}://${isIP(options.url.host) === 6 ? `[${options.url.host}]` : options.url.host}:${options.url.port}`,
    ...(options.url.secure ? { tlsOptions: probeOptions } : {}),
    connectTimeout: 5000,
    timeout: 5000,
    createSecureConnection: ((...args: unknown[]) => {
      socket = (tls.connect as (...a: unknown[]) => tls.TLSSocket)(...args)
      return socket
    }) as typeof tls.connect,
  })
  try {
    if (options.url.secure) {
      await probe.search('', { scope: 'base', attributes: ['1.1'] }).catch(() => undefined)
    } else {
      await probe.startTLS({ ...probeOptions })
    }
    const peer = socket?.getPeerCertificate(true)
    if (!peer?.issuer) return undefined
    let top = peer
    while (top.issuerCertificate && top.issuerCertificate !== top) top = top.issuerCertificate
    const issuer = nameOf(peer.issuer as never)
    const root = nameOf(top.subject as never)
    return root && root !== issuer ? `${issuer}, chain root ${root}` : issuer
  } catch {
    return undefined
  } finally {
    await probe.unbind().catch(() => undefined)
  }
}
