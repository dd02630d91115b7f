/**
 * The records identity sources, the sync engine and targets exchange. Plain data: serialisable as JSON,
 * no methods, no secrets.
 */

/** Adobe's three identity types (UST spelling). */
export type IdentityType = 'adobeID' | 'enterpriseID' | 'federatedID'

/**
 * A person as read from an identity source (directory), before mapping. An optional field may be left out or
 * given as undefined (the same to ust): a source that creates every user in one object shape, absent values
 * undefined, keeps property access fast.
 */
export interface DirectoryUser {
  /** Identity type given by the directory for this user; the config's `user_identity_type` applies when absent. */
  identityType?: IdentityType | undefined
  /** Email address (required: a source skips, with a warning, entries without a valid one). */
  email: string
  /** Username, when it differs from the email (federated IDs with non-email usernames). */
  username?: string | undefined
  /** Domain of a non-email username. */
  domain?: string | undefined
  firstname?: string | undefined
  lastname?: string | undefined
  /** ISO-3166 alpha-2, upper case. */
  country?: string | undefined
  /** Names of the directory groups the user is a direct member of. */
  groups: string[]
  /** Raw source attributes (for extension hooks and diagnostics). Never secrets. */
  attributes?: Record<string, string | string[] | undefined>
  /** Where the record came from, for messages (e.g. `users.csv:12`, an LDAP DN). */
  origin?: string | undefined
  /**
   * Set when the record is kept only for matching and must never be created (e.g. an invalid identity
   * type: creating it with the default type could make the wrong kind of account). Worded for the user,
   * with where it is (`users.csv:12: …`); the engine reports it as an error when a create would be needed.
   */
  notCreatable?: string | undefined
}

/** What the engine asks a source to read. */
export interface SourceSelection {
  /** Directory groups whose members must be read (mapped groups and/or `--users group`). */
  groups: string[]
  /** Also read every user, not only members of `groups` (`--users all`). */
  allUsers: boolean
  /** Extra attributes to read (`extended_attributes`), returned in each user's `attributes` under these names. */
  extendedAttributes: string[]
  /**
   * True when `directory_users.additional_groups` rules apply (with `--process-groups`): they match any group
   * a user is a member of, so each user's `groups` should list all of them, not only those in `groups`. A
   * source that cannot (the LDAP source without `dynamic_group_member_attribute`) throws a `ConfigError`
   * saying what to configure (UST requires that attribute too). Absent from older cores: read it as false.
   */
  memberGroups?: boolean
}

/** What a source returns. A source that cannot read everything asked must throw a `SourceError`. */
export interface DirectoryReadResult {
  users: DirectoryUser[]
  /** Non-fatal problems (skipped rows, groups not found), already worded for the user. */
  warnings: string[]
}

/** A user as the target currently has it. */
export interface TargetUser {
  identityType: IdentityType
  email: string
  /** Equals `email` unless a federated ID has a non-email username. */
  username: string
  /** Domain of the username (the email's domain when the username is an email). */
  domain: string
  firstname?: string
  lastname?: string
  country?: string
  /** Groups (user groups, product profiles, admin groups) the user is directly in, as the target spells them. */
  groups: string[]
}

/** Kinds of group a target knows. Only `userGroup` can be created by ust. */
export type TargetGroupType = 'userGroup' | 'productProfile' | 'adminGroup' | 'other'

/** A group in the target. */
export interface TargetGroup {
  name: string
  type: TargetGroupType
  memberCount?: number
  /**
   * True for the group a target puts users in when they have no other (Acrobat Sign's Default Group):
   * removing a user's group moves them there. At most one per snapshot; absent: no such group.
   */
  isDefault?: boolean
}

/** What the engine asks a target to read. */
export interface SnapshotScope {
  /** Read only users in these groups (`--adobe-users group|mapped`); all users when absent. */
  groups?: string[]
  /** Also list groups (needed for user-group auto-create). */
  includeGroups: boolean
}

/** A target's current state, as far as the scope asked. */
export interface TargetSnapshot {
  users: TargetUser[]
  /** Present when the scope asked for groups. */
  groups?: TargetGroup[]
}

/** How a command addresses an existing (or to-be-created) user in the target. */
export interface UserRef {
  identityType: IdentityType
  email: string
  username: string
  domain: string
}

/** Attributes sent when creating a user. */
export interface CreateUserStep {
  firstname?: string
  lastname?: string
  country?: string
  /** What the target does when the user exists already: skip the create, or update names from it. */
  onConflict: 'ignore' | 'update'
}

/** Attribute changes of an existing user. Only present keys change. */
export interface UpdateUserStep {
  email?: string
  username?: string
  firstname?: string
  lastname?: string
}

/**
 * Everything to do to one user in one target, applied in this order:
 * create, update, removeGroups, addGroups, removeFromOrg.
 */
export interface UserCommand {
  kind: 'user'
  /** Unique within a plan, stable (`<target>:<n>`), used to report results. */
  id: string
  user: UserRef
  create?: CreateUserStep
  update?: UpdateUserStep
  /** Group names (lower-cased), or `all` (every group except those the target cannot remove, like `_org_admin`). */
  removeGroups?: string[] | 'all'
  /** Group names, lower-cased: match them to the target's spelling ignoring case. */
  addGroups?: string[]
  /**
   * Remove the user from the organisation; `deleteAccount` also deletes the account where the target
   * tells the two apart (Adobe). A target with one organisation (a SCIM service) deletes the user.
   */
  removeFromOrg?: { deleteAccount: boolean }
}

/** Create a user group (`group_sync_options.auto_create`). */
export interface CreateGroupCommand {
  kind: 'createGroup'
  id: string
  name: string
  description: string
}

/** A command planned for a target. */
export type PlannedCommand = UserCommand | CreateGroupCommand

/** A target's traffic in one run, for monitoring. */
export interface TargetStats {
  /** Requests sent to the service (retries included). */
  requests: number
  /** Time spent waiting for rate limits (client-side pacing and the server's Retry-After on throttling), in ms. */
  rateLimitWaitMs: number
}

/** Result of one planned command. */
export interface CommandResult {
  /** The `id` of the planned command. */
  commandId: string
  /**
   * `done`: applied (or, in test mode, accepted); `failed`: refused or not sent; `unknown`: sent, but the
   * reply was lost (reset, timeout, gateway error), so it may or may not have been applied. The engine
   * counts `unknown` as a failure; the next run reads the target again and converges.
   */
  status: 'done' | 'failed' | 'unknown'
  /** Why it failed: target error code and message, never a secret. */
  errors?: {
    code: string
    message: string
    /** The step of the command the target refused, when it says (e.g. UMAPI's `add`, `createFederatedID`). */
    step?: string
  }[]
}

/** Outcome of one connectivity or configuration check (for `ust net check` and `ust config validate`). */
export interface CheckResult {
  /** What was checked, e.g. `IMS token`, `TCP connect`. */
  name: string
  /** Where: host:port or URL. */
  endpoint: string
  status: 'ok' | 'warn' | 'fail'
  /** What was seen, worded for the user. */
  detail: string
  /** What to do when not ok. */
  suggestion?: string
  durationMs?: number
}

/** A network endpoint a plugin will contact (for `ust net check`). */
export interface Endpoint {
  /** What it is, e.g. `UMAPI`, `IMS`. */
  name: string
  url: string
  /** False when the connector's configuration turns TLS verification off for it (`ssl_verify: false`). */
  verifyTls?: boolean
}
