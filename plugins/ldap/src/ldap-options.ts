import { createRequire } from 'node:module'
import { ConfigError, type ConnectorConfig, type ErrorCode, type IdentityType } from '@ust-sync/api'
import { ValueTemplate } from './template.js'

/** UST's defaults for `connector-ldap.yml` (user_sync/connector/directory_ldap.py). */
export const LDAP_DEFAULTS = {
  all_users_filter: '(&(objectClass=user)(objectCategory=person)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
  group_filter_format: '(&(|(objectCategory=group)(objectClass=groupOfNames)(objectClass=posixGroup))(cn={group}))',
  group_member_filter_format: '(memberOf={group_dn})',
  search_page_size: 200,
  user_email_format: '{mail}',
  user_given_name_format: '{givenName}',
  user_surname_format: '{sn}',
  user_country_code_format: '{c}',
  string_encoding: 'utf8',
} as const

/** How the members of a group are found. */
export type Membership =
  | { kind: 'filter'; format: string }
  | { kind: 'two-step'; memberAttribute: string; nested: boolean }

/** The templates turning an entry into a directory user. */
export interface UserTemplates {
  email: ValueTemplate
  username?: ValueTemplate
  domain?: ValueTemplate
  givenName?: ValueTemplate
  surname?: ValueTemplate
  country?: ValueTemplate
  identityType?: ValueTemplate
}

/** `connector-ldap.yml` after UST's defaults are applied and checked. */
export interface LdapOptions {
  /** Parsed `host`: scheme, host name and port. */
  url: { secure: boolean; host: string; port: number; text: string }
  baseDn: string
  /** Bind DN; absent for anonymous binds. */
  username?: string
  password?: string
  /** StartTLS before binding on `ldap://` (`require_tls_cert: True`). */
  startTls: boolean
  /** Page size of Simple Paged Results; 0 disables paging. */
  pageSize: number
  allUsersFilter: string
  groupFilterFormat: string
  membership: Membership
  dynamicGroupAttribute?: string
  templates: UserTemplates
  userIdentityType?: IdentityType
  encoding: string
}

const FILE = 'connector-ldap.yml'

const IDENTITY_TYPES: IdentityType[] = ['adobeID', 'enterpriseID', 'federatedID']

/** Parses an identity type as UST does (case-insensitive); undefined when it is none of the three. */
export function parseIdentityType(value: string): IdentityType | undefined {
  const wanted = value.trim().toLowerCase()
  return IDENTITY_TYPES.find((type) => type.toLowerCase() === wanted)
}

function configError(message: string, code: ErrorCode<'config'>, suggestion: string): ConfigError {
  return new ConfigError(`${message} in ${FILE}`, { code, suggestions: [suggestion] })
}

/** A URL as it may be shown: a `user:password@` part is masked (it would carry a secret into the message). */
const shownUrl = (value: string): string => value.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?)[^/?#]*@/i, '$1***@')

/** Parses `host` (`ldap://h[:389]`, `ldaps://h[:636]`; a bare host name means `ldap://`). */
export function parseHost(text: string): LdapOptions['url'] {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `ldap://${text}`
  let parsed: URL
  try {
    parsed = new URL(withScheme)
  } catch {
    throw configError(
      `host "${shownUrl(text)}" is not an LDAP URL`,
      'config.ldap.host',
      'Write host as ldap://host[:port] or ldaps://host[:port].',
    )
  }
  const scheme = parsed.protocol.toLowerCase()
  if (scheme !== 'ldap:' && scheme !== 'ldaps:') {
    throw configError(
      `host "${shownUrl(text)}" uses ${scheme.slice(0, -1)}://`,
      'config.ldap.host',
      'Use ldap:// (with require_tls_cert: True for StartTLS) or ldaps://.',
    )
  }
  if ((parsed.pathname && parsed.pathname !== '/') || parsed.search) {
    throw configError(
      `host "${shownUrl(text)}" has a path or query`,
      'config.ldap.host',
      'Give only ldap[s]://host[:port] in host and the search base in base_dn.',
    )
  }
  const secure = scheme === 'ldaps:'
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  const port = parsed.port ? Number(parsed.port) : secure ? 636 : 389
  return {
    secure,
    host,
    port,
    text: `${secure ? 'ldaps' : 'ldap'}://${parsed.host || host}${parsed.port ? '' : `:${port}`}`,
  }
}

/**
 * The bind DN and password of `authentication_method` (`simple` by default): none for an anonymous bind
 * (or without a username); NTLM and Kerberos, and a username without a password, are refused.
 */
function bindOf(text: (key: string) => string | undefined): Pick<LdapOptions, 'username' | 'password'> {
  const method = text('authentication_method') ?? 'simple'
  if (method === 'ntlm' || method === 'kerberos') {
    throw configError(
      `authentication_method: ${method} is not supported by ust`,
      'config.ldap.auth-method',
      'Use authentication_method: simple with a bind DN or user@domain (AD accepts both) over ldaps:// or StartTLS (require_tls_cert: True).',
    )
  }
  const username = text('username')
  const password = text('password')
  if (method === 'simple' && username !== undefined && !password) {
    throw configError(
      `username is set but no password (nor secure_password_key) is given`,
      'config.ldap.no-password',
      'Add password or secure_password_key, or set authentication_method: anonymous.',
    )
  }
  if (method === 'anonymous' || username === undefined) return {}
  return password === undefined ? { username } : { username, password }
}

/**
 * Normalises a validated `connector-ldap.yml`: applies UST's defaults and checks what a schema cannot
 * (authentication method, the exclusive membership settings, templates, encoding, identity type).
 */
export function ldapOptionsFrom(config: ConnectorConfig): LdapOptions {
  const text = (key: string): string | undefined =>
    typeof config[key] === 'string' ? (config[key] as string) : undefined
  const bind = bindOf(text)

  const twoSteps = config.two_steps_lookup as
    | { group_member_attribute_name: string; nested_group?: boolean }
    | undefined
  if (twoSteps && text('group_member_filter_format') !== undefined) {
    throw configError(
      'two_steps_lookup and group_member_filter_format are both set',
      'config.ldap.membership',
      'Keep one: group_member_filter_format for directories with memberOf, two_steps_lookup for the others.',
    )
  }
  const membership: Membership = twoSteps
    ? {
        kind: 'two-step',
        memberAttribute: twoSteps.group_member_attribute_name,
        nested: twoSteps.nested_group === true,
      }
    : { kind: 'filter', format: text('group_member_filter_format') ?? LDAP_DEFAULTS.group_member_filter_format }

  const encoding = text('string_encoding') ?? LDAP_DEFAULTS.string_encoding
  // iconv-lite is loaded here, when an ldap source is created, not when the plugin registers.
  const iconv = createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite')
  if (!iconv.encodingExists(encoding)) {
    throw configError(
      `Unknown string_encoding "${encoding}"`,
      'config.ldap.encoding',
      'Set string_encoding to an encoding such as utf8, latin1 or cp1252.',
    )
  }
  const typeText = text('user_identity_type')
  const userIdentityType = typeText === undefined ? undefined : parseIdentityType(typeText)
  if (typeText !== undefined && !userIdentityType) {
    throw configError(
      `Invalid user_identity_type "${typeText}"`,
      'config.ldap.identity-type',
      'Set user_identity_type to adobeID, enterpriseID or federatedID.',
    )
  }
  const template = (key: string, fallback?: string): ValueTemplate | undefined => {
    const value = text(key) ?? fallback
    return value === undefined || value === '' ? undefined : ValueTemplate.parse(value, key)
  }
  const email = template('user_email_format', LDAP_DEFAULTS.user_email_format)
  const dynamicGroupAttribute = text('dynamic_group_member_attribute')
  if (!email)
    throw configError('user_email_format is empty', 'config.ldap.template', 'Set user_email_format, e.g. "{mail}".')
  const pageSize =
    typeof config.search_page_size === 'number' ? config.search_page_size : LDAP_DEFAULTS.search_page_size
  return {
    url: parseHost(text('host') ?? ''),
    baseDn: text('base_dn') ?? '',
    ...bind,
    startTls: config.require_tls_cert === true,
    pageSize,
    allUsersFilter: text('all_users_filter') ?? LDAP_DEFAULTS.all_users_filter,
    groupFilterFormat: text('group_filter_format') ?? LDAP_DEFAULTS.group_filter_format,
    membership,
    ...(dynamicGroupAttribute === undefined ? {} : { dynamicGroupAttribute }),
    templates: withTemplates({ email }, [
      ['username', template('user_username_format')],
      ['domain', template('user_domain_format')],
      ['givenName', template('user_given_name_format', LDAP_DEFAULTS.user_given_name_format)],
      ['surname', template('user_surname_format', LDAP_DEFAULTS.user_surname_format)],
      ['country', template('user_country_code_format', LDAP_DEFAULTS.user_country_code_format)],
      ['identityType', template('user_identity_type_format')],
    ]),
    ...(userIdentityType === undefined ? {} : { userIdentityType }),
    encoding,
  }
}

/** `templates` with each optional template that is set (one whose format is unset or empty has none), in order. */
function withTemplates(
  templates: UserTemplates,
  optional: [Exclude<keyof UserTemplates, 'email'>, ValueTemplate | undefined][],
): UserTemplates {
  for (const [name, template] of optional) if (template) templates[name] = template
  return templates
}
