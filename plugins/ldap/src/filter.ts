/**
 * RFC 4515 escaping of a value placed in a search filter: `*`, `(`, `)`, `\` and NUL must be escaped
 * (`\2a`, `\28`, `\29`, `\5c`, `\00`); like UST, `&|<>~!:` are escaped too (allowed by the RFC and harmless).
 * A group named `a*)(uid=*` then matches only a group of that exact name.
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0&|<>~!:]/g, (char) => `\\${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/**
 * Fills a UST filter format (`group_filter_format`, `group_member_filter_format`): each `{name}` is
 * replaced by the escaped value; other braces stay as written. The result is wrapped in parentheses
 * when the format lacks them (UST does the same).
 */
export function fillFilter(format: string, values: Record<string, string>): string {
  const filled = format.replace(/\{(\w+)\}/g, (whole, name: string) =>
    values[name] === undefined ? whole : escapeFilterValue(values[name]),
  )
  return parenthesised(filled)
}

/** `filter` with surrounding parentheses, added when missing. */
export function parenthesised(filter: string): string {
  const trimmed = filter.trim()
  return trimmed.startsWith('(') ? trimmed : `(${trimmed})`
}

/** The conjunction of filters: `(&f1f2)`. */
export function and(...filters: string[]): string {
  return `(&${filters.map(parenthesised).join('')})`
}
