import { readFileSync } from 'node:fs'
import { ConfigError, type ConnectorConfig, type IdentityType } from '@ust-sync/api'
import type { Expr } from '../filter/ast.js'
import { parseFilter } from '../filter/parse.js'
import { loadSigningKey } from '../auth/client-assertion.js'
import { ValueTemplate } from './value-template.js'

/** UST's defaults for connector-okta.yml. */
export const OKTA_DEFAULTS = {
  group_filter_format: '{group}',
  all_users_filter: 'user.status == "ACTIVE"',
  user_email_format: '{email}',
  user_given_name_format: '{firstName}',
  user_surname_format: '{lastName}',
  user_country_code_format: '{countryCode}',
} as const

/** The templates turning an Okta profile into a directory user. */
export interface OktaTemplates {
  email: ValueTemplate
  username?: ValueTemplate
  domain?: ValueTemplate
  givenName?: ValueTemplate
  surname?: ValueTemplate
  country?: ValueTemplate
  identityType?: ValueTemplate
}

/** How ust authenticates to Okta. */
export type OktaCredentials =
  | { kind: 'api_token'; token: string }
  | { kind: 'oauth'; clientId: string; privateKey: string; keyId?: string }

/** connector-okta.yml, checked and with defaults applied. */
export interface OktaOptions {
  /** `https://host[:port]`, no trailing slash. */
  origin: string
  credentials: OktaCredentials
  groupFilterFormat: string
  /** The text of all_users_filter (for messages) and its parsed form. */
  allUsersFilter: { text: string; expr: Expr }
  templates: OktaTemplates
  userIdentityType?: IdentityType
}

function configError(message: string, code: string, suggestion: string): ConfigError {
  return new ConfigError(`${message} in connector-okta.yml`, {
    code: `config.okta.${code}`,
    suggestions: [suggestion],
  })
}

/** `host` as UST takes it: `https://` is added when no scheme is given; any other scheme is refused. */
export function parseOrigin(host: string): string {
  const trimmed = host.trim()
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw configError(`host "${host}" is not a host name`, 'host', 'Set host to your Okta org, e.g. example.okta.com.')
  }
  if (url.protocol !== 'https:')
    throw configError(
      `host "${host}": Okta is reached over https only`,
      'host',
      'Write host without a scheme, e.g. example.okta.com.',
    )
  if (url.pathname !== '/' || url.search || url.username)
    throw configError(
      `host "${host}" has a path, query or user name`,
      'host',
      'Set host to the org host only, e.g. example.okta.com.',
    )
  return url.origin
}

/** Adobe's identity types, matched ignoring case as UST does. */
export function parseIdentityType(value: string): IdentityType | undefined {
  const lower = value.trim().toLowerCase()
  return (['adobeID', 'enterpriseID', 'federatedID'] as const).find((type) => type.toLowerCase() === lower)
}

function credentialsFrom(config: ConnectorConfig, text: (key: string) => string | undefined): OktaCredentials {
  const method = text('authentication_method') ?? 'api_token'
  if (method === 'oauth') {
    const clientId = text('client_id')
    if (!clientId)
      throw configError(
        'authentication_method: oauth needs client_id',
        'oauth',
        'Set client_id to the client id of your Okta API Services app.',
      )
    const file = text('private_key_file')
    const inline = typeof config.private_key === 'string' && config.private_key.trim() ? config.private_key : undefined
    if (file && inline)
      throw configError(
        'private_key and private_key_file are both set',
        'oauth',
        'Keep one of them (prefer secure_private_key_key).',
      )
    const privateKey = inline ?? (file ? readKeyFile(file) : undefined)
    if (!privateKey)
      throw configError(
        "authentication_method: oauth needs the app's private key",
        'oauth',
        'Store it with `ust credentials set` and name it with secure_private_key_key, or set private_key_file.',
      )
    const keyId = text('key_id')
    // Loaded now so that `ust config validate` reports a key that is not a usable private key.
    loadSigningKey(privateKey, keyId)
    return { kind: 'oauth', clientId, privateKey, ...(keyId ? { keyId } : {}) }
  }
  const token = typeof config.api_token === 'string' ? config.api_token.trim() : ''
  if (!token)
    throw configError(
      'no api_token (or secure_api_token_key)',
      'api-token',
      'Create an API token in the Okta Admin Console (Security > API > Tokens), store it with `ust credentials set`, and name it with secure_api_token_key.',
    )
  return { kind: 'api_token', token }
}

function readKeyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw configError(
      `private_key_file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      'oauth',
      'Check the path and that the user running ust can read the file.',
    )
  }
}

/** Checks connector-okta.yml settings (already schema-valid) and applies UST's defaults. */
export function oktaOptionsFrom(config: ConnectorConfig): OktaOptions {
  const text = (key: string): string | undefined => {
    const value = config[key]
    return typeof value === 'string' && value.trim() !== '' ? value : undefined
  }
  const origin = parseOrigin(text('host') ?? '')
  const typeText = text('user_identity_type')
  const userIdentityType = typeText === undefined ? undefined : parseIdentityType(typeText)
  if (typeText !== undefined && !userIdentityType)
    throw configError(
      `user_identity_type "${typeText}" is not valid`,
      'identity-type',
      'Set user_identity_type to adobeID, enterpriseID or federatedID.',
    )
  const template = (key: string, fallback?: string): ValueTemplate | undefined => {
    const value = text(key) ?? fallback
    return value === undefined ? undefined : ValueTemplate.parse(value, key)
  }
  const filterText = text('all_users_filter') ?? OKTA_DEFAULTS.all_users_filter
  return {
    origin,
    credentials: credentialsFrom(config, text),
    groupFilterFormat: text('group_filter_format') ?? OKTA_DEFAULTS.group_filter_format,
    allUsersFilter: { text: filterText, expr: parseFilter(filterText) },
    templates: withTemplates(
      { email: template('user_email_format', OKTA_DEFAULTS.user_email_format) as ValueTemplate },
      [
        ['username', template('user_username_format')],
        ['domain', template('user_domain_format')],
        ['givenName', template('user_given_name_format', OKTA_DEFAULTS.user_given_name_format)],
        ['surname', template('user_surname_format', OKTA_DEFAULTS.user_surname_format)],
        ['country', template('user_country_code_format', OKTA_DEFAULTS.user_country_code_format)],
        ['identityType', template('user_identity_type_format')],
      ],
    ),
    ...(userIdentityType ? { userIdentityType } : {}),
  }
}

/** `templates` with each optional template that is set, in order. */
function withTemplates(
  templates: OktaTemplates,
  optional: [Exclude<keyof OktaTemplates, 'email'>, ValueTemplate | undefined][],
): OktaTemplates {
  for (const [name, template] of optional) if (template) templates[name] = template
  return templates
}

/** `group_filter_format` applied to a directory group name (UST: `str.format(group=…)` after strip). */
export function oktaGroupName(format: string, group: string): string {
  return format
    .replaceAll('{{', '\u0000')
    .replaceAll('}}', '\u0001')
    .replaceAll('{group}', group.trim())
    .replaceAll('\u0000', '{')
    .replaceAll('\u0001', '}')
}
