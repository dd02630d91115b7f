import type { IdentityType } from '@ust-sync/api'

const TYPES: IdentityType[] = ['adobeID', 'enterpriseID', 'federatedID']

/** Parses an identity type case-insensitively (`federatedid` → `federatedID`); undefined when it is none of the three. */
export function parseIdentityType(value: string): IdentityType | undefined {
  const wanted = value.trim().toLowerCase()
  return TYPES.find((type) => type.toLowerCase() === wanted)
}
