import type { DirectoryUser, IdentityType } from '@ust-sync/api'
import type { UserTemplates } from './entra-settings.js'

/** A converted user, or why it was skipped (a warning worded for the administrator). */
export type UserResult = { user: DirectoryUser; warning?: string } | { skipped: string }

const TYPES: Record<string, IdentityType> = {
  adobeid: 'adobeID',
  enterpriseid: 'enterpriseID',
  federatedid: 'federatedID',
}

/** UST's identity type names, any case (`federatedID`, `FederatedId`). */
export function parseIdentityType(text: string): IdentityType | undefined {
  return TYPES[text.trim().toLowerCase()]
}

/** A Graph property as template text: strings as they are, the first of a list, numbers and booleans written out. */
function textOf(raw: unknown): string | undefined {
  if (Array.isArray(raw)) return textOf(raw.find((v) => v !== null && v !== undefined))
  if (typeof raw === 'string') return raw
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw)
  return undefined
}

function attribute(raw: unknown): string | string[] | undefined {
  if (Array.isArray(raw)) {
    const values = raw.filter((v) => v !== null && v !== undefined).map(String)
    return values.length === 0 ? undefined : values
  }
  return textOf(raw)
}

/**
 * A Graph user as a directory user, with UST's rules: the email from `user_email_format` (default
 * `{mail}`; a user without one is skipped with a warning naming its userPrincipalName), username and
 * domain templates, names, the country upper-cased (default `{usageLocation}`), the identity type from
 * `user_identity_type_format` (an unknown one skips the user) or the connector's `user_identity_type`.
 * `attributes` holds every selected property (templates and `extended_attributes`).
 */
export function toDirectoryUser(
  graph: Record<string, unknown>,
  templates: UserTemplates,
  options: { properties: readonly string[]; identityType?: IdentityType },
): UserResult {
  const first = (name: string) => textOf(graph[name])
  const upn = typeof graph.userPrincipalName === 'string' ? graph.userPrincipalName : String(graph.id)
  const email = templates.email.render(first)
  const emailText = email.value?.trim()
  if (!emailText)
    return {
      skipped: `Skipping user ${upn}: ${email.missing ? `no email (${email.missing} is empty)` : 'empty email'}`,
    }
  if (!emailText.includes('@')) return { skipped: `Skipping user ${upn}: invalid email "${emailText}"` }
  const user: DirectoryUser = { email: emailText, groups: [], origin: upn }
  let warning: string | undefined
  const typeValue = templates.identityType?.render(first)
  if (typeValue?.value?.trim()) {
    const type = parseIdentityType(typeValue.value)
    if (!type)
      return {
        skipped: `Skipping user ${upn}: identity type "${typeValue.value}" is not adobeID, enterpriseID or federatedID`,
      }
    user.identityType = type
  } else if (typeValue?.missing) {
    warning = `No identity type (${typeValue.missing}) for user ${upn}, using the configured user_identity_type`
  }
  if (!user.identityType && options.identityType) user.identityType = options.identityType
  const username = templates.username?.render(first).value?.trim()
  if (username) user.username = username
  const domain = templates.domain?.render(first).value?.trim()
  if (domain) user.domain = domain
  else if (username && username.toLowerCase() !== emailText.toLowerCase())
    user.domain = emailText.slice(emailText.indexOf('@') + 1)
  const given = templates.givenName.render(first).value
  if (given) user.firstname = given
  const surname = templates.surname.render(first).value
  if (surname) user.lastname = surname
  const country = templates.country.render(first).value?.trim()
  if (country) user.country = country.toUpperCase()
  const attributes: Record<string, string | string[] | undefined> = {}
  for (const name of options.properties) attributes[name] = attribute(graph[name])
  user.attributes = attributes
  return warning ? { user, warning } : { user }
}
