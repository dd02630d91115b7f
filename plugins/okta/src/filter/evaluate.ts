import type { Expr, Literal, StringMethod } from './ast.js'

/** A value during evaluation: a literal or a list of values. */
export type Value = Literal | Value[]

/** The parts of an Okta user an expression reads (Okta's JSON user object). */
export interface FilterableUser {
  [field: string]: unknown
  profile?: Record<string, unknown>
}

/**
 * A user value the way UST's Okta client exposes it: empty strings, `null`, `false` and `0` read as
 * absent (`None`), and anything that is not a string, number, boolean or list of them reads as absent.
 */
function lookup(user: FilterableUser, path: readonly string[]): Value {
  let current: unknown = user
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return null
    current = (current as Record<string, unknown>)[key]
  }
  return toValue(current)
}

function toValue(raw: unknown): Value {
  if (raw === '' || raw === 0 || raw === false || raw === undefined || raw === null) return null
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw
  if (Array.isArray(raw)) return raw.map(toValue)
  return null
}

/** Python truthiness. */
export function truthy(value: Value): boolean {
  if (Array.isArray(value)) return value.length > 0
  return value !== null && value !== false && value !== 0 && value !== ''
}

function equal(a: Value, b: Value): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => equal(v, b[i] ?? null))
  return a === b
}

function ordered(a: Value, b: Value, test: (sign: number) => boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return test(Math.sign(a - b))
  if (typeof a === 'string' && typeof b === 'string') return test(a < b ? -1 : a > b ? 1 : 0)
  // Python raises for None < "x"; here a missing (or differently typed) value never matches.
  return false
}

function contains(container: Value, item: Value): boolean {
  if (Array.isArray(container)) return container.some((v) => equal(v, item))
  if (typeof container === 'string' && typeof item === 'string') return container.includes(item)
  return false
}

function compare(op: string, a: Value, b: Value): boolean {
  switch (op) {
    case '==':
      return equal(a, b)
    case '!=':
      return !equal(a, b)
    case '<':
      return ordered(a, b, (s) => s < 0)
    case '<=':
      return ordered(a, b, (s) => s <= 0)
    case '>':
      return ordered(a, b, (s) => s > 0)
    case '>=':
      return ordered(a, b, (s) => s >= 0)
    case 'in':
      return contains(b, a)
    default:
      return !contains(b, a)
  }
}

function callMethod(name: StringMethod, target: Value, args: Value[]): Value {
  // A method of a missing attribute (Python: AttributeError on None) gives None: the user does not match.
  if (typeof target !== 'string') return null
  const prefixes = (arg: Value | undefined): string[] =>
    Array.isArray(arg) ? arg.filter((v): v is string => typeof v === 'string') : typeof arg === 'string' ? [arg] : []
  switch (name) {
    case 'startswith':
      return prefixes(args[0]).some((p) => target.startsWith(p))
    case 'endswith':
      return prefixes(args[0]).some((p) => target.endsWith(p))
    case 'lower':
      return target.toLowerCase()
    case 'upper':
      return target.toUpperCase()
    default:
      return target.trim()
  }
}

/** Evaluates a parsed `all_users_filter` for one user. Never throws and never runs code. */
export function evaluate(expr: Expr, user: FilterableUser): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value
    case 'list':
      return expr.items.map((item) => evaluate(item, user))
    case 'user': {
      const value = lookup(user, expr.path)
      return value === null && expr.fallback ? evaluate(expr.fallback, user) : value
    }
    case 'not':
      return !truthy(evaluate(expr.operand, user))
    case 'and':
      return expr.operands.every((operand) => truthy(evaluate(operand, user)))
    case 'or':
      return expr.operands.some((operand) => truthy(evaluate(operand, user)))
    case 'compare':
      return compare(expr.op, evaluate(expr.left, user), evaluate(expr.right, user))
    case 'method':
      return callMethod(
        expr.name,
        evaluate(expr.target, user),
        expr.args.map((arg) => evaluate(arg, user)),
      )
    case 'len': {
      const value = evaluate(expr.operand, user)
      return typeof value === 'string' || Array.isArray(value) ? value.length : 0
    }
  }
}

/** Whether a user passes the filter (Python truthiness of the result). */
export function matches(expr: Expr, user: FilterableUser): boolean {
  return truthy(evaluate(expr, user))
}
