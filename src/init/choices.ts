/** Directory connectors `ust init` can write a connector file for. */
export const INIT_SOURCES = ['csv', 'ldap', 'entra'] as const
/** Targets `ust init` can write a connector file for. */
export const INIT_TARGETS = ['umapi', 'sandbox'] as const

export type InitSource = (typeof INIT_SOURCES)[number]
export type InitTarget = (typeof INIT_TARGETS)[number]

/** Everything `ust init` needs to write a configuration (from flags, prompts or defaults). */
export interface InitChoices {
  source: InitSource
  target: InitTarget
  /** UMAPI: the organisation id (`…@AdobeOrg`). */
  orgId: string
  /** UMAPI: the OAuth Server-to-Server client id. */
  clientId: string
  /** LDAP: `ldap[s]://host[:port]`. */
  ldapHost: string
  /** LDAP: the search base. */
  baseDn: string
  /** LDAP: the bind DN (or DOMAIN\user). */
  ldapUsername: string
  /** Entra ID: the directory (tenant) ID or a verified domain. */
  tenantId: string
  /** Entra ID: the application (client) ID of the app registration. */
  entraClientId: string
  /** Identity type of the Adobe accounts created: federatedID (SSO) or enterpriseID. */
  identityType: 'federatedID' | 'enterpriseID'
  /** ISO 3166 code for users without a country. */
  country: string
}

/** Placeholders written when no value was given; `ust sync` against UMAPI fails until they are replaced. */
export const DEFAULT_CHOICES: InitChoices = {
  source: 'csv',
  target: 'sandbox',
  orgId: 'YOUR_ORG_ID@AdobeOrg',
  clientId: 'YOUR_CLIENT_ID',
  ldapHost: 'ldaps://ldap.example.com',
  baseDn: 'dc=example,dc=com',
  ldapUsername: 'cn=ust-reader,ou=service accounts,dc=example,dc=com',
  tenantId: 'your-tenant.onmicrosoft.com',
  entraClientId: 'YOUR_APP_CLIENT_ID',
  identityType: 'federatedID',
  country: 'US',
}
