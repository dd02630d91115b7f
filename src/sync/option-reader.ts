import type { ConfigIssue } from '@ust-sync/api'
import {
  listWithOr,
  type BooleanSpec,
  type RawSyncFlags,
  SYNC_OPTIONS,
  type SyncOptionField,
  type SyncOptionSpec,
  showForm,
  type TextSpec,
  type TokensSpec,
} from './sync-options.table.js'

/** Where a value came from, for messages. */
export interface Origin {
  file: string
  path: string
  explicit: boolean
}

/** A value with where it came from. */
export interface Sourced<T> {
  value: T
  origin: Origin
}

/** A two-token value: keyword (trimmed, lower-cased) and its arguments. */
export interface Tokens {
  keyword: string
  args: string[]
  origin: Origin
}

/**
 * A two-token value checked against its {@link TokensSpec.forms}: `known` when the keyword is one of them,
 * `arg` set when the form takes one and it was valid.
 */
export interface FormValue {
  keyword: string
  known: boolean
  arg?: string
  origin: Origin
}

const specOf = (field: SyncOptionField): SyncOptionSpec => SYNC_OPTIONS.find((s) => s.field === field) as SyncOptionSpec

/** Splits `group "A B,C"` shell-like: whitespace separates, quotes group. */
function tokenize(text: string): string[] {
  const tokens: string[] = []
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) tokens.push(match[1] ?? match[2] ?? match[3] ?? '')
  return tokens
}

export const quoteAll = (args: string[]): string => args.map((a) => JSON.stringify(a)).join(' ')

/**
 * Reads each option from the flags, else `invocation_defaults`, as {@link SYNC_OPTIONS} declares it, and
 * collects every problem found (with the flag or key it concerns) instead of stopping at the first.
 */
export class OptionReader {
  readonly issues: ConfigIssue[] = []

  constructor(
    private readonly flags: RawSyncFlags,
    private readonly invocationDefaults: Record<string, unknown>,
    private readonly configFile: string,
  ) {
    const known = SYNC_OPTIONS.flatMap((s: SyncOptionSpec) => (s.defaultsKey ? [s.defaultsKey] : []))
    for (const key of Object.keys(invocationDefaults)) {
      if (!known.includes(key)) {
        this.problem(
          { file: configFile, path: `invocation_defaults.${key}`, explicit: true },
          'unknown invocation default',
          `use one of ${known.join(', ')}`,
        )
      }
    }
  }

  problem(origin: Origin, message: string, suggestion?: string): void {
    this.issues.push({ file: origin.file, path: origin.path, message, ...(suggestion ? { suggestion } : {}) })
  }

  /** The flag's value, else the invocation default's, else undefined. */
  private pick(spec: SyncOptionSpec): Sourced<unknown> | undefined {
    const flagValue = spec.flag ? (this.flags as Record<string, unknown>)[spec.field] : undefined
    if (flagValue !== undefined && spec.flag)
      return { value: flagValue, origin: { file: 'command line', path: `--${spec.flag}`, explicit: true } }
    const fromConfig = spec.defaultsKey === undefined ? undefined : this.invocationDefaults[spec.defaultsKey]
    if (fromConfig !== undefined && fromConfig !== null) {
      return {
        value: fromConfig,
        origin: { file: this.configFile, path: `invocation_defaults.${spec.defaultsKey}`, explicit: true },
      }
    }
    return undefined
  }

  /** A {@link BooleanSpec} option. */
  bool(field: SyncOptionField): boolean {
    const spec = specOf(field) as BooleanSpec
    const picked = this.pick(spec)
    if (!picked) return spec.fallback
    const { value, origin } = picked
    if (typeof value === 'boolean') return value
    const text = typeof value === 'string' ? value.trim().toLowerCase() : ''
    if (['true', 'yes', 'on', '1'].includes(text)) return true
    if (['false', 'no', 'off', '0'].includes(text)) return false
    this.problem(origin, `expected true or false, got ${JSON.stringify(value)}`)
    return spec.fallback
  }

  /** A {@link TextSpec} option, trimmed; with `values`, lower-cased and one of them. */
  text(field: SyncOptionField): Sourced<string> | undefined {
    const spec = specOf(field) as TextSpec
    const picked = this.pick(spec)
    if (!picked) return undefined
    if (typeof picked.value !== 'string' || !picked.value.trim()) {
      this.problem(picked.origin, `expected a non-empty text, got ${JSON.stringify(picked.value)}`)
      return undefined
    }
    const value = picked.value.trim()
    if (!spec.values) return { value, origin: picked.origin }
    if (spec.values.includes(value.toLowerCase())) return { value: value.toLowerCase(), origin: picked.origin }
    this.problem(picked.origin, `unknown value '${value}'`, `use ${listWithOr(spec.values)}`)
    return undefined
  }

  /** A {@link TokensSpec} option: keyword and arguments, unchecked. */
  tokens(field: SyncOptionField): Tokens {
    const spec = specOf(field) as TokensSpec
    const picked = this.pick(spec)
    const defaultOrigin: Origin = { file: 'built-in default', path: `--${spec.flag}`, explicit: false }
    if (!picked) return { keyword: spec.fallback, args: [], origin: defaultOrigin }
    const { value, origin } = picked
    const list =
      typeof value === 'string'
        ? tokenize(value)
        : Array.isArray(value) && value.every((v) => typeof v === 'string')
          ? (value as string[])
          : undefined
    if (!list || list.length === 0 || !list[0]?.trim()) {
      this.problem(origin, `expected a value, got ${JSON.stringify(value)}`)
      return { keyword: spec.fallback, args: [], origin }
    }
    return { keyword: list[0].trim().toLowerCase(), args: list.slice(1), origin }
  }

  /**
   * A {@link TokensSpec} option checked against its forms; an unknown keyword, or arguments that do not
   * fit the form, are reported.
   */
  form(field: SyncOptionField): FormValue {
    const spec = specOf(field) as TokensSpec
    const { keyword, args, origin } = this.tokens(field)
    const form = spec.forms?.find((f) => f.keyword === keyword)
    if (!form) {
      this.problem(origin, `unknown value '${keyword}'`, `use ${listWithOr((spec.forms ?? []).map(showForm))}`)
      return { keyword, known: false, origin }
    }
    if (!form.arg) {
      this.noArgs(keyword, args, origin)
      return { keyword, known: true, origin }
    }
    const arg = this.oneArg(keyword, args, origin, form.arg.what)
    return arg === undefined ? { keyword, known: true, origin } : { keyword, known: true, arg, origin }
  }

  oneArg(keyword: string, args: string[], origin: Origin, what: string): string | undefined {
    if (args.length === 1 && args[0]?.trim()) return args[0].trim()
    this.problem(
      origin,
      `'${keyword}' needs exactly one ${what}, got ${args.length === 0 ? 'none' : quoteAll(args)}`,
      `write ${origin.path.startsWith('--') ? origin.path : 'it as'} ${keyword} <${what}>`,
    )
    return undefined
  }

  noArgs(keyword: string, args: string[], origin: Origin): void {
    if (args.length > 0)
      this.problem(origin, `'${keyword}' takes no argument, got ${quoteAll(args)}`, `remove ${args.join(' ')}`)
  }
}
