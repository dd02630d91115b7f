import type { PlannedCommand } from '../records.js'
import { describe, isRecord, needOneOf, needString, needStrings, optString, Problems } from './shape.js'

const IDENTITY_TYPES = ['adobeID', 'enterpriseID', 'federatedID'] as const
/** The optional string fields of a `DirectoryUser`. */
const USER_STRING_KEYS = ['username', 'domain', 'firstname', 'lastname', 'country', 'origin'] as const
const GROUP_TYPES = ['userGroup', 'productProfile', 'adminGroup', 'other'] as const

/**
 * Problems in what an identity source's `read` returned (a `DirectoryReadResult`): `users` an array of
 * users each with a string `email` and a string array `groups`, optional strings where the contract has
 * them, `warnings` an array of strings. Returns an empty array when the value keeps the contract.
 * The core runs this on every read; the testkit runs it in `checkIdentitySource`.
 */
export function checkReadResult(value: unknown): string[] {
  // Every read of every run goes through here: a valid result (the usual case) is recognised in one pass
  // that allocates nothing; any doubt falls through to the full check, which words the problems.
  if (isValidReadResult(value)) return []
  const p = new Problems()
  if (!isRecord(value)) {
    p.add('result', `expected {users, warnings}, got ${describe(value)}`)
    return p.list
  }
  needStrings(p, 'warnings', value.warnings)
  if (!Array.isArray(value.users)) {
    p.add('users', `expected an array, got ${describe(value.users)}`)
    return p.list
  }
  for (const [i, user] of value.users.entries()) {
    if (p.full) break
    const at = `users[${i}]`
    if (!isRecord(user)) {
      p.add(at, `expected a user object, got ${describe(user)}`)
      continue
    }
    if (typeof user.email !== 'string') p.add(`${at}.email`, `expected a string, got ${describe(user.email)}`)
    needStrings(p, `${at}.groups`, user.groups)
    if (user.identityType !== undefined) needOneOf(p, `${at}.identityType`, user.identityType, IDENTITY_TYPES)
    for (const key of USER_STRING_KEYS) optString(p, `${at}.${key}`, user[key])
    if (user.attributes !== undefined) {
      if (!isRecord(user.attributes)) p.add(`${at}.attributes`, `expected an object, got ${describe(user.attributes)}`)
      else
        for (const [name, v] of Object.entries(user.attributes)) {
          if (v === undefined || typeof v === 'string') continue
          if (Array.isArray(v) && v.every((x) => typeof x === 'string')) continue
          p.add(`${at}.attributes.${name}`, `expected a string or an array of strings, got ${describe(v)}`)
        }
    }
  }
  return p.list
}

/** Whether every element of `value` is a string (true for an empty array). */
function allStrings(value: readonly unknown[]): boolean {
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return false
  return true
}

const isOptString = (value: unknown): boolean => value === undefined || typeof value === 'string'
const isNonEmpty = (value: unknown): boolean => typeof value === 'string' && value.length > 0
const isIdentityType = (value: unknown): boolean =>
  typeof value === 'string' && (IDENTITY_TYPES as readonly string[]).includes(value)

/**
 * True only when {@link checkReadResult} would find no problem; false means "check fully" (it may still be
 * valid). Kept strictly stronger than the full check: each test below is one of its rules.
 */
function isValidReadResult(value: unknown): boolean {
  if (!isRecord(value) || !Array.isArray(value.warnings) || !allStrings(value.warnings)) return false
  const users = value.users
  if (!Array.isArray(users)) return false
  for (let i = 0; i < users.length; i++) {
    const user: unknown = users[i]
    if (!isRecord(user) || typeof user.email !== 'string') return false
    const groups = user.groups
    if (!Array.isArray(groups) || !allStrings(groups)) return false
    if (user.identityType !== undefined && !isIdentityType(user.identityType)) return false
    for (let k = 0; k < USER_STRING_KEYS.length; k++)
      if (!isOptString(user[USER_STRING_KEYS[k] as string])) return false
    const attributes = user.attributes
    if (attributes !== undefined) {
      if (!isRecord(attributes)) return false
      // for…in sees every own enumerable string key (and inherited ones: a false alarm only costs the full check).
      for (const name in attributes) {
        const v = attributes[name]
        if (v !== undefined && typeof v !== 'string' && !(Array.isArray(v) && allStrings(v))) return false
      }
    }
  }
  return true
}

/** Whether `value` is a snapshot user with nothing to report (the fast path of {@link checkSnapshot}). */
function isSnapshotUser(value: unknown): boolean {
  if (!isRecord(value)) return false
  return (
    Array.isArray(value.groups) &&
    allStrings(value.groups) &&
    isIdentityType(value.identityType) &&
    isNonEmpty(value.email) &&
    isNonEmpty(value.username) &&
    isNonEmpty(value.domain) &&
    isOptString(value.firstname) &&
    isOptString(value.lastname) &&
    isOptString(value.country)
  )
}

/** `unknown`: sent, reply lost (the contract's third status; the engine counts it as a failure). */
const RESULT_STATUSES = ['done', 'failed', 'unknown'] as const

/** Whether `value` is a command result with a string id, a known status and well-formed errors. */
function isPlainResult(value: unknown): value is { commandId: string } {
  if (!isRecord(value) || typeof value.commandId !== 'string') return false
  if (typeof value.status !== 'string' || !(RESULT_STATUSES as readonly string[]).includes(value.status)) return false
  const { errors } = value
  if (errors === undefined) return true
  if (!Array.isArray(errors)) return false
  for (const e of errors) if (!isRecord(e) || typeof e.code !== 'string' || typeof e.message !== 'string') return false
  return true
}

/**
 * Problems in what a target's `snapshot` returned (a `TargetSnapshot`): users with `identityType`,
 * non-empty `email`, `username`, `domain`, string array `groups`; `groups` (name, type) present when the
 * scope asked for them.
 */
export function checkSnapshot(value: unknown, scope?: { includeGroups: boolean }): string[] {
  const p = new Problems()
  if (!isRecord(value)) {
    p.add('snapshot', `expected {users, groups?}, got ${describe(value)}`)
    return p.list
  }
  if (!Array.isArray(value.users)) p.add('users', `expected an array, got ${describe(value.users)}`)
  // An index loop: `entries()` would allocate a pair per user of every snapshot (10 MB at 100k users).
  else
    for (let i = 0; i < value.users.length; i++) {
      const user: unknown = value.users[i]
      if (p.full) break
      if (isSnapshotUser(user)) continue
      const at = `users[${i}]`
      if (!isRecord(user)) {
        p.add(at, `expected a user object, got ${describe(user)}`)
        continue
      }
      needOneOf(p, `${at}.identityType`, user.identityType, IDENTITY_TYPES)
      needString(p, `${at}.email`, user.email)
      needString(p, `${at}.username`, user.username)
      needString(p, `${at}.domain`, user.domain)
      for (const key of ['firstname', 'lastname', 'country'] as const) optString(p, `${at}.${key}`, user[key])
      needStrings(p, `${at}.groups`, user.groups)
    }
  if (value.groups === undefined) {
    if (scope?.includeGroups) p.add('groups', 'the scope asked for groups (includeGroups), but none were returned')
  } else if (!Array.isArray(value.groups)) p.add('groups', `expected an array, got ${describe(value.groups)}`)
  else
    for (const [i, group] of value.groups.entries()) {
      if (p.full) break
      if (!isRecord(group)) {
        p.add(`groups[${i}]`, `expected a group object, got ${describe(group)}`)
        continue
      }
      needString(p, `groups[${i}].name`, group.name)
      needOneOf(p, `groups[${i}].type`, group.type, GROUP_TYPES)
      if (group.isDefault !== undefined && typeof group.isDefault !== 'boolean')
        p.add(`groups[${i}].isDefault`, `expected a boolean, got ${describe(group.isDefault)}`)
    }
  if (Array.isArray(value.groups) && value.groups.filter((g) => isRecord(g) && g.isDefault === true).length > 1)
    p.add('groups', 'more than one group is marked isDefault')
  return p.list
}

/**
 * Problems in what a target's `apply` returned for `commands`: an array with exactly one result per
 * command (matched by `commandId`, in any order), each `done`, `failed` or `unknown`, errors as `{code, message}`.
 */
export function checkCommandResults(value: unknown, commands: readonly PlannedCommand[]): string[] {
  const p = new Problems()
  if (!Array.isArray(value)) {
    p.add('results', `expected an array of command results, got ${describe(value)}`)
    return p.list
  }
  const expected = new Set(commands.map((c) => c.id))
  const seen = new Set<string>()
  for (let i = 0; i < value.length; i++) {
    const result: unknown = value[i]
    if (p.full) break
    if (isPlainResult(result) && expected.has(result.commandId) && !seen.has(result.commandId)) {
      // The common case, checked without building any path text.
      seen.add(result.commandId)
      continue
    }
    const at = `results[${i}]`
    if (!isRecord(result)) {
      p.add(at, `expected {commandId, status}, got ${describe(result)}`)
      continue
    }
    const id = result.commandId
    if (typeof id !== 'string' || !expected.has(id))
      p.add(`${at}.commandId`, `${describe(id)} is not a command of this batch`)
    else if (seen.has(id)) p.add(`${at}.commandId`, `a second result for command "${id}"`)
    else seen.add(id)
    needOneOf(p, `${at}.status`, result.status, RESULT_STATUSES)
    if (result.errors !== undefined) {
      if (!Array.isArray(result.errors)) p.add(`${at}.errors`, `expected an array, got ${describe(result.errors)}`)
      else
        result.errors.forEach((e, j) => {
          if (!isRecord(e) || typeof e.code !== 'string' || typeof e.message !== 'string')
            p.add(`${at}.errors[${j}]`, 'expected {code: string, message: string}')
        })
    }
  }
  const missing = [...expected].filter((id) => !seen.has(id))
  if (missing.length > 0)
    p.add(
      'results',
      `no result for ${missing.length} of ${expected.size} commands (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})`,
    )
  return p.list
}

/** Problems in a credential backend's `describe()` answer (`{available: boolean, detail: string}`). */
export function checkAvailability(value: unknown): string[] {
  const p = new Problems()
  if (!isRecord(value)) p.add('availability', `expected {available, detail}, got ${describe(value)}`)
  else {
    if (typeof value.available !== 'boolean')
      p.add('available', `expected true or false, got ${describe(value.available)}`)
    if (typeof value.detail !== 'string') p.add('detail', `expected a string, got ${describe(value.detail)}`)
    if (
      value.suggestions !== undefined &&
      !(Array.isArray(value.suggestions) && value.suggestions.every((s) => typeof s === 'string'))
    )
      p.add('suggestions', `expected an array of strings, got ${describe(value.suggestions)}`)
  }
  return p.list
}

/** Problems in a target's `capabilities` (`{testMode: boolean, createGroups: boolean}`). */
export function checkCapabilities(value: unknown): string[] {
  const p = new Problems()
  if (!isRecord(value)) p.add('capabilities', `expected {testMode, createGroups}, got ${describe(value)}`)
  else
    for (const key of ['testMode', 'createGroups'] as const)
      if (typeof value[key] !== 'boolean')
        p.add(`capabilities.${key}`, `expected true or false, got ${describe(value[key])}`)
  return p.list
}
