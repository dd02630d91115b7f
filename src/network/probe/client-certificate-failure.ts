import type { ClientCertificate } from '../client-certificates.js'
import { hostPort } from './failures.js'
import type { Failure } from './types.js'

/** TLS alerts a server sends when it refuses the client certificate offered, with what each means. */
const REFUSED: Record<string, string> = {
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'it was issued by a CA the server does not trust',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'the server says it has expired',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED: 'the server says it was revoked',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the server found it invalid',
  ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE: 'the server does not accept its kind (key usage or algorithm)',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'the server could not verify it',
  ERR_SSL_TLSV1_ALERT_ACCESS_DENIED: 'the server accepted it but denies this certificate access',
}
/** Alerts a server sends when it wants a client certificate and none came (TLS 1.3; TLS 1.2's generic one). */
const REQUIRED = new Set(['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'])
const HANDSHAKE_FAILURE = 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'

const SETTING = 'network.client_certificates'

/**
 * The failure behind a TLS alert about client certificates (mutual TLS) from `host`, given the error codes
 * seen and the certificate offered (none when `offered` is undefined); undefined for any other error.
 */
export function clientCertificateFailure(
  codes: readonly string[],
  host: string,
  port: number,
  offered: ClientCertificate | undefined,
): Failure | undefined {
  const where = hostPort(host, port)
  const refused = codes.find((c) => c in REFUSED)
  if (offered && refused)
    return {
      code: 'network.client-certificate-refused',
      message: `${where} refused the client certificate "${offered.subject}" (${SETTING}.${offered.name}): ${REFUSED[refused]}`,
      suggestions: [
        `Ask the administrator of ${host} which CA its client certificates must come from, and renew or replace ${offered.file}.`,
      ],
      delivery: 'not-sent',
      retryable: false,
    }
  const required = codes.some((c) => REQUIRED.has(c))
  const handshakeRefused = !offered && codes.includes(HANDSHAKE_FAILURE)
  if (!required && !handshakeRefused) return undefined
  const asks = required
    ? `${where} asks for a client certificate (mutual TLS)`
    : `${where} refused the TLS handshake; a server that requires a client certificate (mutual TLS) does this when none is offered`
  return {
    code: 'network.client-certificate-required',
    message: offered
      ? `${asks}, and the one configured ("${offered.subject}", ${SETTING}.${offered.name}) was not sent: the server did not accept its issuer`
      : `${asks}, and none is configured for ${host}`,
    suggestions: [
      offered
        ? `Use a certificate issued by a CA the server names, or ask its administrator which one it expects.`
        : `Add the certificate under ${SETTING} (hosts: [${host}], cert_file + key_file or pkcs12_file, secure_passphrase_key); docs/admin/network.md shows how.`,
    ],
    delivery: 'not-sent',
    retryable: false,
  }
}
