import { describe, isRecord, needStrings, Problems } from './shape.js'

/** The keys of `TargetAttributes`. */
export const TARGET_ATTRIBUTE_KEYS = ['email', 'username', 'domain', 'firstname', 'lastname', 'country'] as const

/**
 * Problems in a created mapping hook (a `MappingHook`): an object with an `afterMapping` function and,
 * when present, `extendedAttributes` and `extendedAdobeGroups` as arrays of strings (group names not empty).
 */
export function checkMappingHook(value: unknown): string[] {
  const p = new Problems()
  if (!isRecord(value) || typeof value.afterMapping !== 'function') {
    p.add('hook', `expected an object with an afterMapping() method, got ${describe(value)}`)
    return p.list
  }
  if (value.extendedAttributes !== undefined) needStrings(p, 'extendedAttributes', value.extendedAttributes)
  if (value.extendedAdobeGroups !== undefined) {
    needStrings(p, 'extendedAdobeGroups', value.extendedAdobeGroups)
    if (Array.isArray(value.extendedAdobeGroups))
      value.extendedAdobeGroups.forEach((g, i) => {
        if (typeof g === 'string' && !/[^:\s]/.test(g.split('::').pop() ?? ''))
          p.add(`extendedAdobeGroups[${i}]`, `expected a group name (Group or org::Group), got "${g}"`)
      })
  }
  return p.list
}

/**
 * Problems in what a mapping hook left for one user: `targetAttributes` an object with only the keys of
 * `TargetAttributes`, each a string, null or undefined (a misspelt key is a problem, not ignored), and
 * `targetGroups` a Set or an array of strings. The core runs this after every call; the testkit in
 * `checkMappingHook`.
 */
export function checkHookOutput(user: { targetAttributes: unknown; targetGroups: unknown }): string[] {
  const p = new Problems()
  const attributes = user.targetAttributes
  if (!isRecord(attributes)) p.add('targetAttributes', `expected an object, got ${describe(attributes)}`)
  else
    for (const [key, value] of Object.entries(attributes)) {
      if (!(TARGET_ATTRIBUTE_KEYS as readonly string[]).includes(key))
        p.add(`targetAttributes.${key}`, `unknown attribute (expected one of ${TARGET_ATTRIBUTE_KEYS.join(', ')})`)
      else if (value !== undefined && value !== null && typeof value !== 'string')
        p.add(`targetAttributes.${key}`, `expected a string, null or undefined, got ${describe(value)}`)
    }
  const groups = user.targetGroups
  if (groups instanceof Set) needStrings(p, 'targetGroups', [...groups])
  else if (Array.isArray(groups)) needStrings(p, 'targetGroups', groups)
  else p.add('targetGroups', `expected a Set (or an array) of group names, got ${describe(groups)}`)
  return p.list
}
