import type { IdentityType } from '@ust-sync/api'

/** The part after `@`, or '' when there is none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@')
  return at < 0 ? '' : address.slice(at + 1)
}

/**
 * UST's user key, lower-cased: `idType,username,domain,email`. The domain is empty when the username is an
 * email address; Adobe IDs are keyed by email only.
 */
export function userKey(identityType: IdentityType, username: string, domain: string, email: string): string {
  // Joined from lower-cased parts (the same string: lower-casing never looks across a comma) rather than
  // lower-casing a concatenation, which copies it flat first. join makes one flat string: a key kept as a
  // concatenation tree costs three times its size for as long as the desired state lives.
  const lowerEmail = email.toLowerCase()
  if (identityType === 'adobeID') return ['adobeid', lowerEmail, '', lowerEmail].join(',')
  const lowerUsername = username === email ? lowerEmail : username.toLowerCase()
  const keyDomain = username.includes('@') ? '' : domain.toLowerCase()
  return [LOWER_TYPES[identityType] ?? identityType.toLowerCase(), lowerUsername, keyDomain, lowerEmail].join(',')
}

const LOWER_TYPES: Record<string, string> = {
  adobeID: 'adobeid',
  enterpriseID: 'enterpriseid',
  federatedID: 'federatedid',
}

/** Parses an identity type written in any case (`federatedid`, `FederatedID`); undefined when unknown. */
export function parseIdentityType(value: string | undefined): IdentityType | undefined {
  switch (value?.trim().toLowerCase()) {
    case 'adobeid':
      return 'adobeID'
    case 'enterpriseid':
      return 'enterpriseID'
    case 'federatedid':
      return 'federatedID'
    default:
      return undefined
  }
}

/** Trims a directory value; blank becomes undefined (a UST defect fixed: a blank value is "no value"). */
export function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}
