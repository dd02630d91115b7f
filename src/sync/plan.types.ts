import type { IdentityType, PlannedCommand, UpdateUserStep } from '@ust-sync/api'

/**
 * Data the sync engine passes between mapping, planning, limits and execution. Plain data; `Plan` is
 * JSON-serialisable (it is what `--plan-out` writes).
 */

/**
 * A selected directory user after mapping: who they are in Adobe terms and which groups they should have.
 * Mapping creates every user in one object shape, an absent optional value as an undefined key.
 */
export interface DesiredUser {
  /** UST user key `idType,username,domain,email`, lower-cased (domain empty for email-type usernames). */
  key: string
  identityType: IdentityType
  email: string
  /** The email unless the directory gave a separate username. */
  username: string
  /** Domain of the username (the email's domain for email-type usernames). */
  domain: string
  firstname?: string | undefined
  lastname?: string | undefined
  /** ISO-3166 alpha-2, upper case; absent when the directory has none. */
  country?: string | undefined
  /** Target name → lower-cased Adobe group names wanted there. Shared between users with the same groups: never mutate. */
  groups: ReadonlyMap<string, readonly string[]>
  /** Why this user is kept for matching only and never created (the source's `notCreatable`). */
  notCreatable?: string | undefined
}

/** The mapping's output: everything the planner needs from the directory side. */
export interface DesiredState {
  /** Directory users read (distinct user keys). */
  directoryUsersRead: number
  /** The users selected for input (`--users`, `--user-filter`). */
  users: DesiredUser[]
  /**
   * Target name → mapped Adobe groups (lower-cased name → name as configured): every group of
   * `directory_users.groups` plus every group produced by `additional_groups`.
   */
  mappedGroups: Map<string, Map<string, string>>
  /** Problems worth a WARNING, already worded. */
  warnings: string[]
}

/** The CSV `--adobe-only-user-action write-file` produces. */
export interface AdobeOnlyFile {
  path: string
  /** `type,email,domain` plus `umapi` when a secondary target has Adobe-only users. */
  columns: string[]
  rows: string[][]
}

/** The commands for one target, in execution order. */
export interface PlanTarget {
  /** `primary` or the secondary's name. */
  target: string
  commands: PlannedCommand[]
  /** Ids of the commands that handle Adobe-only users (dropped when the safety limit is exceeded). */
  adobeOnly: string[]
  /** Command id → the current values its `update` replaces (same keys), for people reviewing the plan. */
  previous?: Record<string, UpdateUserStep>
}

/** Counters the action summary reports that are known before execution. */
export interface PlanCounters {
  directoryUsersRead: number
  directoryUsersSelected: number
  /** Adobe users read from the primary target. */
  adobeUsersRead: number
  /** Primary Adobe users excluded (by exclusion rules, and Adobe-only users with action `exclude`). */
  adobeUsersExcluded: number
  /** Users created in the primary (sync) or pushed to it (push). */
  usersCreated: number
  /** Distinct existing users with attribute or group changes in any target. */
  usersUpdated: number
  /** `createGroup` commands planned (all targets). */
  groupsCreated: number
  /** Distinct users created in (pushed to) secondary targets. */
  secondaryUsersCreated: number
  /** Adobe-only users of the primary found (before the action). */
  adobeOnlyFound: number
  /** Of those, users with mapped groups to remove (what `group_removals_only` counts). */
  adobeOnlyWithGroups: number
  /** Primary Adobe-only users a command was planned for (0 when the limit was exceeded). */
  adobeOnlyProcessed: number
}

/** Outcome of the `limits.max_adobe_only_users` check, or of the directory-drop guard. */
export interface LimitDecision {
  /** Which safety check decided: the Adobe-only limit (default) or a directory read far smaller than before. */
  kind?: 'max_adobe_only_users' | 'directory_drop' | 'first_run'
  /** Whether the check applied (only when Adobe-only users are managed). */
  checked: boolean
  exceeded: boolean
  /** Adobe-only users counted. */
  count: number
  /** The computed maximum. */
  max: number
  /** The setting as written, e.g. `200` or `10%`. */
  setting: string
  /** UST's CRITICAL message when exceeded. */
  message?: string
}

/** What the Sign Sync action summary counts (UST's sets: emails, or user keys for the updates). */
export interface SignCounters {
  excluded: string[]
  created: string[]
  groupsUpdated: string[]
  rolesUpdated: string[]
  deactivated: string[]
  /** Sign-only users, summed over the orgs. */
  signOnly: number
  /** UST's INFO lines for what is planned for directory users and groups (logged before executing). */
  notes?: string[]
  /** UST's INFO lines for what is planned for Sign-only users (none when the limit stops them). */
  signOnlyNotes?: string[]
}

/** A complete, JSON-serialisable sync plan. */
export interface Plan {
  version: 1
  strategy: 'sync' | 'push'
  /** Adobe-only handling, for the summary (`deleted`, `removed`, ...); absent when Adobe-only users are not processed. */
  adobeOnlyVerb?: 'deleted' | 'removed' | 'removed from all groups' | 'with groups processed'
  /** Targets in execution order: secondaries first, the primary last. */
  targets: PlanTarget[]
  /** Names of the configured targets, primary first (for the summary's action lines). */
  targetNames: string[]
  counters: PlanCounters
  adobeOnlyFile?: AdobeOnlyFile
  limit?: LimitDecision
  /** Target name → mapped groups (lower-cased name → name as written in the config), for people reviewing the plan. */
  groupNames?: Record<string, Record<string, string>>
  /** WARNING lines produced while mapping and planning. */
  warnings: string[]
  /** ERROR lines (users that cannot be created, unknown targets in an Adobe-only list). */
  errors: string[]
  /** Present for a Sign Sync plan: what its action summary counts. */
  sign?: SignCounters
}
