import type { OktaDirectory } from './directory.js'
import type { OktaEndpoint, OktaFaults } from './faults.js'
import type { FakeOktaApp } from './oauth.js'

/** Options of {@link startFakeOkta}. */
export interface FakeOktaOptions {
  /** Serve HTTPS with this key/cert (see `createTestCa`). Okta is HTTPS only: required. */
  tls: { key: string | Buffer; cert: string | Buffer }
  /** The valid SSWS API token; default a random one (see `FakeOkta.token`). */
  token?: string
  /** An OAuth 2.0 API Services app allowed to get access tokens. */
  app?: FakeOktaApp
  /** Per-minute limits by bucket; default Okta's Workforce figures (users 600, groups 500, members 1000, token 600). */
  limits?: Partial<Record<OktaEndpoint, number>>
  /** Rate-limit window, ms; default 60 000 (Okta's minute). */
  windowMs?: number
  /** The fake's clock (rate-limit windows, token expiry); default `Date.now`. */
  now?: () => number
}

/** One request as the fake saw it, and what it answered. */
export interface OktaRecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  endpoint: OktaEndpoint | 'other'
  /** Request headers, lower-cased (secrets as sent: test-only). */
  headers: Record<string, string>
  /** Status answered; 0 for a reset or truncated reply. */
  status: number
  /** Items in the answered list page (list endpoints). */
  items?: number
}

/** A running fake Okta org. */
export interface FakeOkta {
  /** `https://127.0.0.1:<port>` */
  url: string
  /** `127.0.0.1:<port>`: connector-okta.yml's `host`. */
  host: string
  /** The valid SSWS token. */
  token: string
  directory: OktaDirectory
  faults: OktaFaults
  /** Every request, in arrival order. */
  requests: OktaRecordedRequest[]
  /** Most requests of a bucket (default: of any bucket) counted within one window; above the limit means 429s. */
  busiestWindow(bucket?: OktaEndpoint): number
  /** The per-minute limit of each bucket. */
  limits: Record<OktaEndpoint, number>
  /** 429s answered because a limit was exceeded (injected ones not counted). */
  limited(): number
  /** Resolves with the first request (from now on) that `match` accepts, once it is answered. */
  served(match: (request: OktaRecordedRequest) => boolean): Promise<OktaRecordedRequest>
  close(): Promise<void>
}
