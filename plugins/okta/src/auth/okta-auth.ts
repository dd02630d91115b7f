/** How requests to Okta are authorised: the headers to send, renewed as needed. */
export interface OktaAuth {
  /**
   * The authorisation headers of one request (`method url`): `Authorization: SSWS <token>`, `Bearer
   * <access token>`, or `DPoP <access token>` with its `DPoP` proof (a new one for every try).
   */
  headers(method: string, url: string): Promise<Record<string, string>>
  /** Drops a cached access token refused by Okta (a no-op for API tokens). Returns whether a retry can help. */
  invalidate(): boolean
  /** Values that must never appear in output. */
  secrets(): string[]
  readonly oauth: boolean
}

/** UST's API token: `Authorization: SSWS <token>`. */
export function apiTokenAuth(token: string): OktaAuth {
  return {
    oauth: false,
    headers: async () => ({ Authorization: `SSWS ${token}` }),
    invalidate: () => false,
    secrets: () => [token],
  }
}
