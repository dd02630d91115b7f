import path from 'node:path'
import {
  ConfigError,
  SourceError,
  type DirectoryReadResult,
  type IdentitySource,
  type Logger,
  type SourceSelection,
} from '@ust-sync/api'
import type { CsvOptions } from './csv-options.js'
import { chooseDelimiter } from './delimiter.js'
import { readCsvText } from './read-text.js'
import { RowsToUsers, rowObject } from './rows-to-users.js'
import { CsvSyntaxError, scanCsv } from './scan-csv.js'

/**
 * An identity source over one CSV file. Each `read` reads the file afresh, turning rows into users as
 * they are scanned; the whole file is read before anything is returned, and any structural problem
 * throws a `SourceError`.
 */
export class CsvSource implements IdentitySource {
  constructor(
    private readonly options: CsvOptions,
    private readonly logger: Logger,
  ) {}

  /**
   * Reads the users of the file. With `selection.allUsers` false, only users in at least one of
   * `selection.groups` are returned; group names are trimmed and compared case-insensitively. Users keep
   * all their groups (the mapping decides which matter).
   */
  async read(selection: SourceSelection): Promise<DirectoryReadResult> {
    const filePath = this.options.filePath
    if (!filePath) {
      throw new ConfigError('The csv connector has no file to read', {
        code: 'config.csv.no-file',
        suggestions: [
          'Give the file with --connector csv PATH or --users file PATH, or set file_path in connector-csv.yml.',
        ],
      })
    }
    const shown = displayPath(filePath)
    const text = wellFormed(await readCsvText(filePath, this.options.encoding, shown))
    const firstLine = text.slice(0, text.search(/\r?\n|$/))
    const delimiter = chooseDelimiter(filePath, firstLine, this.options.delimiter)

    // One pass: rows become users as they are read. A problem found on the way (a header without a needed
    // column, a control character) is kept and thrown once the whole file has been read, so that a
    // malformed file is still reported as such first, as when the file was parsed before anything else.
    let header: string[] | undefined
    let builder: RowsToUsers | undefined
    let problem: SourceError | undefined
    let rows = 0
    let lastLine = 1
    const badRows: { line: number; count: number }[] = []
    let moreBadRows = 0
    try {
      scanCsv(text, delimiter, (record) => {
        if (record.isBlank()) return
        if (header === undefined) {
          header = Array.from({ length: record.count }, (_, i) => (record.value(i) as string).trim())
          problem = this.headerProblem(header, shown, selection)
          if (!problem) builder = new RowsToUsers(header, this.options, shown, selection.extendedAttributes)
          return
        }
        rows++
        lastLine = record.line
        if (record.count !== header.length) {
          // A short or long row's cells are not where the header says: its user must not be acted on.
          if (badRows.length < MAX_LISTED_ROWS) badRows.push({ line: record.line, count: record.count })
          else moreBadRows++
          return
        }
        if (!builder) return
        if (record.maybeControl) {
          problem = controlCharacterProblem(rowObject(header, record), record.line, shown)
          if (problem) {
            builder = undefined
            return
          }
        }
        builder.add(record)
      })
    } catch (error) {
      if (!(error instanceof CsvSyntaxError)) throw error
      throw malformed(error, text, lastLine, shown)
    }
    if (header === undefined) {
      header = []
      problem = this.headerProblem(header, shown, selection)
    }
    if (problem?.code !== 'source.csv.control-character' && problem) throw problem
    const known = new Set([...Object.values(this.options.columns), ...selection.extendedAttributes])
    const unrecognised = header.filter((name) => !known.has(name))
    if (unrecognised.length > 0)
      this.logger.warn(`In '${shown}' unrecognized column names: ${unrecognised.map((n) => `'${n}'`).join(', ')}`)
    if (problem) throw problem
    if (badRows.length > 0) throw fieldCountProblem(badRows, header.length, moreBadRows, shown)
    this.logger.debug(
      `csv: read ${rows} rows from ${shown} (delimiter ${JSON.stringify(delimiter)}, ${this.options.encoding})`,
    )
    const wanted = selection.allUsers ? undefined : new Set(selection.groups.map((name) => name.trim().toLowerCase()))
    return (builder as RowsToUsers).finish(wanted)
  }

  /** Why the header cannot be read as asked (no email column, a configured or needed column missing). */
  private headerProblem(header: readonly string[], shown: string, selection: SourceSelection): SourceError | undefined {
    const emailColumn = this.options.columns.email_column_name
    if (!header.includes(emailColumn)) {
      const found = header.length ? shownColumns(header) : 'none (the file is empty)'
      return new SourceError(`${shown}:1: no "${emailColumn}" column in the header (columns found: ${found})`, {
        code: 'source.csv.no-email-column',
        suggestions: [
          `Add a "${emailColumn}" column to the first line of the file, or set email_column_name in connector-csv.yml to the header that holds email addresses.`,
          ...(header.length === 1
            ? ['The header has a single column: set delimiter in connector-csv.yml if the file uses another separator.']
            : []),
        ],
      })
    }
    for (const key of this.options.configuredColumns) {
      const name = this.options.columns[key]
      if (header.includes(name)) continue
      // A configured column that is missing would silently read as empty for everyone.
      return new SourceError(
        `${shown}:1: no "${name}" column (${key} in connector-csv.yml) in the header (columns found: ${shownColumns(header)})`,
        {
          code: 'source.csv.missing-column',
          suggestions: [`Add a "${name}" column to the file, or correct ${key} in connector-csv.yml.`],
        },
      )
    }
    const groupsColumn = this.options.columns.groups_column_name
    if (selection.groups.length > 0 && !header.includes(groupsColumn)) {
      // Without it every user would look group-less: mapped groups removed, users unselected (Adobe-only).
      return new SourceError(
        `${shown}:1: no "${groupsColumn}" column in the header, but groups are needed (columns found: ${shownColumns(header)})`,
        {
          code: 'source.csv.no-groups-column',
          suggestions: [
            `Add a "${groupsColumn}" column, or set groups_column_name in connector-csv.yml to the header that holds the groups.`,
          ],
        },
      )
    }
    return undefined
  }
}

/** Rows with the wrong number of fields listed by line at most (the rest are counted). */
const MAX_LISTED_ROWS = 10

/** Rows whose field count differs from the header's: the read fails (exit 6), so no user is acted on. */
function fieldCountProblem(
  rows: readonly { line: number; count: number }[],
  expected: number,
  more: number,
  shown: string,
): SourceError {
  const lines = rows.map(
    (r) => `${shown}:${r.line}: ${r.count} field${r.count === 1 ? '' : 's'}, the header has ${expected}`,
  )
  const total = rows.length + more
  return new SourceError(
    `${total} row${total === 1 ? '' : 's'} of ${shown} ${total === 1 ? 'has' : 'have'} more or fewer fields than the header; nothing was changed:\n  ${lines.join('\n  ')}${more ? `\n  … and ${more} more` : ''}`,
    {
      code: 'source.csv.field-count',
      suggestions: [
        'Give every row as many fields as the header (an empty value still needs its delimiter), or quote values that contain the delimiter.',
      ],
    },
  )
}

/**
 * Header names as an error shows them. A name that does not look like a column name (too long, or with
 * characters no header has: the first line of a file that is not a CSV, such as a password file or an
 * environment dump) is described, never quoted.
 */
function shownColumns(header: readonly string[]): string {
  const shown = header
    .slice(0, 20)
    .map((name) =>
      /^[\p{L}\p{N} _.()#/-]{0,64}$/u.test(name)
        ? `"${name}"`
        : `(a value of ${name.length} characters that does not look like a column name)`,
    )
  return header.length > 20 ? `${shown.join(', ')}, … ${header.length - 20} more` : shown.join(', ')
}

/** ES2024 string methods (Node 24 has them; the compile target's lib does not declare them). */
type Es2024String = string & { isWellFormed(): boolean; toWellFormed(): string }

/** The text with any lone surrogate as U+FFFD, as csv-parse (which this reader replaces) saw it through UTF-8. */
function wellFormed(text: string): string {
  const value = text as Es2024String
  return value.isWellFormed() ? text : value.toWellFormed()
}

/** C0 control characters (TAB aside: it is a delimiter) and DEL: never part of a name, email or group. */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/

/** A cell holding a NUL byte or another control character stops the read, naming file:line and column. */
function controlCharacterProblem(
  cells: Record<string, string | undefined>,
  line: number,
  shown: string,
): SourceError | undefined {
  for (const [column, value] of Object.entries(cells)) {
    const found = value === undefined ? null : CONTROL.exec(value)
    if (!found) continue
    const code = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
    return new SourceError(`${shown}:${line}: column "${column}" contains a control character (${code})`, {
      code: 'source.csv.control-character',
      suggestions: ['Remove the control character (NUL, line break inside a value, …) from that line of the file.'],
    })
  }
  return undefined
}

/** A structural error as the user sees it: file, line, what is wrong in words that never quote the file. */
function malformed(error: CsvSyntaxError, text: string, lastLine: number, shown: string): SourceError {
  const unclosed = error.code === 'CSV_QUOTE_NOT_CLOSED'
  const line = unclosed ? nextNonBlankLine(text, lastLine) : error.line
  const problem = unclosed
    ? 'a quoted value starting on this line is never closed'
    : `malformed CSV (${describeCsvError(error.code)})`
  return new SourceError(`${shown}:${line}: ${problem}`, {
    code: 'source.csv.malformed',
    cause: error,
    suggestions: [
      'Fix the quoting on that line: a value containing the delimiter, a quote or a line break must be enclosed in double quotes, with inner quotes doubled ("").',
    ],
  })
}

/** First line after `line` (1-based) that is not blank: where the record that failed to parse begins. */
function nextNonBlankLine(text: string, line: number): number {
  const lines = text.split('\n')
  for (let index = line; index < lines.length; index++) {
    if (lines[index]!.trim() !== '') return index + 1
  }
  return line
}

/** A structural error in words (csv-parse's codes, which this reader keeps). */
function describeCsvError(code: string): string {
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

/** The path relative to the working directory when it is below it, else absolute: short but unambiguous. */
function displayPath(filePath: string): string {
  const relative = path.relative(process.cwd(), filePath)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filePath
}
