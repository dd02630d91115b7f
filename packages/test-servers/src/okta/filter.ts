import type { FakeOktaUser } from './directory.js'

/** Attributes Okta's `filter` on `/api/v1/users` accepts (okta-api.md §5). */
const FILTERABLE = new Set([
  'status',
  'id',
  'lastUpdated',
  'profile.login',
  'profile.email',
  'profile.firstName',
  'profile.lastName',
])

type Predicate = (user: FakeOktaUser) => boolean

/** Thrown for a filter Okta would refuse (400 `E0000031`). */
export class InvalidFilter extends Error {}

/**
 * Parses Okta's `filter` syntax as the Users API accepts it: `attr eq "value"` joined by `and` / `or`
 * (`and` binds tighter), with parentheses; operators case-insensitive. Anything else throws.
 */
export function parseOktaFilter(text: string): Predicate {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|\(|\)|[^\s()]+/g) ?? []
  let index = 0
  const peek = () => tokens[index]
  const expect = (what: string) => {
    const token = tokens[index++]
    if (token === undefined) throw new InvalidFilter(`expected ${what}`)
    return token
  }
  const or = (): Predicate => {
    const parts = [and()]
    while (peek()?.toLowerCase() === 'or') {
      index++
      parts.push(and())
    }
    return (u) => parts.some((p) => p(u))
  }
  const and = (): Predicate => {
    const parts = [term()]
    while (peek()?.toLowerCase() === 'and') {
      index++
      parts.push(term())
    }
    return (u) => parts.every((p) => p(u))
  }
  const term = (): Predicate => {
    if (peek() === '(') {
      index++
      const inner = or()
      if (expect('")"') !== ')') throw new InvalidFilter('expected ")"')
      return inner
    }
    const attribute = expect('an attribute')
    if (!FILTERABLE.has(attribute)) throw new InvalidFilter(`${attribute} cannot be filtered`)
    if (expect('an operator').toLowerCase() !== 'eq') throw new InvalidFilter('only eq is supported')
    const literal = expect('a value')
    if (!literal.startsWith('"')) throw new InvalidFilter('values are quoted strings')
    const value = JSON.parse(literal) as string
    const path = attribute.split('.')
    return (u) => {
      const actual = path.length === 1 ? (u as unknown as Record<string, unknown>)[attribute] : u.profile[path[1] ?? '']
      return actual === value
    }
  }
  const predicate = or()
  if (index !== tokens.length) throw new InvalidFilter(`unexpected ${tokens[index]}`)
  return predicate
}
