import type { ErrorCode } from '@ust-sync/api'
/** The stages `ust net check` runs per endpoint, in order. */
export type StageName = 'dns' | 'route' | 'tcp' | 'proxy' | 'tls' | 'http' | 'auth'

/** What a failed stage found, worded for people, and whether the request could have reached the server. */
export interface Failure {
  /** Stable code, e.g. `network.tls-untrusted`. */
  code: ErrorCode<'network'>
  message: string
  suggestions: string[]
  /** `not-sent`: the request cannot have reached the server; `unknown`: it may have. */
  delivery: 'not-sent' | 'unknown'
  /** Worth another attempt (a transient condition). */
  retryable: boolean
}

/** One certificate of the chain a server presented. */
export interface CertificateInfo {
  subject: string
  issuer: string
  validFrom: string
  validTo: string
  /** `DNS:a, IP:b` as in the certificate. */
  altNames?: string
}

/** TLS facts of an endpoint. */
export interface TlsFacts {
  protocol: string
  /** Leaf first. */
  chain: CertificateInfo[]
  /** Whether the chain verifies against the configured trust (system roots + `ca_file`). */
  trusted: boolean
  /** OpenSSL's reason when not trusted, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`. */
  verifyError?: string
  /** Whether the host name is one the leaf certificate names. */
  hostnameMatches: boolean
  /** Whether the chain ends at a CA of the public (Mozilla) root store. */
  publicRoot: boolean
}

/** Result of one stage for one endpoint. */
export interface StageResult {
  stage: StageName
  status: 'ok' | 'warn' | 'fail' | 'skipped'
  detail: string
  /** What to do (not ok only). */
  suggestion?: string
  durationMs?: number
  /** DNS stage: the addresses found. */
  addresses?: string[]
  /** TLS stage. */
  tls?: TlsFacts
  /** HTTP stage. */
  httpStatus?: number
  /** Failure behind a `fail`. */
  failure?: Failure
}

/** An endpoint to probe. */
export interface ProbeTarget {
  /** e.g. `UMAPI`, `IMS`, `LDAP`, `--host`. */
  name: string
  url: string
  /** False when the configuration turns TLS verification off for this host. */
  verifyTls: boolean
  /** Which plugin or option asked for it, e.g. `umapi (primary)`. */
  owner?: string
}

/** Everything found about one endpoint. */
export interface EndpointReport extends ProbeTarget {
  host: string
  port: number
  /** `direct`, `proxy http://…`, or `direct (no_proxy: …)`. */
  route: string
  stages: StageResult[]
  ok: boolean
}
