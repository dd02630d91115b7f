import {
  StepError,
  type CreateUserStep,
  type GroupStep,
  type MembershipStep,
  type StepWarning,
  type UserStep,
  type ValidEntry,
} from './action-steps.js'
import {
  country,
  email,
  isObject,
  MAX_STRING,
  nameList,
  onlyKeys,
  optStr,
  option,
  str,
  userGroupName,
} from './validate-fields.js'

/** Most steps in one entry (clients split longer entries, umapi.md §8.2). */
const MAX_STEPS = 10
const ENTRY_KEYS = ['user', 'usergroup', 'domain', 'useAdobeID', 'requestID', 'do'] as const
const CREATE_STEPS = ['createEnterpriseID', 'createFederatedID', 'addAdobeID'] as const
const DEPRECATED_PRODUCT = "'product' command is deprecated. Please use productConfiguration."

/** Outcome of validating one entry: the entry and its warnings, or the failure. */
export type EntryValidation =
  | { ok: true; entry: ValidEntry; warnings: StepWarning[] }
  | { ok: false; failure: StepError }

/** Root value and requestID of a raw entry, read leniently for error reporting. */
export function entryLabels(raw: unknown): { user?: string; requestID?: string } {
  if (!isObject(raw)) return {}
  const user = typeof raw.user === 'string' ? raw.user : typeof raw.usergroup === 'string' ? raw.usergroup : undefined
  return {
    ...(user === undefined ? {} : { user }),
    ...(typeof raw.requestID === 'string' ? { requestID: raw.requestID } : {}),
  }
}

/**
 * Checks the syntax of one command entry (umapi.md §5.1–5.3). Entry-level problems are reported at
 * step 0. Steps after `deleteUserGroup` are dropped (they never run).
 */
export function validateEntry(raw: unknown): EntryValidation {
  const warnings: StepWarning[] = []
  try {
    return { ok: true, entry: entry(raw, warnings), warnings }
  } catch (e) {
    if (e instanceof StepError) return { ok: false, failure: e }
    throw e
  }
}

function entry(raw: unknown, warnings: StepWarning[]): ValidEntry {
  if (!isObject(raw)) throw new StepError('error.command.illegal_entry', 'Each command entry must be a JSON object', 0)
  onlyKeys(raw, ENTRY_KEYS, 'error.command.illegal_entry', 'command entry', 0)
  if (raw.user === undefined && raw.usergroup === undefined) {
    throw new StepError('error.command.user_usergroup.missing', 'Command entry needs "user" or "usergroup"', 0)
  }
  if (raw.user !== undefined && raw.usergroup !== undefined) {
    throw new StepError('error.command.illegal_entry', 'Command entry has both "user" and "usergroup"', 0)
  }
  optStr(raw.requestID, 'requestID', 0)
  if (!Array.isArray(raw.do) || raw.do.length === 0)
    throw new StepError('error.command.steps.malformed', '"do" must be a non-empty array of steps', 0)
  if (raw.do.length > MAX_STEPS) {
    throw new StepError(
      'error.command.add_remove.list_too_long',
      `Too many steps (${raw.do.length}); at most ${MAX_STEPS} per command entry`,
      0,
    )
  }
  const steps = raw.do.map((s: unknown, i: number) => stepName(s, i))
  if (raw.usergroup !== undefined) {
    if (raw.domain !== undefined || raw.useAdobeID !== undefined) {
      throw new StepError('error.command.illegal_entry', '"domain" and "useAdobeID" are only allowed with "user"', 0)
    }
    const root = str(raw.usergroup, 'usergroup', 0, MAX_STRING)
    return { kind: 'usergroup', root, steps: groupSteps(steps) }
  }
  const root = str(raw.user, 'user', 0)
  if (raw.useAdobeID !== undefined && typeof raw.useAdobeID !== 'boolean') {
    throw new StepError('error.command.boolean_expected', 'Expected a boolean for field: useAdobeID', 0)
  }
  let domain: string | undefined
  if (raw.domain !== undefined) {
    if (typeof raw.domain !== 'string')
      throw new StepError('error.command.domain.string_expected', 'Expected a string for field: domain', 0)
    if (root.includes('@')) {
      throw new StepError(
        'error.command.domain.must_be_used_with_nonemail_username',
        `"domain" is only allowed when "user" is not an email (${root})`,
        0,
      )
    }
    domain = str(raw.domain, 'domain', 0)
  } else if (!root.includes('@')) {
    throw new StepError(
      'error.command.domain.missing',
      `"domain" is required because user "${root}" is not an email`,
      0,
    )
  }
  return { kind: 'user', root, domain, useAdobeID: raw.useAdobeID === true, steps: userSteps(steps, root, warnings) }
}

type NamedStep = { name: string; value: unknown; index: number }

function stepName(step: unknown, index: number): NamedStep {
  if (!isObject(step) || Object.keys(step).length !== 1) {
    throw new StepError(
      'error.command.steps.malformed',
      'Each step must be an object with exactly one key (the step name)',
      index,
    )
  }
  const name = Object.keys(step)[0]!
  return { name, value: step[name], index }
}

function userSteps(steps: NamedStep[], root: string, warnings: StepWarning[]): UserStep[] {
  return steps.map(({ name, value, index }) => {
    if ((CREATE_STEPS as readonly string[]).includes(name)) {
      if (index > 0) {
        const dup = steps.slice(0, index).some((s) => (CREATE_STEPS as readonly string[]).includes(s.name))
        throw new StepError(
          dup ? 'error.command.create.more_than_one' : 'error.command.create.not_first',
          `${name} must be the first and only create step`,
          index,
        )
      }
      return createStep(name as CreateUserStep['name'], value, root, index)
    }
    if (name === 'update') return updateStep(value, index)
    if (name === 'add' || name === 'remove') return userMembership(name, value, index, warnings)
    if (name === 'removeFromOrg') {
      if (index !== steps.length - 1)
        throw new StepError('error.command.removefromorg.not_last', 'removeFromOrg must be the last step', index)
      if (!isObject(value))
        throw new StepError('error.command.create.object_expected', 'removeFromOrg expects an object', index)
      onlyKeys(value, ['deleteAccount'], 'error.command.illegal_entry', 'removeFromOrg', index)
      if (value.deleteAccount !== undefined && typeof value.deleteAccount !== 'boolean') {
        throw new StepError('error.command.boolean_expected', 'Expected a boolean for field: deleteAccount', index)
      }
      return { name, deleteAccount: value.deleteAccount === true }
    }
    throw new StepError('error.command.step.unknown', `Unknown step "${name}" for a user command`, index)
  })
}

function createStep(name: CreateUserStep['name'], value: unknown, root: string, index: number): CreateUserStep {
  if (!isObject(value)) throw new StepError('error.command.create.object_expected', `${name} expects an object`, index)
  onlyKeys(
    value,
    ['email', 'country', 'firstname', 'lastname', 'option'],
    'error.command.create.key.unknown',
    name,
    index,
  )
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string')
      throw new StepError('error.command.create.string_expected', `Expected a string for field: ${k}`, index)
  }
  const step: CreateUserStep = { name, email: email(value.email, index), option: option(value.option, index) }
  step.firstname = optStr(value.firstname, 'firstname', index)
  step.lastname = optStr(value.lastname, 'lastname', index)
  if (name !== 'addAdobeID' && !step.firstname)
    throw new StepError('error.user.firstname_missing', `${name} requires firstname`, index)
  if (name !== 'addAdobeID' && !step.lastname)
    throw new StepError('error.user.lastname_missing', `${name} requires lastname`, index)
  if (value.country !== undefined) step.country = country(value.country, index)
  else if (name === 'createFederatedID')
    throw new StepError('error.country.invalid', 'createFederatedID requires country (2 upper-case letters)', index)
  // A Federated ID's username (the root) may differ from its email, email-like or not (UST roots such a
  // create at the username); Enterprise and Adobe IDs are created at their email.
  if (name !== 'createFederatedID' && root.toLowerCase() !== step.email.toLowerCase()) {
    throw new StepError(
      'error.user.must_match_email',
      `${name} email ${step.email} must match the command's user ${root}`,
      index,
    )
  }
  return step
}

function updateStep(value: unknown, index: number): UserStep {
  if (!isObject(value)) throw new StepError('error.command.create.object_expected', 'update expects an object', index)
  if ('country' in value) throw new StepError('error.update.country.no_update', 'country cannot be updated', index)
  if ('option' in value) throw new StepError('error.command.update.option.no', 'update does not take an option', index)
  onlyKeys(value, ['email', 'username', 'firstname', 'lastname'], 'error.command.illegal_entry', 'update', index)
  if (Object.keys(value).length === 0)
    throw new StepError('error.user.command.missing.arguments', 'update needs at least one field', index)
  return {
    name: 'update',
    email: value.email === undefined ? undefined : email(value.email, index),
    username: optStr(value.username, 'username', index),
    firstname: optStr(value.firstname, 'firstname', index),
    lastname: optStr(value.lastname, 'lastname', index),
  }
}

function userMembership(
  name: 'add' | 'remove',
  value: unknown,
  index: number,
  warnings: StepWarning[],
): MembershipStep {
  const step: MembershipStep = { name, all: false, groups: [], profiles: [], users: [] }
  if (name === 'remove' && value === 'all') return { ...step, all: true }
  const lists = membershipLists(name, value, ['group', 'productConfiguration', 'product'], index)
  if (lists.product)
    warnings.push({ step: index, warningCode: 'warning.command.deprecated', message: DEPRECATED_PRODUCT })
  return {
    ...step,
    groups: lists.group ?? [],
    profiles: [...(lists.productConfiguration ?? []), ...(lists.product ?? [])],
  }
}

function membershipLists(
  name: string,
  value: unknown,
  keys: readonly string[],
  index: number,
): Record<string, string[]> {
  if (!isObject(value)) {
    const all = name === 'remove' && keys.includes('group') ? ', or "all"' : ''
    throw new StepError('error.command.add_remove.list', `${name} expects an object of name lists${all}`, index)
  }
  onlyKeys(value, keys, 'error.command.add_remove.key.unknown', name, index)
  if (Object.keys(value).length === 0)
    throw new StepError('error.command.add_remove.missing_list', `${name} has no name list`, index)
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nameList(v, k, index)]))
}

function groupSteps(steps: NamedStep[]): GroupStep[] {
  const out: GroupStep[] = []
  for (const { name, value, index } of steps) {
    if (name === 'createUserGroup') {
      if (index > 0)
        throw new StepError(
          'error.command.create.not_first',
          'createUserGroup must be the first and only create step',
          index,
        )
      if (!isObject(value))
        throw new StepError('error.command.create.object_expected', 'createUserGroup expects an object', index)
      onlyKeys(value, ['name', 'description', 'option'], 'error.command.create.key.unknown', name, index)
      out.push({
        name,
        groupName: value.name === undefined ? undefined : userGroupName(value.name, index),
        description: optStr(value.description, 'description', index),
        option: option(value.option, index),
      })
    } else if (name === 'updateUserGroup') {
      if (!isObject(value))
        throw new StepError('error.command.create.object_expected', 'updateUserGroup expects an object', index)
      onlyKeys(value, ['name', 'description'], 'error.command.illegal_entry', name, index)
      if (Object.keys(value).length === 0)
        throw new StepError(
          'error.usergroup.command.missing.arguments',
          'updateUserGroup needs name or description',
          index,
        )
      out.push({
        name,
        groupName: value.name === undefined ? undefined : userGroupName(value.name, index),
        description: optStr(value.description, 'description', index),
      })
    } else if (name === 'deleteUserGroup') {
      if (!isObject(value) || Object.keys(value).length > 0)
        throw new StepError('error.command.object_not_empty', 'deleteUserGroup expects an empty object {}', index)
      out.push({ name })
      return out
    } else if (name === 'add' || name === 'remove') {
      const lists = membershipLists(name, value, ['user', 'productConfiguration'], index)
      out.push({ name, all: false, groups: [], users: lists.user ?? [], profiles: lists.productConfiguration ?? [] })
    } else {
      throw new StepError('error.command.step.unknown', `Unknown step "${name}" for a usergroup command`, index)
    }
  }
  return out
}
