import { parse } from 'csv-parse/sync'

/** Minimal RFC 4180 CSV for the Adobe-only user files (UST's `CSVAdapter`). */

/** Quotes a field when it holds a comma, quote or line break. */
function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field
}

/** Formats a header and rows as CSV text (`\n` line ends, trailing newline). */
export function formatCsv(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${[columns, ...rows].map((row) => row.map(quote).join(',')).join('\n')}\n`
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
  }) as Array<Record<string, string>>
}
