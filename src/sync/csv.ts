/** Minimal RFC 4180 CSV for the Adobe-only user files (UST's `CSVAdapter`). */

/** Quotes a field when it holds a comma, quote or line break. */
function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field
}

/** Formats a header and rows as CSV text (`\n` line ends, trailing newline). */
export function formatCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return [columns, ...rows].map((row) => row.map(quote).join(',')).join('\n') + '\n'
}

/**
 * Parses CSV text into records keyed by the (trimmed, lower-cased) header names. Accepts a BOM, CRLF,
 * quoted fields; the delimiter is a comma, or TAB when the header has tabs and no comma (as UST guesses).
 */
export function parseCsv(text: string): Array<Record<string, string>> {
  const body = text.replace(/^\uFEFF/, '')
  const firstLine = body.split(/\r?\n/, 1)[0] ?? ''
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ','
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"' && field === '') quoted = true
    else if (c === delimiter) {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  const [header, ...data] = rows.filter((r) => r.some((f) => f.trim() !== ''))
  if (!header) return []
  const names = header.map((h) => h.trim().toLowerCase())
  return data.map((r) => Object.fromEntries(names.map((name, i) => [name, (r[i] ?? '').trim()])))
}
