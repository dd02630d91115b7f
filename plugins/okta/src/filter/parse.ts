import { type CompareOp, type Expr, STRING_METHODS, type StringMethod, USER_FIELDS } from './ast.js'
import { filterError } from './filter-error.js'
import { type Token, tokenize } from './tokens.js'

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>='])
const CONSTANTS: Record<string, boolean | null> = { True: true, False: false, None: null }

/**
 * Parses an `all_users_filter` (UST: a Python expression over `user`) into a tree, accepting only:
 *
 * ```
 * expr       := and ('or' and)*
 * and        := not ('and' not)*
 * not        := 'not' not | comparison
 * comparison := postfix (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in') postfix)?
 * postfix    := primary ('.' method '(' args ')')*
 * primary    := string | number | True | False | None | '(' expr ')' | '(' expr ',' … ')' | '[' … ']'
 *             | user '.' field | user '.' profile '.' attribute
 *             | getattr(user.profile, "attribute"[, default]) | hasattr(user.profile, "attribute") | len(expr)
 * ```
 *
 * Anything else (other names, calls, attributes, subscripts, lambdas, dunder names) is a `ConfigError`
 * naming the column, so nothing an administrator writes is ever executed.
 */
export function parseFilter(text: string): Expr {
  return new Parser(text, tokenize(text)).parseAll()
}

class Parser {
  private index = 0

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parseAll(): Expr {
    const expr = this.or()
    const next = this.peek()
    if (next.kind !== 'end') this.fail(`unexpected ${describe(next)}`, next)
    return expr
  }

  private peek(): Token {
    return this.tokens[this.index] ?? { kind: 'end', at: this.text.length + 1 }
  }

  private take(): Token {
    const token = this.peek()
    this.index++
    return token
  }

  private isOp(text: string): boolean {
    const token = this.peek()
    return token.kind === 'op' && token.text === text
  }

  private isName(text: string): boolean {
    const token = this.peek()
    return token.kind === 'name' && token.text === text
  }

  private expectOp(text: string): void {
    const token = this.take()
    if (token.kind !== 'op' || token.text !== text) this.fail(`expected "${text}" but found ${describe(token)}`, token)
  }

  private fail(problem: string, token: Token): never {
    throw filterError(this.text, problem, token.at)
  }

  private or(): Expr {
    const operands = [this.and()]
    while (this.isName('or')) {
      this.take()
      operands.push(this.and())
    }
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands }
  }

  private and(): Expr {
    const operands = [this.not()]
    while (this.isName('and')) {
      this.take()
      operands.push(this.not())
    }
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands }
  }

  private not(): Expr {
    if (this.isName('not')) {
      this.take()
      return { kind: 'not', operand: this.not() }
    }
    return this.comparison()
  }

  private comparison(): Expr {
    const left = this.postfix()
    const op = this.compareOp()
    if (!op) return left
    const right = this.postfix()
    const again = this.peek()
    if (this.compareOp()) this.fail('chained comparisons are not supported (use "and")', again)
    return { kind: 'compare', op, left, right }
  }

  private compareOp(): CompareOp | undefined {
    const token = this.peek()
    if (token.kind === 'op' && COMPARISONS.has(token.text)) {
      this.take()
      return token.text as CompareOp
    }
    if (this.isName('in')) {
      this.take()
      return 'in'
    }
    const after = this.tokens[this.index + 1]
    if (this.isName('not') && after?.kind === 'name' && after.text === 'in') {
      this.index += 2
      return 'not in'
    }
    return undefined
  }

  private postfix(): Expr {
    let expr = this.primary()
    while (this.isOp('.')) {
      this.take()
      const name = this.take()
      if (name.kind !== 'name' || !(STRING_METHODS as readonly string[]).includes(name.text))
        this.fail(`${describe(name)} is not a supported method (${STRING_METHODS.join(', ')})`, name)
      this.expectOp('(')
      const args = this.arguments(')')
      expr = { kind: 'method', name: name.text as StringMethod, target: expr, args }
    }
    return expr
  }

  private arguments(close: string): Expr[] {
    const items: Expr[] = []
    while (!this.isOp(close)) {
      items.push(this.or())
      if (!this.isOp(',')) break
      this.take()
    }
    this.expectOp(close)
    return items
  }

  private primary(): Expr {
    const token = this.take()
    if (token.kind === 'string' || token.kind === 'number') return { kind: 'literal', value: token.value }
    if (token.kind === 'op' && token.text === '[') return { kind: 'list', items: this.arguments(']') }
    if (token.kind === 'op' && token.text === '(') return this.parenthesised()
    if (token.kind !== 'name') return this.fail(`unexpected ${describe(token)}`, token)
    if (token.text in CONSTANTS) return { kind: 'literal', value: CONSTANTS[token.text] ?? null }
    if (token.text === 'user') return this.userPath(token)
    if (token.text === 'getattr' || token.text === 'hasattr') return this.profileLookup(token.text)
    if (token.text === 'len') {
      this.expectOp('(')
      const operand = this.or()
      this.expectOp(')')
      return { kind: 'len', operand }
    }
    return this.fail(`"${token.text}" is not supported`, token)
  }

  private parenthesised(): Expr {
    const first = this.or()
    if (this.isOp(')')) {
      this.take()
      return first
    }
    this.expectOp(',')
    return { kind: 'list', items: [first, ...this.arguments(')')] }
  }

  private userPath(start: Token): Expr {
    if (!this.isOp('.')) this.fail('use a field of user (user.status, user.profile.email, …), not user itself', start)
    this.take()
    const field = this.take()
    if (field.kind !== 'name')
      return this.fail(`expected a field name after "user." but found ${describe(field)}`, field)
    if ((USER_FIELDS as readonly string[]).includes(field.text)) return { kind: 'user', path: [field.text] }
    if (field.text !== 'profile')
      this.fail(`user.${field.text} is not a user field (${USER_FIELDS.join(', ')}, profile.<attribute>)`, field)
    this.expectOp('.')
    const attribute = this.take()
    if (attribute.kind !== 'name')
      return this.fail(`expected a profile attribute name but found ${describe(attribute)}`, attribute)
    return { kind: 'user', path: ['profile', attribute.text] }
  }

  /** `getattr(user.profile, "name"[, default])` or `hasattr(user.profile, "name")`. */
  private profileLookup(fn: 'getattr' | 'hasattr'): Expr {
    this.expectOp('(')
    const owner = [this.take(), this.take(), this.take()]
    const [u, dot, profile] = owner
    if (u?.kind !== 'name' || u.text !== 'user' || dot?.kind !== 'op' || dot.text !== '.' || profile?.kind !== 'name')
      return this.fail(`${fn}() is supported on user.profile only`, u ?? this.peek())
    if (profile.text !== 'profile') this.fail(`${fn}() is supported on user.profile only`, profile)
    this.expectOp(',')
    const name = this.take()
    if (name.kind !== 'string') return this.fail(`${fn}() needs the attribute name as a string`, name)
    let args: Expr[] = []
    if (this.isOp(',')) {
      this.take()
      args = this.arguments(')')
    } else this.expectOp(')')
    const path = ['profile', name.value]
    if (fn === 'hasattr') {
      if (args.length > 0) this.fail('hasattr() takes two arguments', name)
      return { kind: 'compare', op: '!=', left: { kind: 'user', path }, right: { kind: 'literal', value: null } }
    }
    if (args.length > 1) this.fail('getattr() takes at most three arguments', name)
    return args[0] ? { kind: 'user', path, fallback: args[0] } : { kind: 'user', path }
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the expression'
    case 'string':
      return `the string "${token.value}"`
    case 'number':
      return `the number ${token.value}`
    case 'name':
      return `"${token.text}"`
    default:
      return `"${token.text}"`
  }
}
