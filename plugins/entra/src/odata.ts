/** An OData string literal: single quotes, a quote inside doubled (`'O''Brien'`). */
export function odataString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

/** Whether a `$filter` needs Graph's advanced query mode (`ne`, `not`, `endsWith`: graph-api.md §4). */
export function needsAdvanced(filter: string | undefined): boolean {
  if (!filter) return false
  const outsideQuotes = filter.replace(/'(?:[^']|'')*'/g, "''")
  return /\bne\b|\bnot\b|\bendsWith\s*\(/i.test(outsideQuotes)
}

/** A Graph URL: `base` + `path` with the query options in order (values percent-encoded, `$` kept). */
export function graphUrl(base: string, path: string, options: Record<string, string | undefined>): string {
  const query = Object.entries(options)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&')
  return `${base}${path}${query ? `?${query}` : ''}`
}
