import { ConfigError, type ConnectorConfig, type IdentityType } from '@ust-sync/api'
import { ValueTemplate } from './value-template.js'

/** The user templates of connector-entra.yml, parsed. */
export interface UserTemplates {
  email: ValueTemplate
  username?: ValueTemplate
  domain?: ValueTemplate
  givenName: ValueTemplate
  surname: ValueTemplate
  country: ValueTemplate
  identityType?: ValueTemplate
}

/** How the app proves who it is: a client secret, or a certificate's private key. */
export type Credential =
  | { kind: 'secret'; secret: string }
  | { kind: 'certificate'; certificateFile: string; privateKeyFile: string; passphrase?: string }

/** connector-entra.yml in the form the source uses: URLs built, defaults applied, secrets resolved. */
export interface EntraSettings {
  tenantId: string
  clientId: string
  credential: Credential
  /** `https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token`. */
  tokenUrl: string
  /** `https://graph.microsoft.com` (the scope is `{graphRoot}/.default`). */
  graphRoot: string
  /** `{graphRoot}/v1.0`. */
  graphBase: string
  allUsersFilter?: string
  templates: UserTemplates
  /** `user_identity_type` of this file; undefined leaves it to the main config. */
  identityType?: IdentityType
  timeoutMs: number
  attempts: number
  maxRetryAfterMs: number
  /** Resource units allowed per window (Graph's identity read budget, graph-api.md §11). */
  resourceUnits: number
  windowMs: number
}

const problem = (key: string, message: string, suggestions: string[]): ConfigError =>
  new ConfigError(`connector-entra.yml: ${key}: ${message}`, { code: 'config.entra', suggestions })

function str(config: ConnectorConfig, key: string): string | undefined {
  const value = config[key]
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/** `https://host[:port]` from `host`, `host:port` or a URL with http(s) and nothing after the host. */
export function hostOrigin(key: string, value: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw problem(key, `"${value}" is not a host name`, ['Give a host name such as graph.microsoft.com.'])
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.username
  )
    throw problem(key, `"${value}" must be a host name (optionally https:// and :port) without a path`, [
      'For a national cloud use e.g. authority_host: login.microsoftonline.us and graph_host: graph.microsoft.us.',
    ])
  return url.origin
}

function templateOf(config: ConnectorConfig, key: string, fallback?: string): ValueTemplate | undefined {
  const text = typeof config[key] === 'string' ? (config[key] as string) : fallback
  return text === undefined || text === '' ? undefined : ValueTemplate.parse(text, key)
}

function credentialOf(config: ConnectorConfig): Credential {
  const secret = str(config, 'client_secret')
  const certificateFile = str(config, 'certificate_file')
  const privateKeyFile = str(config, 'private_key_file')
  if (secret !== undefined && (certificateFile || privateKeyFile))
    throw problem('client_secret', 'give either client_secret or certificate_file with private_key_file, not both', [
      'Keep the credential the app registration uses and delete the other.',
    ])
  if (secret !== undefined) return { kind: 'secret', secret }
  if (certificateFile && privateKeyFile) {
    const passphrase = str(config, 'private_key_pass')
    return { kind: 'certificate', certificateFile, privateKeyFile, ...(passphrase ? { passphrase } : {}) }
  }
  throw problem(
    certificateFile || privateKeyFile ? (certificateFile ? 'private_key_file' : 'certificate_file') : 'client_secret',
    'is required',
    [
      'Set client_secret (better: secure_client_secret_key) to a client secret of the app registration,',
      'or certificate_file and private_key_file to a certificate uploaded to it.',
    ],
  )
}

function num(config: ConnectorConfig, key: string): number | undefined {
  const server = config.server
  const value = typeof server === 'object' && server !== null ? (server as Record<string, unknown>)[key] : undefined
  return typeof value === 'number' ? value : undefined
}

/**
 * Validates the meaning of a schema-valid `connector-entra.yml` (secrets resolved) and builds
 * {@link EntraSettings}. Throws a `ConfigError` for a missing or doubled credential, a bad host or a
 * malformed template.
 */
export function parseEntraSettings(config: ConnectorConfig): EntraSettings {
  const tenantId = str(config, 'tenant_id') ?? ''
  const clientId = str(config, 'client_id') ?? ''
  if (!/^[A-Za-z0-9.-]+$/.test(tenantId))
    throw problem('tenant_id', `"${tenantId}" is not a tenant ID or domain`, [
      "Copy the Directory (tenant) ID from the app registration's overview page in the Entra admin center.",
    ])
  const authority = hostOrigin('authority_host', str(config, 'authority_host') ?? 'login.microsoftonline.com')
  const graphRoot = hostOrigin('graph_host', str(config, 'graph_host') ?? 'graph.microsoft.com')
  const email = templateOf(config, 'user_email_format', '{mail}') as ValueTemplate
  const username = templateOf(config, 'user_username_format')
  const domain = templateOf(config, 'user_domain_format')
  const identityTypeTemplate = templateOf(config, 'user_identity_type_format')
  const templates: UserTemplates = {
    email,
    givenName: templateOf(config, 'user_given_name_format', '{givenName}') as ValueTemplate,
    surname: templateOf(config, 'user_surname_format', '{surname}') as ValueTemplate,
    country: templateOf(config, 'user_country_code_format', '{usageLocation}') as ValueTemplate,
    ...(username ? { username } : {}),
    ...(domain ? { domain } : {}),
    ...(identityTypeTemplate ? { identityType: identityTypeTemplate } : {}),
  }
  const allUsersFilter = str(config, 'all_users_filter')
  const identityType = str(config, 'user_identity_type') as IdentityType | undefined
  return {
    tenantId,
    clientId,
    credential: credentialOf(config),
    tokenUrl: `${authority}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`,
    graphRoot,
    graphBase: `${graphRoot}/v1.0`,
    ...(allUsersFilter ? { allUsersFilter } : {}),
    templates,
    ...(identityType ? { identityType } : {}),
    timeoutMs: (num(config, 'timeout') ?? 120) * 1000,
    attempts: num(config, 'retries') ?? 5,
    maxRetryAfterMs: (num(config, 'max_retry_after') ?? 300) * 1000,
    resourceUnits: num(config, 'resource_units') ?? 3500,
    windowMs: (num(config, 'window_seconds') ?? 10) * 1000,
  }
}

/** Graph properties a user read must `$select`: id, userPrincipalName, every templated one, and `extra`. */
export function selectedProperties(templates: UserTemplates, extra: readonly string[]): string[] {
  const names = new Set(['id', 'userPrincipalName'])
  for (const template of Object.values(templates) as ValueTemplate[])
    for (const name of template.attributes) names.add(name)
  for (const name of extra) names.add(name)
  return [...names]
}
