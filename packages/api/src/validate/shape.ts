/** Collects problems found in a value a plugin returned, each worded with its path (`users[3].groups`). */
export class Problems {
  readonly list: string[] = []
  /** Stop after this many: one broken field repeated in 10 000 users must not flood the output. */
  static readonly MAX = 10

  add(path: string, message: string): void {
    if (this.list.length < Problems.MAX) this.list.push(`${path}: ${message}`)
  }

  get full(): boolean {
    return this.list.length >= Problems.MAX
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`
  return typeof value
}

/** A required non-empty string. */
export function needString(p: Problems, path: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0)
    p.add(path, `expected a non-empty string, got ${describe(value)}`)
}

/** An optional string (absent or a string). */
export function optString(p: Problems, path: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string')
    p.add(path, `expected a string or nothing, got ${describe(value)}`)
}

/** An array of strings. */
export function needStrings(p: Problems, path: string, value: unknown): void {
  if (!Array.isArray(value)) {
    p.add(path, `expected an array of strings, got ${describe(value)}`)
    return
  }
  value.forEach((v, i) => {
    if (typeof v !== 'string') p.add(`${path}[${i}]`, `expected a string, got ${describe(v)}`)
  })
}

/** One of the given values. */
export function needOneOf(p: Problems, path: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value !== 'string' || !allowed.includes(value))
    p.add(path, `expected one of ${allowed.join(', ')}, got ${describe(value)}`)
}
