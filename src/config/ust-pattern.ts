import { RE2JS } from 're2js'
import { compilePythonRegex, PythonRegexError } from './python-regex.js'

export { PythonRegexError } from './python-regex.js'

/**
 * A pattern from the config or the command line, applied exactly as UST 2.10 applies it
 * (`user_sync/config/user_sync.py`, `user_sync/engine/umapi.py`), in linear time.
 */
export interface UstPattern {
  /** The pattern as the administrator wrote it. */
  readonly source: string
  /** Whether `value` is matched (excluded, selected) as UST decides. */
  test(value: string): boolean
}

/** An `additional_groups` source: UST's `source.match(group)` then `source.sub(target, group)`. */
export interface GroupPattern extends UstPattern {
  /** Python's `re.sub(source, template, value)`: every match in `value` replaced by the expanded template. */
  sub(template: string, value: string): string
}

/** Where a username pattern comes from; each is applied differently by UST. */
export type UsernamePatternUse = 'exclude_users' | 'user_filter'

/** Every place UST compiles a pattern. */
export type PatternUse = UsernamePatternUse | 'additional_groups'

/** The reason `source` does not compile where it is `use`d (as UST builds it there), or undefined. */
export function patternProblem(source: string, use: PatternUse): string | undefined {
  try {
    if (use === 'additional_groups') compileGroupPattern(source)
    else compileUsernamePattern(source, use)
    return undefined
  } catch (error) {
    if (error instanceof PythonRegexError) return error.message
    throw error
  }
}

/**
 * Compiles a username pattern as UST does: `re.compile(r'\A' + pattern + r'\Z', re.IGNORECASE)`, without a
 * group, so a top-level `|` splits the anchors. `exclude_users` applies it with `re.match` (anchored at the
 * start only), `--user-filter` / `user_filter` with `re.search`.
 * Throws {@link PythonRegexError} when the pattern is invalid or unsupported.
 */
export function compileUsernamePattern(source: string, use: UsernamePatternUse): UstPattern {
  const re = compilePythonRegex(`\\A${source}\\Z`, RE2JS.CASE_INSENSITIVE, 2)
  const test =
    use === 'exclude_users' ? (value: string) => re.matcher(value).lookingAt() : (value: string) => re.test(value)
  return { source, test }
}

/**
 * Compiles an `additional_groups` source as UST does: `re.compile(source)` (case-sensitive), tested with
 * `re.match` (a prefix match) and renamed with `re.sub`.
 */
export function compileGroupPattern(source: string): GroupPattern {
  const re = compilePythonRegex(source)
  return {
    source,
    test: (value) => re.matcher(value).lookingAt(),
    sub: (template, value) => pythonSub(re, template, value),
  }
}

/**
 * The warning for a username pattern whose top-level `|` UST reads surprisingly (only the first alternative
 * is anchored at the start, only the last at the end), or undefined when there is none.
 */
export function alternationWarning(source: string, use: UsernamePatternUse): string | undefined {
  const alternatives = topLevelAlternatives(source)
  if (alternatives.length < 2) return undefined
  const last = alternatives.length - 1
  const parts = alternatives.map((alt, i) => {
    const quoted = `'${alt}'`
    if (use === 'exclude_users') return i === last ? `are ${quoted}` : `start with ${quoted}`
    if (i === 0) return `start with ${quoted}`
    return i === last ? `end with ${quoted}` : `contain ${quoted}`
  })
  const list = `${parts.slice(0, -1).join(', ')} or ${parts[last]}`
  return `${use} pattern '${source}' is applied as UST applies it (\\A + pattern + \\Z, no group): it matches usernames that ${list} (ignoring case); if each alternative was meant as a whole username, write '(${source})'`
}

/** Splits `source` at its top-level `|` (outside groups, classes and escapes). */
export function topLevelAlternatives(source: string): string[] {
  const alternatives: string[] = []
  let depth = 0
  let from = 0
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (c === '\\') i++
    else if (c === '[') i = classEnd(source, i)
    else if (c === '(') depth++
    else if (c === ')') depth--
    else if (c === '|' && depth === 0) {
      alternatives.push(source.slice(from, i))
      from = i + 1
    }
  }
  alternatives.push(source.slice(from))
  return alternatives
}

/** Index of the `]` closing the class opened at `open` (Python: a `]` first in the class is literal). */
function classEnd(source: string, open: number): number {
  let i = open + 1
  if (source[i] === '^') i++
  if (source[i] === ']') i++
  for (; i < source.length; i++) {
    if (source[i] === '\\') i++
    else if (source[i] === ']') return i
  }
  return source.length
}

/**
 * Python 3.7+ `re.sub`: non-overlapping matches left to right, an empty match allowed right after a
 * non-empty one. (After an empty match Python may still take a non-empty match at the same position; RE2
 * cannot ask for that, so the search moves on one character — a difference only for patterns preferring
 * an empty alternative.)
 */
function pythonSub(re: RE2JS, template: string, value: string): string {
  const m = re.matcher(value)
  let out = ''
  let copied = 0
  let from = 0
  while (from <= value.length && m.find(from)) {
    const start = m.start()
    const end = m.end()
    out += value.slice(copied, start) + expandTemplate(template, (ref) => groupOf(m, re, ref))
    copied = end
    if (end > start) from = end
    else {
      if (end >= value.length) break
      from = end + (value.codePointAt(end)! > 0xffff ? 2 : 1)
    }
  }
  return out + value.slice(copied)
}

function groupOf(m: ReturnType<RE2JS['matcher']>, re: RE2JS, ref: string): string {
  const index = /^\d+$/.test(ref) ? Number(ref) : ref
  if (typeof index === 'number' ? index > re.groupCount() : !(ref in re.namedGroups()))
    throw new PythonRegexError(`invalid group reference ${ref} in the replacement`)
  return m.group(index) ?? ''
}

const TEMPLATE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', '\\': '\\' }

/** Python's replacement template: `\1`, `\g<1>`, `\g<name>`, `\n`-style escapes; unknown ASCII-letter escapes are errors. */
function expandTemplate(template: string, group: (ref: string) => string): string {
  return template.replace(/\\(g<([^>]*)>|\d{1,2}|.)/gs, (all, esc: string, ref: string | undefined) => {
    if (ref !== undefined) return group(ref)
    if (esc.startsWith('0')) return String.fromCharCode(Number.parseInt(esc, 8))
    if (/^\d+$/.test(esc)) return group(esc)
    if (esc in TEMPLATE_ESCAPES) return TEMPLATE_ESCAPES[esc]!
    if (/[A-Za-z]/.test(esc)) throw new PythonRegexError(`bad escape ${all} in the replacement`)
    return all
  })
}
