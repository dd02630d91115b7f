import { CredentialError, NetworkError, SourceError, type UstError, isUstError } from '@ust-sync/api'

/** Where an LDAP operation ran, for messages: the server URL and the DN it concerned. */
export interface LdapWhere {
  /** `ldaps://host:port`. */
  server: string
  /** Bind DN, search base or group DN the operation was about. */
  dn?: string
  /** What was being done, e.g. `binding`, `searching users`. */
  doing: string
  /** The search filter, when searching. */
  filter?: string
}

/** Certificate problems Node reports by `code`, worded for an administrator. */
const CERT_CODES: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a CA that is not trusted here',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted here',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate was issued by a CA that is not trusted here',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate was issued by a CA that is not trusted here',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate was issued by a CA that is not trusted here',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate does not name this host',
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port)',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed (DNS)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the server',
}

/** Result codes meaning the server stopped before returning everything. */
const LIMITS: Record<number, string> = {
  3: 'the server time limit was exceeded',
  4: 'the server size limit was exceeded',
  11: 'an administrative limit of the server was exceeded',
}

function place(where: LdapWhere): string {
  return `${where.server}${where.dn ? ` (${where.dn})` : ''}`
}

/**
 * Turns anything ldapts or the socket threw into a ust error naming the server and DN:
 * refused credentials → {@link CredentialError} (exit 3); unreachable host or TLS failure →
 * {@link NetworkError} (exit 4); everything during a search (limits, a server closing the connection,
 * missing base) → {@link SourceError} (exit 6), because the directory could not be read completely.
 * `issuer` is the issuer of the server certificate when a TLS handshake failed on it.
 */
export function translateLdapError(error: unknown, where: LdapWhere, issuer?: string): UstError {
  if (isUstError(error)) return error
  const e = error as Error & { code?: string | number }
  const code = e?.code
  const message = e instanceof Error ? e.message : String(error)
  return (
    (typeof code === 'string' ? connectionError(code, where, error, issuer) : undefined) ??
    (where.doing === 'connecting' || /Connection timeout/i.test(message)
      ? new NetworkError(`Cannot connect to LDAP server ${where.server}: ${message}`, {
          code: 'network.ldap.unreachable',
          cause: error,
          suggestions: [
            'Check host in connector-ldap.yml and that the server is reachable from this machine.',
            ...(/closed/i.test(message)
              ? [
                  'A server that demands a client certificate (mutual TLS) closes the connection when none is offered: configure it under network.client_certificates in user-sync-config.yml.',
                ]
              : []),
          ],
        })
      : undefined) ??
    (typeof code === 'number' ? resultCodeError(code, message, where, error) : readError(code, message, where, error))
  )
}

/** A TLS failure or an unreachable host (Node's error codes), or undefined for any other code. */
function connectionError(
  code: string,
  where: LdapWhere,
  cause: unknown,
  issuer: string | undefined,
): UstError | undefined {
  if (CERT_CODES[code]) {
    return new NetworkError(
      `TLS failed with LDAP server ${where.server}: ${CERT_CODES[code]}${issuer ? ` (issuer: ${issuer})` : ''} [${code}]`,
      {
        code: 'network.ldap.tls',
        cause,
        suggestions:
          code === 'ERR_TLS_CERT_ALTNAME_INVALID'
            ? ['Use in host the name the certificate was issued for (see its subjectAltName).']
            : [
                `Give ust the CA that issued the server certificate${issuer ? ` (${issuer})` : ''}: network.ca_file in user-sync-config.yml, or NODE_EXTRA_CA_CERTS=/path/ca.pem.`,
              ],
      },
    )
  }
  if (UNREACHABLE[code] && where.doing === 'connecting') {
    return new NetworkError(`Cannot connect to LDAP server ${where.server}: ${UNREACHABLE[code]}`, {
      code: 'network.ldap.unreachable',
      cause,
      suggestions: [
        'Check host in connector-ldap.yml, that the server runs, and that a firewall allows the LDAP port.',
      ],
    })
  }
  return undefined
}

/** An LDAP result code (the server answered): refused credentials (exit 3) or an incomplete read (exit 6). */
function resultCodeError(code: number, message: string, where: LdapWhere, cause: unknown): UstError {
  if (code === 49) {
    return new CredentialError(`LDAP server ${place(where)} refused the credentials (invalid credentials)`, {
      code: 'credential.ldap.invalid',
      cause,
      suggestions: ['Check username and password (or the secret named by secure_password_key) in connector-ldap.yml.'],
    })
  }
  if (where.doing === 'binding' && (code === 8 || code === 13 || code === 48 || code === 7)) {
    return new CredentialError(`LDAP server ${place(where)} refused the bind: ${cleanCode(message)}`, {
      code: 'credential.ldap.refused',
      cause,
      suggestions: ['The server may require TLS before binding: use ldaps:// or require_tls_cert: True (StartTLS).'],
    })
  }
  const limit = LIMITS[code]
  if (limit) {
    return new SourceError(
      `Reading ${place(where)} stopped: ${limit} while ${where.doing}${where.filter ? ` with filter ${where.filter}` : ''}; nothing was changed`,
      {
        code: 'source.ldap.limit',
        cause,
        suggestions: [
          'Keep search_page_size below the server size limit (and not 0), or ask the directory administrator to raise the limit for the bind user.',
        ],
      },
    )
  }
  if (code === 32) {
    return new SourceError(`LDAP server ${where.server} has no entry ${where.dn ?? ''} (while ${where.doing})`, {
      code: 'source.ldap.no-such-object',
      cause,
      suggestions: ['Check base_dn in connector-ldap.yml.'],
    })
  }
  if (code === 10) {
    return new SourceError(`LDAP server ${place(where)} answered with a referral while ${where.doing}`, {
      code: 'source.ldap.referral',
      cause,
      suggestions: ['Point host at a server that holds base_dn (for AD, a domain controller of that domain).'],
    })
  }
  return new SourceError(`LDAP error from ${place(where)} while ${where.doing}: ${cleanCode(message)}`, {
    code: 'source.ldap.error',
    cause,
  })
}

/** Anything else during a read: a closed connection, a time-out, or another failure (exit 6). */
function readError(code: string | undefined, message: string, where: LdapWhere, cause: unknown): UstError {
  if (/Connection closed|Socket error|socket connection not established/i.test(message) || code === 'ECONNRESET') {
    return new SourceError(
      `LDAP server ${where.server} closed the connection while ${where.doing}${where.dn ? ` under ${where.dn}` : ''}; the directory was not read completely and nothing was changed`,
      {
        code: 'source.ldap.connection-lost',
        cause,
        suggestions: ['Check that the LDAP server is running and stable, then run again.'],
      },
    )
  }
  if (/timed out/i.test(message)) {
    return new SourceError(
      `LDAP server ${place(where)} did not answer in time while ${where.doing}; nothing was changed`,
      {
        code: 'source.ldap.timeout',
        cause,
      },
    )
  }
  return new SourceError(`LDAP error from ${place(where)} while ${where.doing}: ${message}`, {
    code: 'source.ldap.error',
    cause,
  })
}

/** ldapts messages end in ` Code: 0x31`; the text before it is the server's diagnostic. */
function cleanCode(message: string): string {
  return message.replace(/\s*Code: 0x[0-9a-f]+$/i, '').trim() || 'no diagnostic'
}
