import { RE2JS } from 're2js'

/**
 * Python `re` patterns (as written in UST configs) run on RE2 (re2js): linear time whatever the pattern or
 * input, so `(a+)+b` cannot hang a run. The Python syntax is translated, not passed through:
 * - `\Z` (end of string) → `\z`; `\A`, `\b`, `\B` kept;
 * - `\d`, `\w`, `\s` (and `\D`, `\W`, `\S`) as Python 3 reads them in a str pattern: Unicode-aware;
 * - `\xHH`, `\uHHHH`, `\UHHHHHHHH`, octal escapes → `\x{…}`; `{,n}` → `{0,n}`; `[` inside a class is literal;
 * - `(?P<name>…)` kept; `(?#…)` dropped; a global flag group `(?i)` / `(?s)` / `(?m)` applies to the whole
 *   pattern wherever it stands (Python before 3.11; 3.11 refuses it after the start).
 * Refused with a reason (RE2 cannot do them in linear time, or Python itself refuses them): back-references
 * (`\1`, `(?P=name)`), look-around, conditionals, atomic groups, possessive quantifiers, the `x` and `L`
 * flags, `\N{…}`, repeat counts above 1000, unknown escapes of ASCII letters.
 *
 * This error is thrown for such a pattern, or one invalid in Python; its message says what and at which
 * position of the pattern as the administrator wrote it.
 */
export class PythonRegexError extends Error {}

/** A translated pattern ready for {@link RE2JS.compile}. */
export interface TranslatedRegex {
  pattern: string
  flags: number
}

const WORD = String.raw`\p{L}\p{N}_`
const SPACE = String.raw`\t-\r\x{1c}-\x{1f}\x{85}\p{Z}`
const DIGIT = String.raw`\p{Nd}`
const FLAG_BITS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  s: RE2JS.DOTALL,
  m: RE2JS.MULTILINE,
  u: 0,
  a: 0,
}
const RE2_SPECIAL = /[\\.+*?()|[\]{}^$-]/

/**
 * Compiles a Python pattern to RE2JS; `extraFlags` are RE2JS flag bits (e.g. `re.IGNORECASE`); error positions
 * are reported `positionOffset` characters earlier (for a prefix the administrator did not write).
 */
export function compilePythonRegex(source: string, extraFlags = 0, positionOffset = 0): RE2JS {
  const { pattern, flags } = translatePythonRegex(source, positionOffset)
  try {
    return RE2JS.compile(pattern, flags | extraFlags)
  } catch (error) {
    throw new PythonRegexError((error as Error).message.replace(/^error parsing regexp: /, ''))
  }
}

/** Translates Python `re` syntax to RE2 syntax (see {@link PythonRegexError} for what is refused). */
export function translatePythonRegex(source: string, positionOffset = 0): TranslatedRegex {
  return new Translator(source, positionOffset).run()
}

class Translator {
  private i = 0
  private out = ''
  private flags = 0
  private ascii = false

  /** `offset`: characters before the administrator's pattern (UST's `\A`), left out of reported positions. */
  constructor(
    private readonly src: string,
    private readonly offset: number,
  ) {}

  private pos(at: number): number {
    return Math.max(0, at - this.offset)
  }

  run(): TranslatedRegex {
    const { src } = this
    // `(?a)` (ASCII classes) applies to the whole pattern, including the classes before it.
    this.ascii = /\(\?[aiLmsux]*a[aiLmsux]*\)/.test(src)
    while (this.i < src.length) {
      const c = src[this.i]!
      if (c === '\\') this.out += this.escape(false)
      else if (c === '[') this.charClass()
      else if (c === '(') this.group()
      else if (c === '{') this.brace()
      else if (c === '}') {
        this.out += '\\}'
        this.i++
      } else if ((c === '*' || c === '+' || c === '?') && src[this.i + 1] === '+') {
        throw new PythonRegexError(`possessive quantifier "${c}+" at position ${this.pos(this.i)} is not supported`)
      } else {
        this.out += c
        this.i++
      }
    }
    return { pattern: this.out, flags: this.flags }
  }

  /** `{`: a repeat when Python reads one (`{n}`, `{n,}`, `{,n}`, `{n,m}`, `{,}`), else a literal. */
  private brace(): void {
    const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i))
    if (!m || m[0] === '{}') {
      this.out += '\\{'
      this.i++
      return
    }
    const lo = m[1] || '0'
    const hi = m[2] ? m[3] : lo
    for (const n of [lo, hi]) {
      if (n && Number(n) > 1000)
        throw new PythonRegexError(
          `repeat count ${n} at position ${this.pos(this.i)} is above 1000, the most supported`,
        )
    }
    this.out += m[2] ? `{${lo},${hi}}` : `{${lo}}`
    this.i += m[0].length
    if (this.src[this.i] === '+')
      throw new PythonRegexError(`possessive quantifier at position ${this.pos(this.i - m[0].length)} is not supported`)
  }

  private group(): void {
    const rest = this.src.slice(this.i)
    const at = this.i
    if (!rest.startsWith('(?')) {
      this.out += '('
      this.i++
      return
    }
    const named = /^\(\?P<([A-Za-z_]\w*)>/.exec(rest)
    if (named) {
      this.out += named[0]
      this.i += named[0].length
      return
    }
    const refused = unsupportedGroup(rest)
    if (refused) throw unsupported(refused, this.pos(at))
    if (rest.startsWith('(?#')) this.comment(at)
    else this.flagGroup(rest, at)
  }

  /** `(?#…)`: skipped. */
  private comment(at: number): void {
    const end = this.src.indexOf(')', this.i)
    if (end < 0) throw new PythonRegexError(`missing ), unterminated comment at position ${this.pos(at)}`)
    this.i = end + 1
  }

  /** `(?flags)` (for the whole pattern) or `(?on-off:…)` (scoped: RE2 keeps only i, s and m). */
  private flagGroup(rest: string, at: number): void {
    const flagGroup = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?(:|\))/.exec(rest)
    if (!flagGroup) throw new PythonRegexError(`unknown extension ${rest.slice(0, 3)} at position ${this.pos(at)}`)
    const [all, on = '', off, end] = flagGroup
    for (const f of on + (off ?? '')) {
      if (f === 'x') throw unsupported('verbose flag (?x)', this.pos(at))
      if (f === 'L') throw unsupported('locale flag (?L)', this.pos(at))
      if (!(f in FLAG_BITS)) throw new PythonRegexError(`unknown flag ${f} at position ${this.pos(at)}`)
    }
    if (end === ')') {
      if (off !== undefined) throw new PythonRegexError(`missing : after flags at position ${this.pos(at)}`)
      for (const f of on) this.flags |= FLAG_BITS[f]!
      if (on.includes('a')) this.ascii = true
    } else {
      if (on.includes('a')) throw unsupported('scoped ASCII flag (?a:…)', this.pos(at))
      this.out += scopedFlags(on, off)
    }
    this.i += all.length
  }

  private charClass(): void {
    const start = this.i
    this.i++
    let body = ''
    if (this.src[this.i] === '^') {
      body += '^'
      this.i++
    }
    let first = true
    for (;;) {
      const c = this.src[this.i]
      if (c === undefined) throw new PythonRegexError(`unterminated character set at position ${this.pos(start)}`)
      if (c === ']' && !first) break
      first = false
      if (c === '\\') body += this.escape(true)
      else {
        body += c === '[' || c === ']' ? `\\${c}` : c
        this.i++
      }
    }
    this.i++
    if (body === '' || body === '^')
      throw new PythonRegexError(`unterminated character set at position ${this.pos(start)}`)
    this.out += `[${body}]`
  }

  /** Translates the escape at `this.i` (inside a class when `inClass`). */
  private escape(inClass: boolean): string {
    const at = this.i
    const c = this.src[this.i + 1]
    if (c === undefined) throw new PythonRegexError('bad escape (end of pattern)')
    this.i += 2
    const cls = (inside: string, negated: boolean, asciiForm: string) => {
      if (this.ascii) return asciiForm
      if (!negated) return inClass ? inside : `[${inside}]`
      // A negated class inside a class cannot be expressed in RE2: RE2's ASCII form is wider, never narrower.
      return inClass ? asciiForm : `[^${inside}]`
    }
    switch (c) {
      case 'd':
        return this.ascii ? '\\d' : DIGIT
      case 'D':
        return this.ascii ? '\\D' : '\\P{Nd}'
      case 'w':
        return cls(WORD, false, '\\w')
      case 'W':
        return cls(WORD, true, '\\W')
      case 's':
        return cls(SPACE, false, '[\\t-\\r ]')
      case 'S':
        return cls(SPACE, true, '\\S')
      case 'A':
      case 'Z':
      case 'B':
        if (inClass) throw new PythonRegexError(`bad escape \\${c} at position ${this.pos(at)}`)
        return c === 'Z' ? '\\z' : `\\${c}`
      case 'b':
        return inClass ? '\\x{8}' : '\\b'
      case 'n':
      case 't':
      case 'r':
      case 'f':
      case 'v':
        return `\\${c}`
      case 'a':
        return '\\x{7}'
      case 'x':
        return this.hex(2, at)
      case 'u':
        return this.hex(4, at)
      case 'U':
        return this.hex(8, at)
      case 'N':
        throw unsupported('named character \\N{…}', this.pos(at))
    }
    if (c >= '0' && c <= '9') return this.numeric(c, at, inClass)
    if (/[A-Za-z]/.test(c)) throw new PythonRegexError(`bad escape \\${c} at position ${this.pos(at)}`)
    return literal(c)
  }

  private hex(digits: number, at: number): string {
    const text = this.src.slice(this.i, this.i + digits)
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(text))
      throw new PythonRegexError(`incomplete escape at position ${this.pos(at)}`)
    this.i += digits
    return `\\x{${text}}`
  }

  /**
   * `\0…`, three octal digits, or (in a class) any octal escape is a character; otherwise `\1`-`\99` are
   * back-references (refused).
   */
  private numeric(c: string, at: number, inClass: boolean): string {
    const digits = /^[0-7]{0,2}/.exec(this.src.slice(this.i))![0]
    if (c === '0' || (c <= '7' && (inClass || digits.length === 2))) {
      this.i += digits.length
      const code = Number.parseInt(c + digits, 8)
      if (code > 0o377) throw new PythonRegexError(`octal escape value \\${c}${digits} outside of range 0-0o377`)
      return `\\x{${code.toString(16)}}`
    }
    if (inClass) throw new PythonRegexError(`bad escape \\${c} at position ${this.pos(at)}`)
    throw unsupported(`back-reference \\${c}`, this.pos(at))
  }
}

function literal(c: string): string {
  return RE2_SPECIAL.test(c) ? `\\${c}` : c
}

function unsupported(what: string, at: number): PythonRegexError {
  return new PythonRegexError(
    `${what} at position ${at} is not supported: ust runs patterns in linear time (RE2), which cannot do it; rewrite the pattern without it`,
  )
}

/** The name of a group form `(?…` RE2 cannot do, or undefined. */
function unsupportedGroup(rest: string): string | undefined {
  if (rest.startsWith('(?P=')) return 'back-reference (?P=name)'
  if (/^\(\?(=|!|<=|<!)/.test(rest)) return 'look-around'
  if (rest.startsWith('(?(')) return 'conditional group'
  if (rest.startsWith('(?>')) return 'atomic group'
  return undefined
}

/** The opening of a scoped flag group `(?on-off:` in RE2, with the flags it knows (i, s, m). */
function scopedFlags(on: string, off: string | undefined): string {
  const keep = (flags: string) => [...flags].filter((f) => f === 'i' || f === 's' || f === 'm').join('')
  const onKept = keep(on)
  const offKept = off === undefined ? '' : keep(off)
  return onKept || offKept ? `(?${onKept}${offKept ? `-${offKept}` : ''}:` : '(?:'
}
