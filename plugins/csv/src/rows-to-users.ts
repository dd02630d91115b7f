import { type DirectoryUser, type IdentityType, isEmailAddress } from '@ust-sync/api'
import type { ColumnKey } from './connector-schema.js'
import type { CsvOptions } from './csv-options.js'
import { parseIdentityType } from './identity-type.js'
import type { CsvRecord } from './scan-csv.js'

/** Users built from CSV rows, and the warnings about rows that were skipped or corrected. */
export interface RowsToUsersResult {
  users: DirectoryUser[]
  warnings: string[]
}

/** Distinct groups cells, countries… remembered at most (a file where each row differs gains nothing). */
const MAX_REMEMBERED = 10_000

/**
 * Turns CSV rows into directory users as they are read, following UST's CSV connector:
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
 * - `attributes` is set only when extended attributes are asked for: every column of the (last) row plus
 *   the requested extended attributes, for extension hooks.
 *
 * Memory: rows are not kept; users with the same groups cell share one `groups` array (never mutated:
 * a merge gives the user its own copy), and repeated countries are one string.
 */
export class RowsToUsers {
  private readonly byEmail = new Map<string, DirectoryUser>()
  private readonly warnings: string[] = []
  /** Header index of each attribute's column (the last one when a name repeats), -1 when absent. */
  private readonly index: Record<ColumnKey, number[]>
  private readonly groupLists = new Map<string, string[]>()
  private readonly sharedLists = new Set<string[]>()
  private readonly countries = new Map<string, string>()
  private readonly identityTypes = new Map<string, IdentityType | undefined>()
  /** `users.csv:`, made once: a template per row would copy it into every user's origin. */
  private readonly originPrefix: string

  constructor(
    private readonly header: readonly string[],
    private readonly options: CsvOptions,
    private readonly shownPath: string,
    private readonly extendedAttributes: readonly string[],
  ) {
    const index = {} as Record<ColumnKey, number[]>
    for (const key of Object.keys(options.columns) as ColumnKey[]) {
      const name = options.columns[key]
      index[key] = header.flatMap((column, i) => (column === name ? [i] : []))
    }
    this.index = index
    this.originPrefix = `${shownPath}:`
  }

  /** The trimmed cell of `key`'s column, undefined when blank or absent (as the row object had it). */
  private cell(record: CsvRecord, key: ColumnKey): string | undefined {
    const indexes = this.index[key]
    // A repeated header name: the last of its columns present in the row, as csv-parse's row object kept.
    let i = indexes.length - 1
    while (i >= 0 && (indexes[i] as number) >= record.count) i--
    if (i < 0) return undefined
    const value = record.value(indexes[i] as number)?.trim()
    return value ? value : undefined
  }

  /** Adds one data row (not blank), ending on `record.line`. */
  add(record: CsvRecord): void {
    const { columns } = this.options
    const email = this.cell(record, 'email_column_name')
    if (!email || !isEmailAddress(email)) {
      this.warnings.push(
        `${this.shownPath}:${record.line}: ${email ? `invalid email "${email}"` : `missing email (column "${columns.email_column_name}")`}; row skipped`,
      )
      return
    }
    const key = email.toLowerCase()
    const firstname = this.cell(record, 'first_name_column_name')
    const lastname = this.cell(record, 'last_name_column_name')
    const countryText = this.cell(record, 'country_column_name')
    const country = countryText === undefined ? undefined : this.upperCountry(countryText)
    const username = this.cell(record, 'username_column_name')
    const domain = this.cell(record, 'domain_column_name')
    const groupsText = this.cell(record, 'groups_column_name') ?? ''
    const typeText = this.cell(record, 'identity_type_column_name')
    const identityType = typeText === undefined ? undefined : this.identityTypeOf(typeText)
    const notCreatable =
      typeText !== undefined && !identityType
        ? `${this.shownPath}:${record.line}: identity type "${typeText}" of ${email} is not adobeID, enterpriseID or federatedID; the user is not created (fix the type column)`
        : undefined

    let user = this.byEmail.get(key)
    if (user === undefined) {
      // Created with its final values, in one shape for every user (absent values undefined): fields that
      // start undefined and become strings later make V8 migrate every object, slowing all later reads.
      user = {
        email,
        username,
        domain: !domain && username && username.toLowerCase() !== key ? key.slice(key.indexOf('@') + 1) : domain,
        firstname,
        lastname,
        country,
        groups: this.groupsOf(groupsText),
        identityType: identityType ?? this.options.userIdentityType,
        // A concatenation of the shared prefix and a number string (24 bytes more per user than a flat
        // string from join, but join costs 10% more read time); garbage once the users are mapped.
        origin: this.originPrefix + record.line,
        notCreatable,
      }
      this.byEmail.set(key, user)
    } else {
      // A merge (UST: the last non-empty value wins); the user gets its own copy of a shared list first.
      if (this.sharedLists.has(user.groups)) user.groups = user.groups.slice()
      addGroups(user.groups, groupsText)
      if (firstname !== undefined) user.firstname = firstname
      if (lastname !== undefined) user.lastname = lastname
      if (country !== undefined) user.country = country
      if (username !== undefined) user.username = username
      if (domain !== undefined) user.domain = domain
      if (!user.domain && user.username && user.username.toLowerCase() !== key)
        user.domain = key.slice(key.indexOf('@') + 1)
      if (notCreatable !== undefined) user.notCreatable = notCreatable
      const resolvedType = identityType ?? user.identityType ?? this.options.userIdentityType
      if (resolvedType) user.identityType = resolvedType
    }

    if (this.extendedAttributes.length > 0) {
      const cells = rowObject(this.header, record)
      for (const name of this.extendedAttributes) define(cells, name, cells[name])
      user.attributes = cells
    }
  }

  /**
   * The users (in first-seen order) and the warnings. With `wanted` (lower-cased, trimmed group names),
   * only users in one of those groups.
   */
  finish(wanted?: ReadonlySet<string>): RowsToUsersResult {
    const users: DirectoryUser[] = []
    const verdicts = new Map<string[], boolean>()
    for (const user of this.byEmail.values()) {
      if (wanted === undefined) {
        users.push(user)
        continue
      }
      let selected = verdicts.get(user.groups)
      if (selected === undefined) {
        selected = user.groups.some((name) => wanted.has(name.trim().toLowerCase()))
        if (this.sharedLists.has(user.groups)) verdicts.set(user.groups, selected)
      }
      if (selected) users.push(user)
    }
    this.byEmail.clear()
    return { users, warnings: this.warnings }
  }

  /** The groups of a new user: one shared array per distinct cell text. */
  private groupsOf(text: string): string[] {
    const known = this.groupLists.get(text)
    if (known !== undefined) return known
    const groups: string[] = []
    addGroups(groups, text)
    if (this.groupLists.size < MAX_REMEMBERED) {
      this.groupLists.set(text, groups)
      this.sharedLists.add(groups)
    }
    return groups
  }

  private upperCountry(text: string): string {
    let upper = this.countries.get(text)
    if (upper === undefined) {
      upper = text.toUpperCase()
      if (this.countries.size < MAX_REMEMBERED) this.countries.set(text, upper)
    }
    return upper
  }

  private identityTypeOf(text: string): IdentityType | undefined {
    if (this.identityTypes.has(text)) return this.identityTypes.get(text)
    const type = parseIdentityType(text)
    if (this.identityTypes.size < MAX_REMEMBERED) this.identityTypes.set(text, type)
    return type
  }
}

/** Adds the names of a comma-separated groups cell that `groups` does not hold yet (trimmed, any case). */
function addGroups(groups: string[], text: string): void {
  if (text === '') return
  for (const name of text.split(',')) {
    const folded = name.trim().toLowerCase()
    if (folded && !groups.some((known) => known.trim().toLowerCase() === folded)) groups.push(name)
  }
}

/**
 * The row as an object by header name, built exactly as csv-parse built its records: each field of the
 * row under its column's name (a repeated name keeps its first position and its last value; fields past
 * the header are dropped).
 */
export function rowObject(header: readonly string[], record: CsvRecord): Record<string, string | undefined> {
  const cells: Record<string, string | undefined> = {}
  for (let i = 0; i < record.count && i < header.length; i++) define(cells, header[i] as string, record.value(i))
  return cells
}

/** An own, enumerable property, even for a name such as `__proto__`. */
function define(cells: Record<string, string | undefined>, name: string, value: string | undefined): void {
  Object.defineProperty(cells, name, { value, enumerable: true, writable: true, configurable: true })
}
