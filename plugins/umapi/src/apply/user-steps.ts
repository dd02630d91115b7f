import type { EntryRoot, ActionStep } from './action-entry.js'
import { MAX_NAMES_PER_LIST } from './action-entry.js'
import type { UserCommand, UserRef } from '@ust-sync/api'

/** Splits `items` into consecutive lists of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** `names` without exact duplicates, first occurrence kept (UMAPI refuses duplicates in one list). */
export function distinct(names: readonly string[]): string[] {
  return [...new Set(names)]
}

/**
 * How UMAPI addresses a user (umapi.md §5.1): an Adobe ID by email with `useAdobeID`; a user whose
 * username is not an email by username + domain; everyone else by the current email (so an email change
 * goes to the user as it is now, not to the new address: a UST defect fixed).
 */
export function userRoot(ref: UserRef): EntryRoot {
  if (ref.identityType === 'adobeID') return { user: ref.email, useAdobeID: true }
  if (ref.username !== '' && !ref.username.includes('@')) return { user: ref.username, domain: ref.domain }
  return { user: ref.email }
}

/**
 * How UMAPI addresses a user being created: as {@link userRoot}, except that an Enterprise/Federated ID
 * whose username looks like an email but is not its email is rooted at the username (the create step
 * carries the email), as UST does; rooted at the email, UMAPI would create username = email.
 */
export function createRoot(ref: UserRef): EntryRoot {
  if (
    ref.identityType !== 'adobeID' &&
    ref.username.includes('@') &&
    ref.username.toLowerCase() !== ref.email.toLowerCase()
  )
    return { user: ref.username }
  return userRoot(ref)
}

const CREATE_STEP = {
  adobeID: 'addAdobeID',
  enterpriseID: 'createEnterpriseID',
  federatedID: 'createFederatedID',
} as const

/** Whether the command's `update` changes anything (an empty update is no step: a UST defect fixed). */
export function hasUpdate(command: UserCommand): boolean {
  return command.update !== undefined && Object.values(command.update).some((v) => v !== undefined)
}

/**
 * The ordered UMAPI steps of one user command: create, update, remove, add, removeFromOrg, with group
 * lists split into steps of at most 10 names.
 */
export function userSteps(command: UserCommand): ActionStep[] {
  const steps: ActionStep[] = []
  const { create, update, removeGroups, addGroups, removeFromOrg, user } = command
  if (create) {
    const fields = {
      email: user.email,
      ...(create.country !== undefined && { country: create.country }),
      ...(create.firstname !== undefined && { firstname: create.firstname }),
      ...(create.lastname !== undefined && { lastname: create.lastname }),
      option: create.onConflict === 'update' ? ('updateIfAlreadyExists' as const) : ('ignoreIfAlreadyExists' as const),
    }
    const key = CREATE_STEP[user.identityType]
    steps.push({ [key]: fields } as ActionStep)
  }
  if (update && hasUpdate(command)) {
    steps.push({ update: Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) })
  }
  if (removeGroups === 'all') steps.push({ remove: 'all' })
  else for (const group of chunk(distinct(removeGroups ?? []), MAX_NAMES_PER_LIST)) steps.push({ remove: { group } })
  for (const group of chunk(distinct(addGroups ?? []), MAX_NAMES_PER_LIST)) steps.push({ add: { group } })
  if (removeFromOrg) steps.push({ removeFromOrg: { deleteAccount: removeFromOrg.deleteAccount } })
  return steps
}
