import { ConfigError, type ConnectorConfig, type Endpoint, type TargetCapabilities } from '@ust-sync/api'

/** UMAPI endpoint kinds with their own request limit (umapi.md §8.1). */
export type EndpointKind = 'action' | 'users' | 'usersInGroup' | 'groups'

/** UMAPI's documented per-client limits per minute (umapi.md §8.1), the pacing defaults. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<EndpointKind, number>> = {
  action: 10,
  users: 25,
  usersInGroup: 25,
  groups: 5,
}

/** The connector file in the form the client uses: URLs built, defaults applied, secrets resolved. */
export interface UmapiSettings {
  orgId: string
  clientId: string
  /** Secret: never log it or put it in an error. */
  clientSecret: string
  /** e.g. `https://usermanagement.adobe.io/v2/usermanagement` (no trailing slash). */
  umapiBaseUrl: string
  /** `https://{host}/status`. */
  statusUrl: string
  /** `https://{auth_host}{auth_endpoint}`. */
  tokenUrl: string
  /** Per HTTP request (`server.timeout`, seconds in the file). */
  timeoutMs: number
  /** Total tries of one request (`server.retries`, UST default 3). */
  attempts: number
  /** Longest `Retry-After` to wait (`server.max_retry_after`, seconds in the file, default 300); longer stops. */
  maxRetryAfterMs: number
  /** Requests allowed per `windowMs`, per endpoint kind. */
  rateLimits: Record<EndpointKind, number>
  windowMs: number
  /** `server.ssl_verify` (UST: overrides `ssl_cert_verify` for this org); undefined when not set. */
  sslVerify?: boolean
}

type Section = Record<string, unknown>

const JWT_KEYS = ['tech_acct_id', 'tech_acct', 'priv_key_path', 'priv_key_data', 'priv_key_pass'] as const

function problem(path: string, message: string, suggestions: string[]): ConfigError {
  return new ConfigError(`umapi connector: ${path}: ${message}`, { code: 'config.umapi', suggestions })
}

function section(config: ConnectorConfig, key: string): Section {
  const value = config[key]
  return typeof value === 'object' && value !== null ? (value as Section) : {}
}

function text(s: Section, key: string): string | undefined {
  const value = s[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function num(s: Section, key: string): number | undefined {
  const value = s[key]
  return typeof value === 'number' ? value : undefined
}

/** The retired-JWT error: says what to change in the file. */
function jwtRetired(reason: string): ConfigError {
  return problem(
    'authentication_method',
    `${reason}. Adobe retired JWT (service account) credentials; use OAuth server-to-server.`,
    [
      'In the Adobe Developer Console, add an "OAuth Server-to-Server" credential to the project (or migrate the JWT one).',
      'In connector-umapi.yml set `authentication_method: oauth`, keep `enterprise.org_id`, set `enterprise.client_id` and `enterprise.client_secret` (or their secure_*_key forms) to the OAuth credential.',
      'Delete `enterprise.tech_acct_id`, `priv_key_path`, `priv_key_data` and `priv_key_pass`, and any `server.auth_endpoint`/`ims_endpoint_jwt` pointing at /ims/exchange/jwt.',
    ],
  )
}

/** A URL as it may be shown: a `user:password@` part is masked (it would carry a secret into the message). */
const shownUrl = (value: string): string => value.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?)[^/?#]*@/i, '$1***@')

/** Parses `http(s)://host[:port]` or a bare `host[:port]` (https) into an origin. */
function origin(path: string, value: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw problem(path, `"${shownUrl(value)}" is not a host name`, [
      'Give a host name such as usermanagement.adobe.io (optionally with https:// and :port).',
    ])
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw problem(path, `scheme ${url.protocol} is not supported`, [
      'Use a plain host name (https is assumed), or an https:// prefix.',
    ])
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw problem(path, `"${shownUrl(value)}" must be a host name only, without path, query or credentials`, [
      'Put the path in the matching endpoint setting (server.endpoint or server.auth_endpoint).',
    ])
  }
  return url.origin
}

function endpointPath(path: string, value: string): string {
  if (!value.startsWith('/')) throw problem(path, `"${value}" must start with /`, [`Write it as /${value}.`])
  return value.endsWith('/') && value.length > 1 ? value.slice(0, -1) : value
}

function alias(s: Section, key: string, legacy: string): string | undefined {
  const modern = text(s, key)
  const old = text(s, legacy)
  if (modern !== undefined && old !== undefined) {
    throw problem(`server.${legacy}`, `both ${key} and its legacy name ${legacy} are set`, [`Keep only server.${key}.`])
  }
  return modern ?? old
}

/**
 * Validates the meaning of a schema-valid `connector-umapi.yml` (secrets already resolved by the core) and
 * builds {@link UmapiSettings}. Throws a `ConfigError` for a JWT configuration (retired by Adobe), for
 * `client_id` together with legacy `api_key`, and for a missing client id.
 */
export function parseUmapiSettings(config: ConnectorConfig): UmapiSettings {
  const server = section(config, 'server')
  const enterprise = section(config, 'enterprise')
  const method = text(config as Section, 'authentication_method')
  const jwtKeys = JWT_KEYS.filter((k) => enterprise[k] !== undefined)
  if (method === 'jwt') throw jwtRetired('`authentication_method: jwt` is set')
  if (method === undefined && jwtKeys.length > 0) {
    throw jwtRetired(`no authentication_method is given and enterprise.${jwtKeys[0]} is set, so UST would use JWT`)
  }
  if (jwtKeys.length > 0) {
    throw problem(
      `enterprise.${jwtKeys[0]}`,
      'is a JWT setting and cannot be used with `authentication_method: oauth`',
      [`Delete enterprise.${jwtKeys.join(', enterprise.')} from the file.`],
    )
  }
  const orgId = text(enterprise, 'org_id')
  if (orgId === undefined)
    throw problem('enterprise.org_id', 'is required', [
      'Copy the organization ID (…@AdobeOrg) from the Adobe Developer Console.',
    ])
  const clientId = text(enterprise, 'client_id')
  const apiKey = text(enterprise, 'api_key')
  if (clientId !== undefined && apiKey !== undefined) {
    throw problem('enterprise.api_key', 'both client_id and its legacy name api_key are set', [
      'Keep only enterprise.client_id.',
    ])
  }
  const id = clientId ?? apiKey
  if (id === undefined) {
    throw problem('enterprise.client_id', 'is required', [
      "Set enterprise.client_id (or secure_client_id_key) to the OAuth credential's client ID.",
    ])
  }
  const clientSecret = text(enterprise, 'client_secret')
  if (clientSecret === undefined) {
    throw problem('enterprise.client_secret', 'is required', [
      'Set enterprise.client_secret or, better, secure_client_secret_key.',
    ])
  }
  const authEndpoint = endpointPath(
    'server.auth_endpoint',
    alias(server, 'auth_endpoint', 'ims_endpoint_jwt') ?? '/ims/token/v2',
  )
  if (authEndpoint.startsWith('/ims/exchange/jwt')) {
    throw jwtRetired(`server.auth_endpoint is ${authEndpoint}, the retired JWT exchange`)
  }
  const host = origin('server.host', text(server, 'host') ?? 'usermanagement.adobe.io')
  const authHost = origin('server.auth_host', alias(server, 'auth_host', 'ims_host') ?? 'ims-na1.adobelogin.com')
  const limits = section(server, 'rate_limits')
  return {
    orgId,
    clientId: id,
    clientSecret,
    umapiBaseUrl: host + endpointPath('server.endpoint', text(server, 'endpoint') ?? '/v2/usermanagement'),
    statusUrl: `${host}/status`,
    tokenUrl: authHost + authEndpoint,
    timeoutMs: (num(server, 'timeout') ?? 120) * 1000,
    attempts: num(server, 'retries') ?? 3,
    maxRetryAfterMs: (num(server, 'max_retry_after') ?? 300) * 1000,
    rateLimits: {
      action: num(limits, 'action') ?? DEFAULT_RATE_LIMITS.action,
      users: num(limits, 'users') ?? DEFAULT_RATE_LIMITS.users,
      usersInGroup: num(limits, 'users_in_group') ?? DEFAULT_RATE_LIMITS.usersInGroup,
      groups: num(limits, 'groups') ?? DEFAULT_RATE_LIMITS.groups,
    },
    windowMs: (num(server, 'rate_window_seconds') ?? 60) * 1000,
    ...(typeof server.ssl_verify === 'boolean' ? { sslVerify: server.ssl_verify } : {}),
  }
}

/** What the UMAPI target can do: a test mode (UMAPI's `testOnly`) and creating user groups. */
export const UMAPI_CAPABILITIES: TargetCapabilities = { testMode: true, createGroups: true }

/** The hosts a UMAPI target contacts (IMS for tokens, UMAPI), for `ust net check`. */
export function endpointsOf(settings: UmapiSettings, tlsVerify: boolean): Endpoint[] {
  const verifyTls = settings.sslVerify ?? tlsVerify
  return [
    { name: 'IMS', url: settings.tokenUrl, verifyTls },
    { name: 'UMAPI', url: settings.umapiBaseUrl, verifyTls },
  ]
}
