import { type CheckResult, isUstError } from '@ust-sync/api'
import { type ConnectSettings, openConnection } from './connection.js'
import type { LdapOptions } from './ldap-options.js'
import { searchAll } from './search.js'

/**
 * The checks of `ust net check` for an LDAP connector, in order: TCP connect, TLS (ldaps:// or StartTLS;
 * reported as a warning when the connection is not encrypted), bind, and a one-entry search of base_dn.
 * Stops at the first failure, which carries the error and its suggestion.
 */
export async function runChecks(options: LdapOptions, settings: ConnectSettings): Promise<CheckResult[]> {
  const endpoint = options.url.text
  const results: CheckResult[] = []
  let started = Date.now()
  const done = (name: string, status: CheckResult['status'], detail: string, suggestion?: string) => {
    results.push({
      name,
      endpoint,
      status,
      detail,
      durationMs: Date.now() - started,
      ...(suggestion ? { suggestion } : {}),
    })
    started = Date.now()
  }
  const encrypted = options.url.secure || options.startTls
  let connection: Awaited<ReturnType<typeof openConnection>> | undefined
  try {
    connection = await openConnection(options, settings, (step, detail) => {
      if (step === 'connect') done('LDAP connect', 'ok', detail)
      if (step === 'tls') done('LDAP TLS', 'ok', detail)
      if (step === 'bind') {
        if (!encrypted) {
          done(
            'LDAP TLS',
            'warn',
            'not encrypted (ldap:// without StartTLS)',
            'Use ldaps:// or require_tls_cert: True so the bind password is not sent in clear.',
          )
        }
        done('LDAP bind', 'ok', detail)
      }
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const suggestion = isUstError(error) ? error.suggestions[0] : undefined
    const code = isUstError(error) ? error.code : ''
    const name = code.startsWith('credential') ? 'LDAP bind' : code === 'network.ldap.tls' ? 'LDAP TLS' : 'LDAP connect'
    if (name !== 'LDAP connect' && !results.some((r) => r.name === 'LDAP connect'))
      done('LDAP connect', 'ok', `TCP connection to ${options.url.host}:${options.url.port}`)
    done(name, 'fail', message, suggestion)
    return results
  }
  try {
    const [base] = await searchAll(
      { client: connection.client, server: connection.server, pageSize: 0, encoding: 'utf8' },
      { base: options.baseDn, scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'], doing: 'reading base_dn' },
    )
    if (base) done('LDAP base search', 'ok', `base_dn ${options.baseDn} found`)
    else
      done(
        'LDAP base search',
        'fail',
        `base_dn ${options.baseDn} not visible to this bind`,
        'Check base_dn and the read rights of the bind user.',
      )
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    done('LDAP base search', 'fail', message, isUstError(error) ? error.suggestions[0] : undefined)
  } finally {
    await connection.close()
  }
  return results
}
