/** A parsed `$filter`: the test it applies, and whether Graph treats it as an advanced query (graph-api.md §4). */
export interface ParsedFilter {
  test: (item: Record<string, unknown>) => boolean
  /** Needs `ConsistencyLevel: eventual` and `$count=true` (ne, not, endsWith). */
  advanced: boolean
}

type Literal = string | number | boolean | null

/** Splits `text` at the keyword `word` (surrounded by spaces, any case) outside quotes and parentheses. */
function splitOutside(text: string, word: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  const needle = ` ${word} `
  for (let i = 0; i < text.length; i++) {
    const char = text[i]
    if (char === "'") quoted = !quoted
    else if (!quoted && char === '(') depth++
    else if (!quoted && char === ')') depth--
    else if (!quoted && depth === 0 && text.slice(i, i + needle.length).toLowerCase() === needle) {
      parts.push(text.slice(start, i))
      start = i + needle.length
      i += needle.length - 1
    }
  }
  parts.push(text.slice(start))
  return parts.map((p) => p.trim())
}

/** Splits an `in (…)` list at commas outside quotes. */
function splitList(text: string): string[] {
  const items: string[] = []
  let quoted = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "'") quoted = !quoted
    else if (!quoted && text[i] === ',') {
      items.push(text.slice(start, i))
      start = i + 1
    }
  }
  items.push(text.slice(start))
  return items.map((i) => i.trim()).filter((i) => i !== '')
}

function literal(text: string): Literal {
  const t = text.trim()
  if (t.startsWith("'") && t.endsWith("'") && t.length >= 2) return t.slice(1, -1).replaceAll("''", "'")
  if (t === 'true' || t === 'false') return t === 'true'
  if (t === 'null') return null
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t)
  throw new Error(`Invalid literal ${t}`)
}

const lower = (v: unknown): unknown => (typeof v === 'string' ? v.toLowerCase() : v)
/** Graph compares strings ignoring case (directory objects). */
const equal = (a: unknown, b: Literal): boolean => (a === undefined ? null : lower(a)) === lower(b)

function clause(text: string): ParsedFilter {
  const t = text.trim()
  if (t.startsWith('(') && t.endsWith(')')) return parseFilter(t.slice(1, -1))
  const fn = /^(startsWith|endsWith)\(\s*([A-Za-z_][\w/]*)\s*,\s*('(?:[^']|'')*')\s*\)$/i.exec(t)
  if (fn) {
    const [, name, prop, value] = fn as unknown as [string, string, string, string]
    const needle = String(literal(value)).toLowerCase()
    const starts = name.toLowerCase() === 'startswith'
    return {
      advanced: !starts,
      test: (item) => {
        const v = item[prop]
        if (typeof v !== 'string') return false
        return starts ? v.toLowerCase().startsWith(needle) : v.toLowerCase().endsWith(needle)
      },
    }
  }
  const inMatch = /^([A-Za-z_][\w/]*)\s+in\s+\((.*)\)$/i.exec(t)
  if (inMatch) {
    const [, prop, list] = inMatch as unknown as [string, string, string]
    const values = splitList(list).map(literal)
    return { advanced: false, test: (item) => values.some((v) => equal(item[prop], v)) }
  }
  const cmp = /^([A-Za-z_][\w/]*)\s+(eq|ne)\s+(.+)$/i.exec(t)
  if (cmp) {
    const [, prop, op, value] = cmp as unknown as [string, string, string, string]
    const v = literal(value)
    const ne = op.toLowerCase() === 'ne'
    return { advanced: ne, test: (item) => equal(item[prop], v) !== ne }
  }
  const not = /^not\s*\((.*)\)$/i.exec(t)
  if (not) {
    const inner = parseFilter(not[1] ?? '')
    return { advanced: true, test: (item) => !inner.test(item) }
  }
  throw new Error(`Invalid filter clause: ${t}`)
}

/**
 * Parses the subset of OData `$filter` the fake understands: `eq`, `ne`, `in`, `startsWith`, `endsWith`,
 * `not(…)`, joined with `and` / `or`, parentheses. Throws on anything else (the fake answers 400).
 */
export function parseFilter(text: string): ParsedFilter {
  const ors = splitOutside(text, 'or')
  if (ors.length > 1) {
    const parts = ors.map(parseFilter)
    return { advanced: parts.some((p) => p.advanced), test: (item) => parts.some((p) => p.test(item)) }
  }
  const ands = splitOutside(text, 'and')
  const parts = ands.map(clause)
  return { advanced: parts.some((p) => p.advanced), test: (item) => parts.every((p) => p.test(item)) }
}
