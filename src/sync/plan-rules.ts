import type { CreateUserStep, IdentityType, UserRef } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import type { UstPattern } from '../config/ust-pattern.js'
import type { PlanDraft } from './plan-draft.js'
import type { DesiredUser } from './plan.types.js'

/** `adobe_users.exclude_*`, ready to test. */
export interface Exclusions {
  identityTypes: ReadonlySet<IdentityType>
  /** Lower-cased primary-org group names. */
  groups: ReadonlySet<string>
  /** `exclude_users` patterns over the username, applied as UST applies them. */
  usernames: readonly UstPattern[]
}

/** Compiles the exclusion rules of the config. */
export function compileExclusions(config: UstConfig): Exclusions {
  return {
    identityTypes: new Set(config.adobeUsers.excludeIdentityTypes),
    groups: new Set(config.adobeUsers.excludeAdobeGroups.map((g) => g.toLowerCase())),
    usernames: config.adobeUsers.excludeUsers,
  }
}

/**
 * Whether an Adobe user is excluded from updates: by identity type, by username, or (primary org only)
 * by membership of an excluded group.
 */
export function isExcluded(
  user: { identityType: IdentityType; username: string; groups?: readonly string[] },
  exclusions: Exclusions,
  inPrimary: boolean,
  lower: (name: string) => string = (name) => name.toLowerCase(),
): boolean {
  if (exclusions.identityTypes.has(user.identityType)) return true
  if (inPrimary && exclusions.groups.size > 0 && user.groups?.some((g) => exclusions.groups.has(lower(g)))) return true
  return exclusions.usernames.some((re) => re.test(user.username))
}

/** How a command addresses a directory user (to be created, or pushed). */
export function refOfDesired(user: DesiredUser): UserRef {
  return { identityType: user.identityType, email: user.email, username: user.username, domain: user.domain }
}

/**
 * The create step for a directory user (UST `create_umapi_commands_for_directory_user`): names when
 * present, country from the directory, else `default_country_code`, else `UD` for Enterprise IDs;
 * otherwise UST's ERROR and no creation (undefined). A user the source marked `notCreatable` is never
 * created: its reason is the error.
 */
export function createStep(
  user: DesiredUser,
  config: UstConfig,
  onConflict: CreateUserStep['onConflict'],
  draft: Pick<PlanDraft, 'errors' | 'notCreatableReported'>,
): CreateUserStep | undefined {
  const { errors } = draft
  if (user.notCreatable) {
    // Kept for matching only (it never looks Adobe-only), never created: one error however many targets.
    if (!draft.notCreatableReported.has(user)) {
      draft.notCreatableReported.add(user)
      errors.push(user.notCreatable)
    }
    return undefined
  }
  const country =
    user.country ??
    config.directoryUsers.defaultCountryCode ??
    (user.identityType === 'enterpriseID' ? 'UD' : undefined)
  if (!country) {
    errors.push(`User cannot be added without a specified country code: ${user.key}`)
    return undefined
  }
  const step: CreateUserStep = { country, onConflict }
  if (user.firstname !== undefined) step.firstname = user.firstname
  if (user.lastname !== undefined) step.lastname = user.lastname
  return step
}
