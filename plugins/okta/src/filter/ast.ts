/**
 * The syntax tree of an `all_users_filter` expression: the small, side-effect-free subset of Python that
 * UST's documentation and examples use (see filter/parse.ts for the grammar).
 */

/** A literal value: string, number, boolean or `None` (null). */
export type Literal = string | number | boolean | null

/** Where a user value comes from: `user.status` is `['status']`, `user.profile.email` is `['profile', 'email']`. */
export type UserPath = readonly string[]

/** One node of a parsed expression. */
export type Expr =
  | { kind: 'literal'; value: Literal }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'user'; path: UserPath; fallback?: Expr }
  | { kind: 'not'; operand: Expr }
  | { kind: 'and' | 'or'; operands: Expr[] }
  | { kind: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { kind: 'method'; name: StringMethod; target: Expr; args: Expr[] }
  | { kind: 'len'; operand: Expr }

/** Python comparison operators the language accepts. */
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in'

/** String methods the language accepts (Python's, on `str`). */
export const STRING_METHODS = ['startswith', 'endswith', 'lower', 'upper', 'strip'] as const

/** One of {@link STRING_METHODS}. */
export type StringMethod = (typeof STRING_METHODS)[number]

/** Top-level user fields an expression may read (Okta's user object); the rest is under `user.profile`. */
export const USER_FIELDS = [
  'id',
  'status',
  'created',
  'activated',
  'statusChanged',
  'lastLogin',
  'lastUpdated',
  'passwordChanged',
  'transitioningToStatus',
] as const
