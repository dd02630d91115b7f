import { type Clock, CredentialError } from '@ust-sync/api'
import type { OktaHttp, OktaReply } from '../http/okta-http.js'
import { redact } from '../http/redact.js'
import { oktaErrorOf } from '../http/reply-error.js'
import { clientAssertion, loadSigningKey, type SigningKey } from './client-assertion.js'
import { DpopKey } from './dpop.js'
import type { OktaAuth } from './okta-auth.js'

/** Scopes a read-only source needs (okta-api.md §2.2). */
export const OKTA_SCOPES = 'okta.users.read okta.groups.read'

/** The parts of a token reply ust reads. */
interface TokenBody {
  access_token?: unknown
  token_type?: unknown
  expires_in?: unknown
  error?: unknown
  error_description?: unknown
}

/**
 * OAuth 2.0 for an Okta API Services app: client credentials with a `private_key_jwt` assertion at the
 * org authorization server (`/oauth2/v1/token`), the access token cached until a minute before it expires.
 * When the app requires DPoP (Okta answers `invalid_dpop_proof`), ust switches to DPoP-bound tokens on its
 * own: a key pair made for the run, a proof on every request, the server's nonce when it asks for one.
 */
export class OAuthAuth implements OktaAuth {
  readonly oauth = true
  private readonly tokenUrl: string
  private readonly signing: SigningKey
  private cached: { token: string; type: 'Bearer' | 'DPoP'; until: number } | undefined
  private readonly issued: string[] = []
  private dpop: DpopKey | undefined
  private nonce: string | undefined

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

  async headers(method: string, url: string): Promise<Record<string, string>> {
    const { token, type } = await this.token()
    if (type === 'Bearer' || !this.dpop) return { Authorization: `Bearer ${token}` }
    return {
      Authorization: `DPoP ${token}`,
      DPoP: this.dpop.proof(method, url, this.clock.now(), { accessToken: token }),
    }
  }

  private async token(): Promise<{ token: string; type: 'Bearer' | 'DPoP' }> {
    if (this.cached && this.clock.now() < this.cached.until) return this.cached
    let reply = await this.request()
    // At most two more tries: DPoP required (switch to it), then the nonce the server asks proofs to carry.
    for (let extra = 0; extra < 2 && reply.status === 400; extra++) {
      const error = (reply.json as TokenBody | undefined)?.error
      const nonce = reply.headers.get('dpop-nonce')
      if (error === 'invalid_dpop_proof' && !this.dpop) this.dpop = new DpopKey()
      else if (error === 'use_dpop_nonce' && this.dpop && nonce) this.nonce = nonce
      else break
      reply = await this.request()
    }
    const body = (reply.json ?? {}) as TokenBody
    if (reply.status !== 200 || typeof body.access_token !== 'string') throw this.refused(reply, body)
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600
    const type = body.token_type === 'DPoP' ? 'DPoP' : 'Bearer'
    this.issued.push(body.access_token)
    this.cached = { token: body.access_token, type, until: this.clock.now() + Math.max(0, lifetime - 60) * 1000 }
    return this.cached
  }

  private request(): Promise<OktaReply> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: OKTA_SCOPES,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion(this.signing, this.clientId, this.tokenUrl, this.clock.now()),
    })
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      'User-Agent': this.userAgent,
    }
    if (this.dpop)
      headers.DPoP = this.dpop.proof('POST', this.tokenUrl, this.clock.now(), this.nonce ? { nonce: this.nonce } : {})
    return this.http().send(
      { method: 'POST', url: this.tokenUrl, headers, body: form.toString() },
      'POST /oauth2/v1/token',
    )
  }

  private refused(reply: OktaReply, body: TokenBody): CredentialError {
    const okta = oktaErrorOf(reply)
    const said = [body.error, body.error_description, okta.code, okta.summary]
      .filter((v) => typeof v === 'string')
      .join(': ')
    return new CredentialError(
      `Okta ${this.origin} refused the OAuth token request of client ${this.clientId} (HTTP ${reply.status}${said ? `: ${redact(said, this.secrets())}` : ''})`,
      {
        code: 'credential.okta.oauth',
        suggestions: [
          'Check client_id, that the app uses "Public key / Private key" client authentication with the public key of this private key (and key_id), and that it is granted okta.users.read and okta.groups.read.',
        ],
      },
    )
  }
}
