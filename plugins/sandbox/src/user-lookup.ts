import type { UserRef } from '@ust-sync/api'
import type { SandboxGroup, SandboxOrg, SandboxUser } from './org-types.js'

/** Lower-cases for UMAPI's case-insensitive comparisons of emails, usernames, domains and group names. */
export const fold = (text: string): string => text.toLowerCase()

/** The part of an email after `@` (empty when there is none). */
export function domainOf(email: string): string {
  return email.slice(email.indexOf('@') + 1)
}

/** How UMAPI addresses the user: by username + domain when the username is not an email, else by email. */
export function rootOf(ref: UserRef): string {
  return ref.username && !ref.username.includes('@') ? `${ref.username} (${ref.domain})` : ref.email
}

/**
 * Finds the user a command addresses, as UMAPI resolves the `user` root: an Adobe ID reference finds only
 * Adobe IDs (UMAPI's `useAdobeID`), any other reference only Enterprise and Federated IDs. A non-email
 * username matches on username + domain, otherwise the email matches; all case-insensitively.
 */
export function findUser(org: SandboxOrg, ref: UserRef): SandboxUser | undefined {
  const adobe = ref.identityType === 'adobeID'
  const byUsername = Boolean(ref.username) && !ref.username.includes('@')
  return org.users.find((user) => {
    if ((user.identityType === 'adobeID') !== adobe) return false
    if (byUsername)
      return (
        !user.username.includes('@') &&
        fold(user.username) === fold(ref.username) &&
        fold(user.domain) === fold(ref.domain)
      )
    return fold(user.email) === fold(ref.email)
  })
}

/** The org's group with this name, ignoring letter case. */
export function findGroup(org: SandboxOrg, name: string): SandboxGroup | undefined {
  return org.groups.find((group) => fold(group.name) === fold(name))
}
