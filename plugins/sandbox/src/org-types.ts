import type { TargetUser } from '@ust-sync/api'

/** Kinds of group a sandbox org holds (the file format's `type`). */
export type SandboxGroupType = 'userGroup' | 'productProfile' | 'adminGroup'

/** A group of the sandbox org: a user group, a product profile or an admin group such as `_org_admin`. */
export interface SandboxGroup {
  name: string
  type: SandboxGroupType
  /** Set for user groups created by ust (`group_sync_options.auto_create`). */
  description?: string
}

/**
 * A user of the sandbox org. In the file, `username` and `domain` may be omitted: they default to the
 * email and the email's domain (an Adobe or Enterprise ID, or a Federated ID with an email username).
 * Every group name must be one of the org's `groups`.
 */
export type SandboxUser = TargetUser

/**
 * A sandbox organisation: what the `sandbox` target keeps in its JSON file (`org_file`).
 *
 * ```json
 * {
 *   "users": [
 *     { "identityType": "federatedID", "email": "ann@corp.example", "username": "ann@corp.example",
 *       "domain": "corp.example", "firstname": "Ann", "lastname": "Lee", "country": "US",
 *       "groups": ["Design Team", "Photoshop - Default"] }
 *   ],
 *   "groups": [
 *     { "name": "Design Team", "type": "userGroup" },
 *     { "name": "Photoshop - Default", "type": "productProfile" },
 *     { "name": "_org_admin", "type": "adminGroup" }
 *   ]
 * }
 * ```
 *
 * `identityType` is `adobeID`, `enterpriseID` or `federatedID`; `type` is `userGroup`, `productProfile` or
 * `adminGroup`. Group names are unique ignoring letter case, and so are users (by email, or by
 * username + domain for a non-email username, separately for Adobe IDs and the other two types).
 */
export interface SandboxOrg {
  users: SandboxUser[]
  groups: SandboxGroup[]
}
