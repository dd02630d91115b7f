import { CredentialError, TargetError, type Clock } from '@ust-sync/api'
import type { UmapiSettings } from '../config/umapi-settings.js'
import { oddReply } from '../http/format.js'
import { parseJson } from '../http/parse-json.js'
import { redact, snippet } from '../http/redact.js'
import type { HttpReply, HttpRequest } from '../http/umapi-http.js'

/** Scope UMAPI needs (umapi.md §2.1). */
const SCOPE = 'openid,AdobeID,user_management_sdk'
const FIVE_MINUTES = 5 * 60_000

/** An access token and when ust stops using it. */
export interface IssuedToken {
  accessToken: string
  /** Lifetime IMS granted, ms. */
  lifetimeMs: number
  /** Clock time after which a new token is fetched (ahead of the real expiry). */
  refreshAt: number
}

/** How long before expiry a token is replaced: 5 minutes, or 10% of the lifetime when that is shorter. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(FIVE_MINUTES, lifetimeMs / 10)
}

/**
 * OAuth server-to-server tokens from IMS (umapi.md §2.1): fetched lazily, cached, replaced ahead of
 * expiry, and dropped on demand after a 401. Concurrent callers share one token request.
 */
/** IMS `error` values that mean the credential (or its scopes) is wrong, not that IMS failed. */
const CREDENTIAL_REFUSALS = new Set(['invalid_client', 'unauthorized_client', 'invalid_scope'])

export class TokenProvider {
  private current: IssuedToken | undefined
  private pending: Promise<IssuedToken> | undefined
  /** Every token issued so far (for redaction). */
  readonly issued = new Set<string>()

  constructor(
    private readonly settings: UmapiSettings,
    private readonly clock: Clock,
    /** Sends the token request (with retries for transient failures). */
    private readonly send: (what: string, request: HttpRequest) => Promise<HttpReply>,
    private readonly userAgent: string,
  ) {}

  /** A token valid for a while yet. */
  async token(): Promise<string> {
    if (this.current && this.clock.now() < this.current.refreshAt) return this.current.accessToken
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined
    })
    this.current = await this.pending
    return this.current.accessToken
  }

  /** Forgets `accessToken` (UMAPI answered 401 with it); the next {@link token} call fetches a new one. */
  invalidate(accessToken: string): void {
    if (this.current?.accessToken === accessToken) this.current = undefined
  }

  /** Requests a new token from IMS. Throws a `TargetError` naming the IMS URL and IMS's reason, never the secret. */
  async fetch(): Promise<IssuedToken> {
    const body = new URLSearchParams({
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
      grant_type: 'client_credentials',
      scope: SCOPE,
    }).toString()
    const requestedAt = this.clock.now()
    const reply = await this.send(`POST ${this.settings.tokenUrl}`, {
      method: 'POST',
      url: this.settings.tokenUrl,
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Cache-Control': 'no-cache',
        Accept: 'application/json',
        'User-Agent': this.userAgent,
      },
      body,
    })
    const json = parseJson(reply.text)
    const parsed = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined
    if (reply.status !== 200 || typeof parsed?.access_token !== 'string') {
      const odd = oddReply(reply, json)
      if (odd) {
        throw new TargetError(
          `IMS at ${this.settings.tokenUrl} answered the token request with ${redact(odd, [this.settings.clientSecret])}`,
          {
            code: 'target.umapi.auth-reply',
            suggestions: [
              'Check server.auth_host (ims-na1.adobelogin.com) and, behind a proxy, that it lets ust through.',
            ],
          },
        )
      }
      const reason =
        typeof parsed?.error === 'string'
          ? `${parsed.error}${typeof parsed.error_description === 'string' ? ` (${parsed.error_description})` : ''}`
          : snippet(reply.text) || 'no details'
      if (typeof parsed?.error === 'string' && CREDENTIAL_REFUSALS.has(parsed.error)) {
        // The credential itself is wrong: retrying later cannot help (exit 3, not a target failure).
        throw new CredentialError(
          `IMS at ${this.settings.tokenUrl} refused the credentials of client ${this.settings.clientId}: HTTP ${reply.status} ${redact(reason, [this.settings.clientSecret])}`,
          {
            code: 'credential.umapi.refused',
            suggestions: [
              `Check that enterprise.client_id (${this.settings.clientId}) and enterprise.client_secret match the OAuth Server-to-Server credential in the Adobe Developer Console, and that the project has the User Management API.`,
            ],
          },
        )
      }
      throw new TargetError(
        `IMS at ${this.settings.tokenUrl} refused the token request for client ${this.settings.clientId}: HTTP ${reply.status} ${redact(reason, [this.settings.clientSecret])}`,
        {
          code: 'target.umapi.auth',
          suggestions: [
            'Check enterprise.client_id and enterprise.client_secret against the OAuth Server-to-Server credential in the Adobe Developer Console.',
            'Check that the project has the User Management API added.',
          ],
        },
      )
    }
    const expiresIn = typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 86_399
    const lifetimeMs = expiresIn * 1000
    this.issued.add(parsed.access_token)
    return {
      accessToken: parsed.access_token,
      lifetimeMs,
      refreshAt: requestedAt + lifetimeMs - refreshMarginMs(lifetimeMs),
    }
  }
}
