/** How requests to Okta are authorised: an `Authorization` header value, renewed as needed. */
export interface OktaAuth {
  /** `SSWS <token>` or `Bearer <access token>`. */
  header(): Promise<string>
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
    header: async () => `SSWS ${token}`,
    invalidate: () => false,
    secrets: () => [token],
  }
}
