import type { DirectoryUser } from '@ust-sync/api'
import type { LdapEntry } from './entry.js'
import { parseIdentityType, type UserTemplates } from './ldap-options.js'
import type { ValueTemplate } from './template.js'

/** What converting one entry gave: a user, or the reason it was skipped (a warning). */
export type EntryResult = { user: DirectoryUser; warning?: string } | { skipped: string }

/** Attributes a user search must request for these templates (plus the dynamic group attribute). */
export function userAttributes(templates: UserTemplates, extra: (string | undefined)[]): string[] {
  const names = new Map<string, string>()
  const add = (name: string | undefined) => {
    if (name && !names.has(name.toLowerCase())) names.set(name.toLowerCase(), name)
  }
  for (const template of Object.values(templates) as (ValueTemplate | undefined)[])
    for (const name of template?.attributes ?? []) add(name)
  for (const name of extra) add(name)
  return [...names.values()]
}

const templateNames = new WeakMap<UserTemplates, string[]>()

/** Attribute names the templates reference (computed once per options object). */
function namesOf(templates: UserTemplates): string[] {
  let names = templateNames.get(templates)
  if (!names) {
    names = (Object.values(templates) as (ValueTemplate | undefined)[]).flatMap((t) => t?.attributes ?? [])
    templateNames.set(templates, names)
  }
  return names
}

/** First RDN value of a DN (`CN=Sales\, EMEA,OU=x` → `Sales, EMEA`), the group name UST derives from memberOf. */
export function firstRdnValue(dn: string): string {
  let value = ''
  let index = dn.indexOf('=') + 1
  for (; index < dn.length; index++) {
    const char = dn[index]
    if (char === ',' || char === '+') break
    if (char === '\\' && index + 1 < dn.length) {
      const hex = dn.slice(index + 1, index + 3)
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        value += String.fromCharCode(Number.parseInt(hex, 16))
        index += 2
      } else value += dn[++index]
      continue
    }
    value += char
  }
  return value.trim()
}

/**
 * Converts an entry into a directory user with UST's rules: the email from `user_email_format` (an entry
 * without one is skipped with a warning naming its DN), username/domain defaults, names and upper-cased
 * country from their templates, identity type from `user_identity_type_format` (an unknown type skips the
 * user with a warning; a missing attribute falls back to the default type).
 */
export function entryToUser(
  entry: LdapEntry,
  templates: UserTemplates,
  options: {
    dynamicGroupAttribute?: string | undefined
    defaultIdentityType?: string | undefined
    extendedAttributes: string[]
  },
): EntryResult {
  const render = (template?: ValueTemplate) => (template ? template.render(entry) : {})
  const email = render(templates.email)
  const emailText = email.value?.trim()
  if (!emailText) {
    return {
      skipped: `Skipping user with dn ${entry.dn}: ${email.missing ? `no email attribute (${email.missing})` : 'empty email'}`,
    }
  }
  if (!emailText.includes('@')) return { skipped: `Skipping user with dn ${entry.dn}: invalid email "${emailText}"` }
  const user: DirectoryUser = { email: emailText, groups: [], origin: entry.dn }
  let warning: string | undefined

  const typeValue = render(templates.identityType)
  if (typeValue.value?.trim()) {
    const type = parseIdentityType(typeValue.value)
    if (!type) {
      return {
        skipped: `Skipping user with dn ${entry.dn}: identity type "${typeValue.value}" is not adobeID, enterpriseID or federatedID`,
      }
    }
    user.identityType = type
  } else if (typeValue.missing) {
    warning = `No identity_type attribute (${typeValue.missing}) for user with dn: ${entry.dn}, defaulting to ${options.defaultIdentityType ?? 'the configured user_identity_type'}`
  }

  const username = render(templates.username).value?.trim()
  if (username) user.username = username
  const domain = render(templates.domain).value?.trim()
  if (domain) user.domain = domain
  else if (username && username.toLowerCase() !== emailText.toLowerCase())
    user.domain = emailText.slice(emailText.indexOf('@') + 1)

  const given = render(templates.givenName).value
  if (given) user.firstname = given
  const surname = render(templates.surname).value
  if (surname) user.lastname = surname
  const country = render(templates.country).value?.trim()
  if (country) user.country = country.toUpperCase()

  if (options.dynamicGroupAttribute) addDynamicGroups(user, entry.values(options.dynamicGroupAttribute))
  const attributes: Record<string, string | string[] | undefined> = {}
  for (const name of namesOf(templates)) attributes[name] = entry.single(name)
  for (const name of options.extendedAttributes) attributes[name] = entry.single(name)
  user.attributes = attributes
  return warning ? { user, warning } : { user }
}

/** Adds the group named by each DN's first RDN value (`memberOf`), once each, ignoring case. */
function addDynamicGroups(user: DirectoryUser, dns: readonly string[]): void {
  for (const dn of dns) {
    const name = firstRdnValue(dn)
    if (name && !user.groups.some((known) => known.toLowerCase() === name.toLowerCase())) user.groups.push(name)
  }
}
