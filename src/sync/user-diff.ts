import type { TargetUser, UpdateUserStep } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import type { DesiredUser } from './plan.types.js'

type Attribute = keyof UpdateUserStep

/**
 * Attribute changes of a matched user (UST `get_user_attribute_difference` plus the 2.10
 * `update_attributes` filter): names compare exactly, email and username case-insensitively; a blank
 * directory value is no value (a UST defect fixed). Changes to attributes not configured for updating are
 * reported with UST's WARNING and left alone.
 */
export function attributeChanges(
  desired: DesiredUser,
  current: TargetUser,
  updateAttributes: UstConfig['adobeUsers']['updateAttributes'],
  warnings: string[],
): UpdateUserStep | undefined {
  let step: UpdateUserStep | undefined
  const note = (attribute: Attribute, value: string): void => {
    if (updateAttributes.includes(attribute)) (step ??= {})[attribute] = value
    else
      warnings.push(
        `'${attribute}' has changed for user '${desired.key}', but that attribute isn't configured for updating`,
      )
  }
  if (desired.firstname !== undefined && desired.firstname !== current.firstname) note('firstname', desired.firstname)
  if (desired.lastname !== undefined && desired.lastname !== current.lastname) note('lastname', desired.lastname)
  if (desired.email !== current.email && desired.email.toLowerCase() !== current.email.toLowerCase())
    note('email', desired.email)
  if (
    current.identityType !== 'adobeID' &&
    desired.username !== current.username &&
    desired.username.toLowerCase() !== current.username.toLowerCase()
  ) {
    note('username', desired.username)
  }
  return step
}

/**
 * Keeps one copy of each value the directory and the org agree on: the directory user takes the org's
 * string object (same text, so nothing compares differently), and the directory's copy is garbage. At 100k
 * users the names and emails are held twice otherwise (~8 MB).
 */
export function shareEqualStrings(desired: DesiredUser, current: TargetUser): void {
  if (desired.firstname === current.firstname) desired.firstname = current.firstname
  if (desired.lastname === current.lastname) desired.lastname = current.lastname
  if (desired.email === current.email) desired.email = current.email
  if (desired.username === current.username) desired.username = current.username
}

/** Lower-cases group names, memoised (a few distinct names repeat across a million users). */
export class GroupNames {
  private readonly cache = new Map<string, string>()

  /** The name, lower-cased. */
  lower = (name: string): string => {
    let lower = this.cache.get(name)
    if (lower === undefined) this.cache.set(name, (lower = name.toLowerCase()))
    return lower
  }

  /** The distinct lower-cased names of `groups` that are in `mapped`. */
  mappedOf(groups: readonly string[], mapped: ReadonlyMap<string, string>): string[] {
    const found: string[] = []
    for (const group of groups) {
      const lower = this.lower(group)
      if (mapped.has(lower) && !found.includes(lower)) found.push(lower)
    }
    return found
  }
}

/** `add = desired − current`, `remove = (current − desired) ∩ mapped`, all lower-cased (UST); undefined when both are empty. */
export function groupChanges(
  desired: readonly string[],
  current: readonly string[],
  mapped: ReadonlyMap<string, string>,
  names: GroupNames,
): { add: string[]; remove: string[] } | undefined {
  // Each current group is lower-cased once (this runs for every matched user).
  const lowered = current.length === 0 ? current : current.map(names.lower)
  let unchanged = true
  for (const g of desired) if (!lowered.includes(g)) unchanged = false
  for (const c of lowered) if (mapped.has(c) && !desired.includes(c)) unchanged = false
  if (unchanged) return undefined
  return {
    add: desired.filter((g) => !lowered.includes(g)),
    remove: names.mappedOf(current, mapped).filter((g) => !desired.includes(g)),
  }
}
