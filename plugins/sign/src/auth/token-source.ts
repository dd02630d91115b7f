import { CredentialError, type Clock } from '@ust-sync/api'

/** Where the bearer token of every request comes from. */
export interface TokenSource {
  /** The token to send now. */
  token(): Promise<string>
  /** Gets a new token after Sign refused the current one; false when this source cannot. */
  renew(): Promise<boolean>
}

/** An integration key (or an access token given as is): never changes. */
export function staticToken(token: string): TokenSource {
  return { token: () => Promise.resolve(token), renew: () => Promise.resolve(false) }
}

/** What an OAuth refresh needs (the authorization-code grant was done once, by the administrator). */
export interface OAuthRefreshSettings {
  /** `https://<api access point host>`: the refresh goes to `<url>/oauth/v2/refresh`. */
  url: string
  clientId: string
  clientSecret: string
  refreshToken: string
}

/**
 * OAuth 2.0 for Acrobat Sign (for accounts that offer no integration key, like Sign for Government):
 * access tokens (one hour) obtained with the refresh token (60 days) from `oauth/v2/refresh`, renewed a
 * minute before they expire or when Sign refuses one. A refused refresh is a CredentialError naming no
 * secret.
 */
export class OAuthRefresh implements TokenSource {
  private current: { token: string; expiresAt: number } | undefined
  private pending: Promise<string> | undefined

  constructor(
    private readonly settings: OAuthRefreshSettings,
    private readonly fetch: typeof globalThis.fetch,
    private readonly clock: Clock,
  ) {}

  token(): Promise<string> {
    if (this.current && this.clock.now() < this.current.expiresAt) return Promise.resolve(this.current.token)
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined
    })
    return this.pending
  }

  async renew(): Promise<boolean> {
    this.current = undefined
    await this.token()
    return true
  }

  private async refresh(): Promise<string> {
    const { url, clientId, clientSecret, refreshToken } = this.settings
    const response = await this.fetch(`${url}/oauth/v2/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: clientId,
        client_secret: clientSecret,
        refresh_token: refreshToken,
      }).toString(),
    })
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: unknown
      expires_in?: unknown
      error?: unknown
    }
    if (!response.ok || typeof body.access_token !== 'string')
      throw new CredentialError(
        `Acrobat Sign refused the OAuth refresh token (HTTP ${response.status}${typeof body.error === 'string' ? ` ${body.error}` : ''}) at ${new URL(url).host}`,
        {
          code: 'credential.sign-oauth-refused',
          suggestions: [
            'Check oauth_client_id, oauth_client_secret and oauth_refresh_token (refresh tokens expire after 60 days unused)',
          ],
        },
      )
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : 3600
    this.current = { token: body.access_token, expiresAt: this.clock.now() + Math.max(lifetime - 60, 1) * 1000 }
    return body.access_token
  }
}
