import { ConfigError, type ConnectorConfig, type Endpoint } from '@ust-sync/api'

/** A Sign connector's settings, defaults applied. Holds the secret: never log or return it. */
export interface SignSettings {
  /** Entry host URL without a trailing slash, e.g. `https://api.echosign.com`. */
  entryUrl: string
  adminEmail: string
  /** The bearer token: the integration key, or an OAuth access token. */
  token: string
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
  const token = (config.integration_key ?? config.oauth_access_token) as string | undefined
  if (!token)
    throw new ConfigError('The Sign connector has no integration key', {
      code: 'config.sign-key-missing',
      suggestions: [
        'Write integration_key, or secure_integration_key_key naming a credential store entry whose account is admin_email',
        'Store it with `ust credentials set <service> -u <admin_email>`',
      ],
    })
  const host = String(config.host).replace(/\/+$/, '')
  return {
    entryUrl: /^https?:\/\//i.test(host) ? host : `https://${host}`,
    adminEmail: String(config.admin_email),
    token,
    createUsers: config.create_users === true,
    deactivateUsers: config.deactivate_users === true,
    timeoutMs: ((config.timeout as number | undefined) ?? 120) * 1000,
    retries: (config.retries as number | undefined) ?? 5,
    maxRetryAfterMs: ((config.max_retry_after as number | undefined) ?? 300) * 1000,
    concurrency: (config.request_concurrency as number | undefined) ?? 4,
    ...(typeof config.cache_path === 'string' ? { cachePath: config.cache_path } : {}),
  }
}

/** The hosts `ust net check` probes: the entry host (the regional one is known only after `baseUris`). */
export function endpointsOf(settings: SignSettings, tlsVerify: boolean): Endpoint[] {
  return [{ name: 'Acrobat Sign (baseUris)', url: `${settings.entryUrl}/api/rest/v6/baseUris`, verifyTls: tlsVerify }]
}
