import type { DirectoryUser, IdentityType } from '@ust-sync/api'
import { type OktaTemplates, parseIdentityType } from './config/okta-options.js'
import { profileText, type ValueTemplate } from './config/value-template.js'

/** An Okta user object as listed (okta-api.md §6); unknown fields are ignored. */
export interface OktaUser {
  id: string
  status?: string
  profile: Record<string, unknown>
  [field: string]: unknown
}

/** Whether a list item is a user object ust can read. */
export function isOktaUser(item: unknown): item is OktaUser {
  const user = item as Partial<OktaUser> | null
  return (
    typeof user === 'object' &&
    user !== null &&
    typeof user.id === 'string' &&
    typeof user.profile === 'object' &&
    user.profile !== null
  )
}

/** Converting one user gave a directory user, or why it was skipped (a warning). */
export type ConversionResult = { user: DirectoryUser; warning?: string } | { skipped: string }

/**
 * Converts an Okta user with UST's rules: the email from `user_email_format` (none: skipped with a
 * warning), username from its template else the email, domain from its template else (when the username
 * is not the email) the email's domain, names from their templates, the country upper-cased, the identity
 * type from `user_identity_type_format` when it gives one. `attributes` holds the profile keys the
 * templates use, `login`, `id`, and the extended attributes.
 */
export function convertUser(
  okta: OktaUser,
  templates: OktaTemplates,
  extendedAttributes: readonly string[],
  defaultIdentityType: IdentityType | undefined,
): ConversionResult {
  const render = (template?: ValueTemplate) => (template ? template.render(okta.profile) : {})
  const origin = `Okta user ${okta.id}`
  const email = render(templates.email)
  const emailText = email.value?.trim()
  if (!emailText?.includes('@'))
    return {
      skipped: `Skipping ${origin}: ${emailText ? `invalid email "${emailText}"` : `no email (${email.missing ?? 'empty'})`}`,
    }
  const user: DirectoryUser = { email: emailText, groups: [], origin }
  let warning: string | undefined
  const type = render(templates.identityType).value?.trim()
  if (type) {
    const parsed = parseIdentityType(type)
    if (!parsed)
      return { skipped: `Skipping ${origin}: identity type "${type}" is not adobeID, enterpriseID or federatedID` }
    user.identityType = parsed
  } else if (templates.identityType) {
    warning = `No identity type for ${origin} (user_identity_type_format), defaulting to ${defaultIdentityType ?? 'the configured user_identity_type'}`
  }
  const username = render(templates.username).value?.trim()
  if (username) user.username = username
  const domain = render(templates.domain).value?.trim()
  if (domain) user.domain = domain
  else if (username && username.toLowerCase() !== emailText.toLowerCase())
    user.domain = emailText.slice(emailText.indexOf('@') + 1)
  const firstname = render(templates.givenName).value
  if (firstname) user.firstname = firstname
  const lastname = render(templates.surname).value
  if (lastname) user.lastname = lastname
  const country = render(templates.country).value?.trim()
  if (country) user.country = country.toUpperCase()
  const attributes: Record<string, string | undefined> = { id: okta.id, login: profileText(okta.profile, 'login') }
  for (const template of Object.values(templates) as (ValueTemplate | undefined)[])
    for (const field of template?.fields ?? []) attributes[field] = profileText(okta.profile, field)
  for (const name of extendedAttributes) attributes[name] = profileText(okta.profile, name)
  user.attributes = attributes
  return warning ? { user, warning } : { user }
}
