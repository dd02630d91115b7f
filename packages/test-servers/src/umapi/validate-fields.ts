import { StepError, type CreateOption } from './action-steps.js'

/** Field-level checks shared by the step validators; each throws {@link StepError} with a UMAPI code. */

/** Longest string UMAPI accepts in a command (user, domain, names). */
export const MAX_STRING = 250
/** Longest email. */
export const MAX_EMAIL = 60
/** Longest group / profile name in an add/remove list or createUserGroup. */
export const MAX_GROUP_NAME = 255
/** Most names in one add/remove list. */
export const MAX_LIST = 10

const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\]]+$/

/** A plain object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** A string of at most `max` characters (`error.command.string_expected` / `error.command.string.too_long`). */
export function str(value: unknown, field: string, step: number, max = MAX_STRING): string {
  if (typeof value !== 'string')
    throw new StepError('error.command.string_expected', `Expected a string for field: ${field}`, step)
  if (value.length > max)
    throw new StepError(
      'error.command.string.too_long',
      `String too long in command for field: ${field}, max length ${max}`,
      step,
    )
  return value
}

/** Same as {@link str} but undefined stays undefined. */
export function optStr(value: unknown, field: string, step: number, max = MAX_STRING): string | undefined {
  return value === undefined ? undefined : str(value, field, step, max)
}

/** True for a syntactically valid email of at most 60 characters. */
export function isValidEmail(value: string): boolean {
  return value.length <= MAX_EMAIL && EMAIL.test(value)
}

/** A valid email (`error.user.email.invalid`). */
export function email(value: unknown, step: number): string {
  if (typeof value !== 'string' || !isValidEmail(value)) {
    throw new StepError(
      'error.user.email.invalid',
      `Invalid email ${JSON.stringify(value)}: expected a valid address of at most ${MAX_EMAIL} characters`,
      step,
    )
  }
  return value
}

/** An ISO-3166 alpha-2 upper-case country code. */
export function country(value: unknown, step: number): string {
  const c = str(value, 'country', step, 2)
  if (!/^[A-Z]{2}$/.test(c))
    throw new StepError(
      'error.country.invalid',
      `Invalid country "${c}": expected 2 upper-case letters (ISO 3166)`,
      step,
    )
  return c
}

/** A create option (`error.option.illegal`). */
export function option(value: unknown, step: number): CreateOption | undefined {
  if (value === undefined) return undefined
  if (value === 'ignoreIfAlreadyExists' || value === 'updateIfAlreadyExists') return value
  throw new StepError(
    'error.option.illegal',
    `Illegal option ${JSON.stringify(value)}: expected ignoreIfAlreadyExists or updateIfAlreadyExists`,
    step,
  )
}

/** The keys of `obj` must be among `allowed`; otherwise `code` naming the first stray key. */
export function onlyKeys(
  obj: Record<string, unknown>,
  allowed: readonly string[],
  code: string,
  where: string,
  step: number,
): void {
  const stray = Object.keys(obj).find((k) => !allowed.includes(k))
  if (stray !== undefined) throw new StepError(code, `Unknown key "${stray}" in ${where}`, step)
}

const DUPLICATE_CODE: Record<string, string> = {
  group: 'error.command.add_remove.duplicate.group_list',
  productConfiguration: 'error.command.add_remove.duplicate.product_list',
  product: 'error.command.add_remove.duplicate.product_list',
  user: 'error.command.add_remove.duplicate.user_list',
}

/** An add/remove name list: array, 1..10 strings of ≤255 chars, no duplicates (case-insensitive). */
export function nameList(value: unknown, key: string, step: number): string[] {
  if (!Array.isArray(value))
    throw new StepError('error.command.add_remove.list_not_array', `"${key}" must be an array of names`, step)
  if (value.length === 0) throw new StepError('error.command.add_remove.missing_list', `"${key}" list is empty`, step)
  if (value.length > MAX_LIST) {
    throw new StepError(
      'error.command.add_remove.list_too_long',
      `"${key}" list has ${value.length} names; at most ${MAX_LIST} per step`,
      step,
    )
  }
  const seen = new Set<string>()
  return value.map((item: unknown) => {
    if (typeof item !== 'string')
      throw new StepError('error.command.string_expected', `Expected a string in "${key}" list`, step)
    if (item.length > MAX_GROUP_NAME) {
      throw new StepError(
        'error.command.add_remove.group_or_product_name_too_long',
        `Name too long in "${key}" list (max ${MAX_GROUP_NAME})`,
        step,
      )
    }
    if (seen.has(item.toLowerCase()))
      throw new StepError(
        DUPLICATE_CODE[key] ?? 'error.command.add_remove.list',
        `Duplicate name "${item}" in "${key}" list`,
        step,
      )
    seen.add(item.toLowerCase())
    return item
  })
}

/** A user-group name for create/rename: ≤255 chars, not starting with `_` (`error.group.invalid_name`). */
export function userGroupName(value: unknown, step: number): string {
  const name = str(value, 'name', step, MAX_GROUP_NAME)
  if (name.trim() === '' || name.startsWith('_')) {
    throw new StepError(
      'error.group.invalid_name',
      `Invalid user group name "${name}": must be non-empty and must not start with "_"`,
      step,
    )
  }
  return name
}
