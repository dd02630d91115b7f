import { CredentialError, SourceError, type UstError } from '@ust-sync/api'
import type { OktaReply } from './okta-http.js'
import { redact, snippet } from './redact.js'

/** Okta's error body (okta-api.md §8). */
interface OktaErrorBody {
  errorCode?: unknown
  errorSummary?: unknown
  errorId?: unknown
}

/** Okta's own error code and summary of a reply, when it has them (each undefined when not). */
export function oktaErrorOf(reply: OktaReply): {
  code: string | undefined
  summary: string | undefined
  id: string | undefined
} {
  const body = (typeof reply.json === 'object' && reply.json !== null ? reply.json : {}) as OktaErrorBody
  const pick = (value: unknown) => (typeof value === 'string' && value ? value : undefined)
  return { code: pick(body.errorCode), summary: pick(body.errorSummary), id: pick(body.errorId) }
}

/**
 * The ust error for an Okta reply that is not a success: a refused credential (401, 403) is a
 * `CredentialError` (exit 3) saying what to do; anything else a `SourceError` (exit 6). Server text is
 * scrubbed of `secrets`.
 */
export function replyError(
  reply: OktaReply,
  what: string,
  origin: string,
  secrets: string[],
  oauth: boolean,
): UstError {
  const { code, summary, id } = oktaErrorOf(reply)
  const said = redact([code, summary ?? (code ? undefined : snippet(reply.text))].filter(Boolean).join(' '), secrets)
  const where = `Okta ${origin} answered ${what} with HTTP ${reply.status}${said ? ` (${said})` : ''}${id ? `, errorId ${id}` : ''}`
  if (reply.status === 401) {
    return new CredentialError(`${where}: the ${oauth ? 'access token' : 'API token'} was refused`, {
      code: code === 'E0000011' ? 'credential.okta.invalid-token' : 'credential.okta.unauthorized',
      suggestions: oauth
        ? ["Check client_id and that the app's public key matches the private key ust uses (key_id too)."]
        : [
            'The API token is wrong, expired (unused for 30 days) or its admin was deactivated: create a new one in the Okta Admin Console (Security > API > Tokens).',
            'Store it with `ust credentials set` under the service named by secure_api_token_key and the account = host, then run `ust net check`.',
          ],
    })
  }
  if (reply.status === 403) {
    return new CredentialError(`${where}: not allowed to read users and groups`, {
      code: 'credential.okta.forbidden',
      suggestions: oauth
        ? ['Grant the app the okta.users.read and okta.groups.read scopes and a read-only administrator role.']
        : ['Create the API token as an administrator who can read users and groups (e.g. Read-only Administrator).'],
    })
  }
  return new SourceError(`${where}; nothing was changed`, {
    code: `source.okta.http-${reply.status}`,
    suggestions:
      code === 'E0000031'
        ? ['Check all_users_filter in connector-okta.yml.']
        : ['Run the sync again; if it persists, give Okta support the errorId above.'],
  })
}
