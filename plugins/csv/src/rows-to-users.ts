import { type DirectoryUser, isEmailAddress } from '@ust-sync/api'
import type { CsvOptions } from './csv-options.js'
import type { CsvRow } from './parse-csv.js'
import { parseIdentityType } from './identity-type.js'

/** Users built from CSV rows, and the warnings about rows that were skipped or corrected. */
export interface RowsToUsersResult {
  users: DirectoryUser[]
  warnings: string[]
}

/**
 * Turns CSV rows into directory users, following UST's CSV connector:
 *
 * - A row whose email is empty or not an email address is skipped with a warning `<file>:<line>: ...`.
 * - `groups` is a comma-separated list; empty names are dropped, the names are passed on as written
 *   (the engine trims them and warns about a name that matches a mapping only once trimmed).
 * - `country` is upper-cased.
 * - The identity type column accepts `adobeID`, `enterpriseID`, `federatedID` in any letter case. With
 *   another value the user is kept for matching (so it never looks Adobe-only) but marked `notCreatable`:
 *   the engine reports an error naming file:line instead of creating a possibly wrong kind of account.
 * - `domain` comes from its column; when absent and the username is not the email, the email's domain.
 * - Several rows with the same email (compared case-insensitively) make one user, as in UST: their groups
 *   are unioned, and each attribute takes the value of the last row where it is not empty (UST overwrites
 *   the user's attributes row by row, skipping empty cells). The user keeps the first row's `origin`.
 * - `attributes` holds every column of the (last) row plus the requested extended attributes, for
 *   extension hooks.
 */
export function rowsToUsers(
  rows: CsvRow[],
  options: CsvOptions,
  shownPath: string,
  extendedAttributes: string[],
): RowsToUsersResult {
  const { columns } = options
  const byEmail = new Map<string, DirectoryUser>()
  const warnings: string[] = []
  for (const { cells, line } of rows) {
    const cell = (column: string): string | undefined => {
      const value = cells[column]?.trim()
      return value ? value : undefined
    }
    const where = `${shownPath}:${line}`
    const email = cell(columns.email_column_name)
    if (!email || !isEmailAddress(email)) {
      warnings.push(
        `${where}: ${email ? `invalid email "${email}"` : `missing email (column "${columns.email_column_name}")`}; row skipped`,
      )
      continue
    }
    const key = email.toLowerCase()
    const user = byEmail.get(key) ?? { email, groups: [], origin: where }
    byEmail.set(key, user)

    const set = (
      field: 'firstname' | 'lastname' | 'country' | 'username' | 'domain',
      value: string | undefined,
    ): void => {
      if (value !== undefined) user[field] = value
    }
    set('firstname', cell(columns.first_name_column_name))
    set('lastname', cell(columns.last_name_column_name))
    set('country', cell(columns.country_column_name)?.toUpperCase())
    set('username', cell(columns.username_column_name))
    set('domain', cell(columns.domain_column_name))
    if (!user.domain && user.username && user.username.toLowerCase() !== key)
      user.domain = key.slice(key.indexOf('@') + 1)

    for (const name of (cell(columns.groups_column_name) ?? '').split(',')) {
      const folded = name.trim().toLowerCase()
      if (folded && !user.groups.some((known) => known.trim().toLowerCase() === folded)) user.groups.push(name)
    }

    const typeText = cell(columns.identity_type_column_name)
    const identityType = typeText === undefined ? undefined : parseIdentityType(typeText)
    if (typeText !== undefined && !identityType) {
      user.notCreatable = `${where}: identity type "${typeText}" of ${email} is not adobeID, enterpriseID or federatedID; the user is not created (fix the type column)`
    }
    const resolvedType = identityType ?? user.identityType ?? options.userIdentityType
    if (resolvedType) user.identityType = resolvedType

    // The row's own cells object when no extended attribute is asked for (no copy per user).
    user.attributes =
      extendedAttributes.length === 0
        ? cells
        : { ...cells, ...Object.fromEntries(extendedAttributes.map((name) => [name, cells[name]])) }
  }
  return { users: [...byEmail.values()], warnings }
}
