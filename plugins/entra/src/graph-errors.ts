import { ConfigError, CredentialError, SourceError, type UstError } from '@ust-sync/api'
import { redact, snippet } from './redact.js'

/** Graph's `{error: {code, message}}`, innermost code first when nested. */
function graphErrorOf(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
    const code = typeof body.error?.code === 'string' ? body.error.code : undefined
    const message = typeof body.error?.message === 'string' ? body.error.message : undefined
    return { ...(code ? { code } : {}), ...(message ? { message } : {}) }
  } catch {
    return {}
  }
}

/**
 * The error for a Graph reply the source cannot use, by status: 403 is a missing permission
 * (`CredentialError`, exit 3: retrying cannot help), 400 a query Graph refuses (usually `all_users_filter`:
 * `ConfigError`, exit 2), anything else a `SourceError` (exit 6). Graph's own code and message are quoted,
 * secrets removed.
 */
export function graphFailure(what: string, url: string, status: number, text: string, secrets: string[]): UstError {
  const { code, message } = graphErrorOf(text)
  const said = redact([code, message].filter(Boolean).join(': ') || snippet(text) || 'empty body', secrets)
  const line = `Microsoft Graph refused ${what}: HTTP ${status} ${said}`
  if (status === 403) {
    const needed = new URL(url).pathname.endsWith('/users') ? 'User.Read.All' : 'GroupMember.Read.All'
    return new CredentialError(`${line} (the app needs the application permission ${needed})`, {
      code: 'credential.entra.permission',
      suggestions: [
        'Give the app registration the Microsoft Graph application permissions User.Read.All and GroupMember.Read.All, and grant admin consent (Entra admin center → App registrations → API permissions).',
      ],
    })
  }
  if (status === 400)
    return new ConfigError(line, {
      code: 'config.entra.query',
      suggestions: [
        'Check all_users_filter (an OData $filter such as accountEnabled eq true) and the property names in the user_*_format templates of connector-entra.yml.',
      ],
    })
  if (status === 401)
    return new SourceError(line, {
      code: 'source.entra.unauthorized',
      suggestions: ['Check that graph_host and authority_host in connector-entra.yml belong to the same cloud.'],
    })
  return new SourceError(`${line}; nothing was changed`, {
    code: `source.entra.http-${status}`,
    suggestions: ['Run again later; if it persists, check the Microsoft 365 service health page.'],
  })
}

/** A page Graph answered with 200 but that is not a usable page (cut short, not JSON, no `value`). */
export function malformedPage(what: string, reason: string): SourceError {
  return new SourceError(`Microsoft Graph ${what}: ${reason}; the read was stopped and nothing was changed`, {
    code: 'source.entra.malformed',
    suggestions: ['Run again; a proxy that cuts or rewrites replies can cause this (`ust net check`).'],
  })
}
