import { CsvError, parse } from 'csv-parse/sync'
import { SourceError } from '@ust-sync/api'

/** One data row: cell values by (trimmed) header name, and the file line the row ends on. */
export interface CsvRow {
  cells: Record<string, string | undefined>
  line: number
}

/** A parsed CSV file: its header names and data rows. */
export interface CsvTable {
  header: string[]
  rows: CsvRow[]
}

/**
 * Parses CSV text whose first line is the header. Blank lines and rows with only empty cells are skipped;
 * short rows leave the missing cells undefined (as UST's reader does); spaces around values, quoted or
 * not, are dropped. Quoting is strict: a quote never closed, text after a closing quote or a quote inside
 * an unquoted value throws a `SourceError` naming the file and line, because guessing would import wrong
 * names or groups; a partly read file is never returned.
 */
export function parseCsv(text: string, delimiter: string, shownPath: string): CsvTable {
  let header: string[] = []
  let lastLine = 1
  try {
    const parsed = parse(text, {
      delimiter,
      columns: (names: string[]) => (header = names.map((name) => name.trim())),
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      trim: true,
      // The row as it is kept: no `info` object per record and no second array (large files).
      on_record: (record: Record<string, string | undefined>, context): CsvRow => {
        lastLine = context.lines
        return { cells: record, line: context.lines }
      },
    }) as unknown as CsvRow[]
    return { header, rows: parsed }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    const line =
      error.code === 'CSV_QUOTE_NOT_CLOSED' ? nextNonBlankLine(text, lastLine) : Number(error.lines ?? lastLine)
    const problem =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted value starting on this line is never closed'
        : `malformed CSV (${describeCsvError(error.code)})`
    throw new SourceError(`${shownPath}:${line}: ${problem}`, {
      code: 'source.csv.malformed',
      cause: error,
      suggestions: [
        'Fix the quoting on that line: a value containing the delimiter, a quote or a line break must be enclosed in double quotes, with inner quotes doubled ("").',
      ],
    })
  }
}

/** First line after `line` (1-based) that is not blank: where the record that failed to parse begins. */
function nextNonBlankLine(text: string, line: number): number {
  const lines = text.split('\n')
  for (let index = line; index < lines.length; index++) {
    if (lines[index].trim() !== '') return index + 1
  }
  return line
}

/** csv-parse's error, in words that never quote the file's content (its messages include cell values). */
export function describeCsvError(code: string): string {
  switch (code) {
    case 'CSV_INVALID_OPENING_QUOTE':
      return 'a quote inside a value that is not quoted'
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'text after the closing quote of a value'
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
      return 'a row with another number of values than the header'
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value is never closed'
    default:
      return code
  }
}
