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
import { parseCsv, type CsvRow } from './parse-csv.js'
import { readCsvText } from './read-text.js'
import { rowsToUsers } from './rows-to-users.js'

/**
 * An identity source over one CSV file. Each `read` reads the file afresh; the whole file is parsed
 * before anything is returned, and any structural problem throws a `SourceError`.
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
    const text = await readCsvText(filePath, this.options.encoding, shown)
    const firstLine = text.slice(0, text.search(/\r?\n|$/))
    const delimiter = chooseDelimiter(filePath, firstLine, this.options.delimiter)
    const table = parseCsv(text, delimiter, shown)
    const emailColumn = this.options.columns.email_column_name
    if (!table.header.includes(emailColumn)) {
      const found = table.header.length
        ? table.header.map((name) => `"${name}"`).join(', ')
        : 'none (the file is empty)'
      throw new SourceError(`${shown}:1: no "${emailColumn}" column in the header (columns found: ${found})`, {
        code: 'source.csv.no-email-column',
        suggestions: [
          `Add a "${emailColumn}" column to the first line of the file, or set email_column_name in connector-csv.yml to the header that holds email addresses.`,
          ...(table.header.length === 1
            ? ['The header has a single column: set delimiter in connector-csv.yml if the file uses another separator.']
            : []),
        ],
      })
    }
    for (const key of this.options.configuredColumns) {
      const name = this.options.columns[key]
      if (table.header.includes(name)) continue
      // A configured column that is missing would silently read as empty for everyone.
      throw new SourceError(
        `${shown}:1: no "${name}" column (${key} in connector-csv.yml) in the header (columns found: ${table.header.map((n) => `"${n}"`).join(', ')})`,
        {
          code: 'source.csv.missing-column',
          suggestions: [`Add a "${name}" column to the file, or correct ${key} in connector-csv.yml.`],
        },
      )
    }
    const groupsColumn = this.options.columns.groups_column_name
    if (selection.groups.length > 0 && !table.header.includes(groupsColumn)) {
      // Without it every user would look group-less: mapped groups removed, users unselected (Adobe-only).
      throw new SourceError(
        `${shown}:1: no "${groupsColumn}" column in the header, but groups are needed (columns found: ${table.header.map((name) => `"${name}"`).join(', ')})`,
        {
          code: 'source.csv.no-groups-column',
          suggestions: [
            `Add a "${groupsColumn}" column, or set groups_column_name in connector-csv.yml to the header that holds the groups.`,
          ],
        },
      )
    }
    const known = new Set([...Object.values(this.options.columns), ...selection.extendedAttributes])
    const unrecognised = table.header.filter((name) => !known.has(name))
    if (unrecognised.length > 0)
      this.logger.warn(`In '${shown}' unrecognized column names: ${unrecognised.map((n) => `'${n}'`).join(', ')}`)
    refuseControlCharacters(table.rows, shown)
    this.logger.debug(
      `csv: read ${table.rows.length} rows from ${shown} (delimiter ${JSON.stringify(delimiter)}, ${this.options.encoding})`,
    )
    const { users, warnings } = rowsToUsers(table.rows, this.options, shown, selection.extendedAttributes)
    if (selection.allUsers) return { users, warnings }
    const wanted = new Set(selection.groups.map((name) => name.trim().toLowerCase()))
    return {
      users: users.filter((user) => user.groups.some((name) => wanted.has(name.trim().toLowerCase()))),
      warnings,
    }
  }
}

/** C0 control characters (TAB aside: it is a delimiter) and DEL: never part of a name, email or group. */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/

/** A cell holding a NUL byte or another control character stops the read, naming file:line and column. */
function refuseControlCharacters(rows: readonly CsvRow[], shown: string): void {
  for (const { cells, line } of rows) {
    for (const [column, value] of Object.entries(cells)) {
      const found = value === undefined ? null : CONTROL.exec(value)
      if (!found) continue
      const code = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
      throw new SourceError(`${shown}:${line}: column "${column}" contains a control character (${code})`, {
        code: 'source.csv.control-character',
        suggestions: ['Remove the control character (NUL, line break inside a value, …) from that line of the file.'],
      })
    }
  }
}

/** The path relative to the working directory when it is below it, else absolute: short but unambiguous. */
function displayPath(filePath: string): string {
  const relative = path.relative(process.cwd(), filePath)
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filePath
}
