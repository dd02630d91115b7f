import type { TokenStore } from './ims.js'
import { resultError, type Reply } from './reply.js'

/** The 401 UMAPI answers for a missing, unknown or expired token (umapi.md §7). */
export function unauthorizedReply(): Reply {
  return {
    status: 401,
    headers: {
      'WWW-Authenticate': 'Bearer realm="JIL", error="invalid_token", error_description="The access token is invalid"',
    },
    body: { lastPage: false, result: 'error.unauthorized', message: 'Failed to authenticate provided token' },
  }
}

/**
 * UMAPI auth gate, in this order: Bearer token missing/unknown/expired → 401; `X-Api-Key` missing → 403
 * (`403000`) or not the token's client id → 403 (`403003`); org id in the path not the served org → 400
 * `error.organization.invalid_id`. Returns the caller's client id when everything passes.
 */
export function checkGate(
  headers: Record<string, string>,
  pathOrgId: string,
  servedOrgId: string,
  tokens: TokenStore,
): { clientId: string } | Reply {
  const auth = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
  const status = auth ? tokens.lookup(auth[1]!) : undefined
  if (!status?.ok) return unauthorizedReply()
  const apiKey = headers['x-api-key']
  if (!apiKey) return { status: 403, body: { error_code: '403000', message: 'Api Key is required' } }
  if (apiKey !== status.clientId) return { status: 403, body: { error_code: '403003', message: 'Api Key is invalid' } }
  if (pathOrgId !== servedOrgId) return resultError('error.organization.invalid_id', 'Bad organization Id')
  return { clientId: status.clientId }
}
