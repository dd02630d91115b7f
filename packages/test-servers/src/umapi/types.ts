/**
 * Public types of the fake UMAPI + IMS server (test-only). See reference/umapi.md §10.
 * Import everything from `@ust-sync/test-servers`.
 */
import type { FakeOrg } from './org-state.js'
import type { FaultQueue } from './faults.js'

import type { EndpointKind, LimitedEndpoint } from './endpoints.js'

export type { EndpointKind, LimitedEndpoint } from './endpoints.js'

/** Options of {@link startFakeUmapi}. Every field is optional. */
export interface FakeUmapiOptions {
  /** Serve HTTPS with this key/cert (see `test-ca.ts`); plain HTTP when absent. */
  /**
   * HTTPS with this key and certificate; with `clientCa`, every client must present a certificate issued by
   * that CA (mutual TLS): a connection without one is refused in the handshake.
   */
  tls?: { key: string | Buffer; cert: string | Buffer; clientCa?: string }
  /** The only org id served; default `12345ABCDEF@AdobeOrg`. */
  orgId?: string
  /** The only valid client id (also the only valid X-Api-Key); default `fake-client-id`. */
  clientId?: string
  /** The only valid client secret; default `fake-client-secret`. */
  clientSecret?: string
  /** `expires_in` of issued tokens, in seconds; tokens stop working after it. Default 86399. */
  tokenLifetimeSeconds?: number
  /** Page sizes of the paged GETs; defaults 2000 users, 400 groups. */
  pageSize?: { users?: number; groups?: number }
  /** Requests allowed per window per client id; defaults action 10, users 25, usersInGroup 25, user 25, groups 5. */
  limits?: Partial<Record<LimitedEndpoint, number>>
  /** Length of the (sliding) rate-limit window in ms; default 60 000. */
  windowMs?: number
  /** The fake's clock (token expiry, rate-limit windows, request times), e.g. a {@link ManualClock}'s; default `Date.now`. */
  now?: () => number
  /**
   * Penalty when a limit is exceeded, in seconds (fractions allowed for fast tests); default 60. Until it
   * ends, that client's requests to that endpoint get 429; `Retry-After` = whole seconds left, at least 1.
   */
  retryAfterSeconds?: number
  /** Domains where Enterprise/Federated users may be created or renamed; default `['example.com']`. */
  claimedDomains?: string[]
}

/** One request as the fake saw it. */
export interface RecordedRequest {
  method: string
  /** Raw path without query string, as sent (percent-encoding kept). */
  path: string
  /** Query parameters (last value wins for repeated names). */
  query: Record<string, string>
  /** Request headers, names lower-cased; repeated headers joined with `, `. Holds secrets as sent (test-only). */
  headers: Record<string, string>
  /** Parsed body: JSON value for JSON, field map for urlencoded/multipart forms, raw text otherwise, undefined when empty. */
  body: unknown
  /** Which endpoint the request addressed. */
  endpoint: EndpointKind
  /** HTTP status answered; 0 while pending or when no response was sent (connection reset, client gone). */
  status: number
  /** The fake's `now()` when the request arrived. */
  time: number
}

/** Counters kept by the fake. */
export interface FakeUmapiStats {
  /** Access tokens issued by the IMS endpoints. */
  tokensIssued: number
  /** 429 answers caused by the per-client limits. */
  limited429: number
  /** 429 answers caused by injected faults. */
  injected429: number
  /** The most requests being handled at the same time (a delayed one counts until it is answered). */
  mostInFlight: number
}

/** Handle of a running fake; stop it with {@link FakeUmapi.close}. */
export interface FakeUmapi {
  /** Base URL, e.g. `http://127.0.0.1:43123`. IMS at `/ims/token/v2|v3`, UMAPI at `/v2/usermanagement/...`, `/status`. */
  url: string
  /** `url + '/v2/usermanagement'`. */
  umapiUrl: string
  /** Org id served (same as `org.orgId`). */
  orgId: string
  /** Valid credentials, for tests to pass to the client under test. */
  clientId: string
  clientSecret: string
  /** The org's live state: seed before the test, inspect after. */
  org: FakeOrg
  /** Every request received, in arrival order. */
  requests: RecordedRequest[]
  /** Fault injection queue. */
  faults: FaultQueue
  /** Counters (tokens issued, 429s by cause). */
  stats: FakeUmapiStats
  /** Makes every token issued so far invalid (next UMAPI call answers 401). */
  expireAllTokens(): void
  /** Total 429 answers: limit-driven plus injected (see {@link FakeUmapiStats} for each). */
  tooManyRequests(): number
  /**
   * Resolves once no request is being handled: every request received so far (a delayed one too, whose
   * client may have given up) has been served, and its effects are in the org.
   */
  settled(): Promise<void>
  /** Stops the server and drops open connections. */
  close(): Promise<void>
}
