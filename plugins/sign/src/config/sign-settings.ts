import { ConfigError, type ConnectorConfig, type Endpoint } from '@ust-sync/api'

/** A Sign connector's settings, defaults applied. Holds the secret: never log or return it. */
export interface SignSettings {
  /** Entry host URL without a trailing slash, e.g. `https://api.echosign.com`. */
  entryUrl: string
  adminEmail: string
  /** How requests are authorised: the integration key (or an access token as is), or an OAuth refresh. */
  auth:
    | { kind: 'token'; token: string }
    | { kind: 'oauth'; clientId: string; clientSecret: string; refreshToken: string }
  createUsers: boolean
  deactivateUsers: boolean
  timeoutMs: number
  retries: number
  maxRetryAfterMs: number
  concurrency: number
  cachePath?: string
}

/** What a Sign target can do: test mode (nothing sent), and group creation. */
export const SIGN_CAPABILITIES = { testMode: true, createGroups: true } as const

/** Reads the validated connector config; a missing key is a ConfigError naming both forms. */
export function parseSignSettings(config: ConnectorConfig): SignSettings {
  const auth = authOf(config)
  if (!auth)
    throw new ConfigError('The Sign connector has no integration key', {
      code: 'config.sign-key-missing',
      suggestions: [
        'Write integration_key, or secure_integration_key_key naming a credential store entry whose account is admin_email',
        'Store it with `ust credentials set <service> -u <admin_email>`',
        'For OAuth: oauth_client_id, oauth_client_secret and oauth_refresh_token (or an oauth_access_token)',
      ],
    })
  const host = String(config.host).replace(/\/+$/, '')
  return {
    entryUrl: /^https?:\/\//i.test(host) ? host : `https://${host}`,
    adminEmail: String(config.admin_email),
    auth,
    createUsers: config.create_users === true,
    deactivateUsers: config.deactivate_users === true,
    timeoutMs: ((config.timeout as number | undefined) ?? 120) * 1000,
    retries: (config.retries as number | undefined) ?? 5,
    maxRetryAfterMs: ((config.max_retry_after as number | undefined) ?? 300) * 1000,
    concurrency: (config.request_concurrency as number | undefined) ?? 4,
    ...(typeof config.cache_path === 'string' ? { cachePath: config.cache_path } : {}),
  }
}

/** The one way of authorising the connector names. */
function authOf(config: ConnectorConfig): SignSettings['auth'] | undefined {
  const text = (key: string) => (typeof config[key] === 'string' ? (config[key] as string) : undefined)
  const token = text('integration_key') ?? text('oauth_access_token')
  const refreshToken = text('oauth_refresh_token')
  const clientId = text('oauth_client_id')
  const clientSecret = text('oauth_client_secret')
  const given = [text('integration_key'), text('oauth_access_token'), refreshToken].filter(Boolean).length
  if (given > 1)
    throw new ConfigError('The Sign connector names more than one credential', {
      code: 'config.sign-credentials',
      suggestions: ['Keep one of integration_key, oauth_access_token, oauth_refresh_token'],
    })
  if (token) return { kind: 'token', token }
  if (!refreshToken) return undefined
  if (!clientId || !clientSecret)
    throw new ConfigError('oauth_refresh_token needs oauth_client_id and oauth_client_secret', {
      code: 'config.sign-credentials',
      suggestions: ["Write the OAuth application's client id and secret next to the refresh token"],
    })
  return { kind: 'oauth', clientId, clientSecret, refreshToken }
}

/** The hosts `ust net check` probes: the entry host (the regional one is known only after `baseUris`). */
export function endpointsOf(settings: SignSettings, tlsVerify: boolean): Endpoint[] {
  return [{ name: 'Acrobat Sign (baseUris)', url: `${settings.entryUrl}/api/rest/v6/baseUris`, verifyTls: tlsVerify }]
}
