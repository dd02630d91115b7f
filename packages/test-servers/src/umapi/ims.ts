import { randomBytes } from 'node:crypto'
import type { Reply } from './reply.js'

/** The scope that grants UMAPI access; `scope` must contain it. */
const UMAPI_SCOPE = 'user_management_sdk'

/** State of one issued token. */
interface TokenInfo {
  clientId: string
  expiresAt: number
}

/** Result of {@link TokenStore.lookup}. */
export type TokenStatus = { ok: true; clientId: string } | { ok: false; reason: 'unknown' | 'expired' }

const imsError = (error: string, description: string): Reply => ({
  status: 400,
  body: { error, error_description: description },
})

/** JWT-shaped random token (`ey` + base64url header, payload and signature). */
function newToken(clientId: string): string {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ client_id: clientId, jti: randomBytes(8).toString('hex') })}.${randomBytes(32).toString('base64url')}`
}

/**
 * IMS OAuth server-to-server token endpoint and the store of issued tokens (umapi.md §2.1).
 * Several tokens may be valid at once; tokens expire `lifetimeSeconds` after issue.
 */
export class TokenStore {
  private readonly tokens = new Map<string, TokenInfo>()
  /** Number of tokens issued so far. */
  issued = 0

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Answers a token request; parameters come from the query string and/or the (form) body, body winning. */
  issue(query: URLSearchParams, body: unknown): Reply {
    const params: Record<string, string> = Object.fromEntries(query)
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body)) if (typeof v === 'string') params[k] = v
    }
    if (!params.client_id) return imsError('invalid_request', 'missing client_id parameter')
    if (params.client_id !== this.clientId) return imsError('invalid_client', 'invalid client_id parameter')
    if (!params.client_secret) return imsError('invalid_request', 'missing client_secret parameter')
    if (params.client_secret !== this.clientSecret) return imsError('invalid_client', 'invalid client_secret parameter')
    if (params.grant_type !== 'client_credentials')
      return imsError('unsupported_grant_type', `grant_type must be client_credentials`)
    const scopes = (params.scope ?? '').split(/[\s,]+/).filter(Boolean)
    if (!scopes.includes(UMAPI_SCOPE)) return imsError('invalid_scope', `invalid scope (${UMAPI_SCOPE} is required)`)
    const token = newToken(this.clientId)
    this.tokens.set(token, { clientId: this.clientId, expiresAt: this.now() + this.lifetimeSeconds * 1000 })
    this.issued += 1
    return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: this.lifetimeSeconds } }
  }

  /** Whether `token` is a live token, and whose. */
  lookup(token: string): TokenStatus {
    const info = this.tokens.get(token)
    if (!info) return { ok: false, reason: 'unknown' }
    if (this.now() >= info.expiresAt) return { ok: false, reason: 'expired' }
    return { ok: true, clientId: info.clientId }
  }

  /** Expires every token issued so far. */
  expireAll(): void {
    for (const info of this.tokens.values()) info.expiresAt = 0
  }
}
