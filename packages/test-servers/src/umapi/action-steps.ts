/**
 * Validated action steps and entries (output of action-validate.ts, input of the apply files). An optional
 * field of a step is undefined (or absent) when the request left it out.
 */

/** Create options (umapi.md §5.2). */
export type CreateOption = 'ignoreIfAlreadyExists' | 'updateIfAlreadyExists'

/** `createEnterpriseID` / `createFederatedID` / `addAdobeID`. */
export interface CreateUserStep {
  name: 'createEnterpriseID' | 'createFederatedID' | 'addAdobeID'
  email: string
  firstname?: string | undefined
  lastname?: string | undefined
  country?: string | undefined
  option?: CreateOption | undefined
}

/** `update` of an Enterprise/Federated user. */
export interface UpdateUserStep {
  name: 'update'
  email?: string | undefined
  username?: string | undefined
  firstname?: string | undefined
  lastname?: string | undefined
}

/** `add` / `remove`; for a user root `groups`+`profiles` are used, for a usergroup root `users`+`profiles`. */
export interface MembershipStep {
  name: 'add' | 'remove'
  /** `remove: "all"` (user root only). */
  all: boolean
  groups: string[]
  profiles: string[]
  users: string[]
}

/** `removeFromOrg`. */
export interface RemoveFromOrgStep {
  name: 'removeFromOrg'
  deleteAccount: boolean
}

/** `createUserGroup`. */
export interface CreateUserGroupStep {
  name: 'createUserGroup'
  groupName?: string | undefined
  description?: string | undefined
  option?: CreateOption | undefined
}

/** `updateUserGroup`. */
export interface UpdateUserGroupStep {
  name: 'updateUserGroup'
  groupName?: string | undefined
  description?: string | undefined
}

/** `deleteUserGroup`. */
export interface DeleteUserGroupStep {
  name: 'deleteUserGroup'
}

/** Steps of a user root. */
export type UserStep = CreateUserStep | UpdateUserStep | MembershipStep | RemoveFromOrgStep
/** Steps of a usergroup root. */
export type GroupStep = CreateUserGroupStep | UpdateUserGroupStep | DeleteUserGroupStep | MembershipStep

/** A syntactically valid command entry. */
export type ValidEntry =
  | { kind: 'user'; root: string; domain?: string | undefined; useAdobeID: boolean; steps: UserStep[] }
  | { kind: 'usergroup'; root: string; steps: GroupStep[] }

/** A failure of one step (or of the entry itself, reported as step 0). */
export interface StepFailure {
  step: number
  errorCode: string
  message: string
}

/** A warning about one step. */
export interface StepWarning {
  step: number
  warningCode: string
  message: string
}

/** Thrown by validation and apply code; caught per entry and turned into an `errors[]` element. */
export class StepError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly step: number,
  ) {
    super(message)
  }
}
