import type { Expr } from './ast.js'

/** User fields Okta's `filter` parameter of `GET /api/v1/users` accepts with `eq`. */
const FILTERABLE = new Set(['status', 'id', 'profile.login', 'profile.email', 'profile.firstName', 'profile.lastName'])

function quote(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}

function equality(expr: Extract<Expr, { kind: 'compare' }>): string | undefined {
  if (expr.op !== '==') return undefined
  const [path, literal] =
    expr.left.kind === 'user' && expr.right.kind === 'literal'
      ? [expr.left, expr.right]
      : expr.right.kind === 'user' && expr.left.kind === 'literal'
        ? [expr.right, expr.left]
        : []
  if (!path || !literal || path.fallback || typeof literal.value !== 'string' || literal.value === '') return undefined
  const field = path.path.join('.')
  return FILTERABLE.has(field) ? `${field} eq ${quote(literal.value)}` : undefined
}

function join(parts: string[], op: 'and' | 'or'): string {
  return parts.length === 1 ? (parts[0] ?? '') : parts.map((part) => `(${part})`).join(` ${op} `)
}

/**
 * The Okta `filter` expression (`GET /api/v1/users?filter=…`) selecting at least the users `expr` selects,
 * when the filter can say it: equality of `status`, `id`, `profile.login`, `profile.email`,
 * `profile.firstName` or `profile.lastName` with a string, combined with `or`, and the parts of an `and` it can say (Okta's
 * `filter` has no `not` and no other operators on these fields). Undefined otherwise: every user is read and the
 * expression decides. The expression is still evaluated on each user returned, so a server that compares
 * differently (e.g. ignoring case) never widens the selection.
 */
export function toOktaFilter(expr: Expr): string | undefined {
  switch (expr.kind) {
    case 'compare':
      return equality(expr)
    case 'and': {
      // A conjunction narrows by the parts Okta can say; the rest is decided per user.
      const parts = expr.operands.map(toOktaFilter).filter((part) => part !== undefined)
      return parts.length === 0 ? undefined : join(parts, 'and')
    }
    case 'or': {
      const parts = expr.operands.map(toOktaFilter)
      return parts.every((part) => part !== undefined) ? join(parts, 'or') : undefined
    }
    default:
      return undefined
  }
}
