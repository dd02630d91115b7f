/** One step of a UMAPI action entry: an object with exactly one key, the step name (umapi.md §5.2–5.3). */
export type ActionStep =
  | { createEnterpriseID: CreateFields }
  | { createFederatedID: CreateFields }
  | { addAdobeID: CreateFields }
  | { update: { email?: string; username?: string; firstname?: string; lastname?: string } }
  | { remove: 'all' | { group: string[] } | { user: string[] } }
  | { add: { group: string[] } | { user: string[] } }
  | { removeFromOrg: { deleteAccount: boolean } }
  | { createUserGroup: { name: string; description: string; option: 'ignoreIfAlreadyExists' } }

/** Fields of a create step. */
export interface CreateFields {
  email: string
  country?: string
  firstname?: string
  lastname?: string
  option: 'ignoreIfAlreadyExists' | 'updateIfAlreadyExists'
}

/** The root of an entry: a user (email, or username + domain) or a user group. */
export type EntryRoot = { user: string; domain?: string; useAdobeID?: true } | { usergroup: string }

/** One element of the array POSTed to `/action/{orgId}`. */
export type ActionEntry = EntryRoot & { requestID: string; do: ActionStep[] }

/** UMAPI's payload limits (umapi.md §8.2). */
export const MAX_ENTRIES_PER_REQUEST = 10
export const MAX_STEPS_PER_ENTRY = 10
export const MAX_NAMES_PER_LIST = 10
