import { parse } from 'csv-parse/sync'

/** Minimal RFC 4180 CSV for the Adobe-only user files (UST's `CSVAdapter`). */

/**
 * A cell as written: a value starting with `=`, `+`, `-` or `@` gets a leading `'` so that a spreadsheet
 * never runs it as a formula (CSV injection; {@link parseCsv} removes it again), then it is quoted when it
 * holds a comma, quote or line break.
 */
function cell(field: string): string {
  const safe = /^[=+\-@]/.test(field) ? `'${field}` : field
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

/** Formats a header and rows as CSV text with CRLF line ends, as UST writes it (trailing line end). */
export function formatCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${[columns, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`
}

/**
 * Parses CSV text into records keyed by the (trimmed, lower-cased) header names. Accepts a BOM, CRLF and
 * quoted fields; the delimiter is a comma, or TAB when the header has tabs and no comma (as UST guesses).
 * Malformed quoting throws csv-parse's error, which names the line.
 */
export function parseCsv(text: string): Array<Record<string, string>> {
  const body = text.replace(/^\uFEFF/, '')
  const firstLine = body.split(/\r?\n/, 1)[0] ?? ''
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ','
  return parse(body, {
    delimiter,
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    // The formula guard of formatCsv: `'=x` reads back as `=x`.
    cast: (value: string) => (/^'[=+\-@]/.test(value) ? value.slice(1) : value),
  }) as Array<Record<string, string>>
}

/** csv-parse's error code in words (its messages quote cell values, which must not reach the log). */
export function describeCsvError(code: string): string {
  switch (code) {
    case 'CSV_INVALID_OPENING_QUOTE':
      return 'a quote inside a value that is not quoted'
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after the closing quote of a value'
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value is never closed'
    default:
      return code
  }
}
