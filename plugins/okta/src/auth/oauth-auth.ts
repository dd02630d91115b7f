import { type Clock, CredentialError } from '@ust-sync/api'
import type { OktaHttp } from '../http/okta-http.js'
import { oktaErrorOf } from '../http/reply-error.js'
import { redact } from '../http/redact.js'
import { clientAssertion, loadSigningKey } from './client-assertion.js'
import type { OktaAuth } from './okta-auth.js'

/** Scopes a read-only source needs (okta-api.md §2.2). */
export const OKTA_SCOPES = 'okta.users.read okta.groups.read'

/**
 * OAuth 2.0 for an Okta API Services app: client credentials with a `private_key_jwt` assertion at the
 * org authorization server (`/oauth2/v1/token`), the access token cached until a minute before it expires.
 */
export class OAuthAuth implements OktaAuth {
  readonly oauth = true
  private readonly tokenUrl: string
  private readonly signing
  private cached: { token: string; until: number } | undefined
  private readonly issued: string[] = []

  constructor(
    private readonly origin: string,
    private readonly clientId: string,
    privateKey: string,
    keyId: string | undefined,
    private readonly http: () => OktaHttp,
    private readonly clock: Clock,
    private readonly userAgent: string,
  ) {
    this.tokenUrl = `${origin}/oauth2/v1/token`
    this.signing = loadSigningKey(privateKey, keyId)
  }

  secrets(): string[] {
    return [...this.issued]
  }

  invalidate(): boolean {
    const had = this.cached !== undefined
    this.cached = undefined
    return had
  }

  async header(): Promise<string> {
    if (this.cached && this.clock.now() < this.cached.until) return `Bearer ${this.cached.token}`
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: OKTA_SCOPES,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion(this.signing, this.clientId, this.tokenUrl, this.clock.now()),
    })
    const reply = await this.http().send(
      {
        method: 'POST',
        url: this.tokenUrl,
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          'User-Agent': this.userAgent,
        },
        body: form.toString(),
      },
      'POST /oauth2/v1/token',
    )
    const body = (reply.json ?? {}) as {
      access_token?: unknown
      expires_in?: unknown
      error?: unknown
      error_description?: unknown
    }
    if (reply.status !== 200 || typeof body.access_token !== 'string') {
      const okta = oktaErrorOf(reply)
      const said = [body.error, body.error_description, okta.code, okta.summary]
        .filter((v) => typeof v === 'string')
        .join(': ')
      throw new CredentialError(
        `Okta ${this.origin} refused the OAuth token request of client ${this.clientId} (HTTP ${reply.status}${said ? `: ${redact(said, this.secrets())}` : ''})`,
        {
          code: 'credential.okta.oauth',
          suggestions: [
            'Check client_id, that the app uses "Public key / Private key" client authentication with the public key of this private key (and key_id), and that it is granted okta.users.read and okta.groups.read.',
            'If the app requires DPoP, turn that off for this app: ust does not send DPoP proofs.',
          ],
        },
      )
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600
    this.issued.push(body.access_token)
    this.cached = { token: body.access_token, until: this.clock.now() + Math.max(0, lifetime - 60) * 1000 }
    return `Bearer ${body.access_token}`
  }
}
