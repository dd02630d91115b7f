import { type DirectoryUser, isEmailAddress, SourceError, type TargetAttributes } from '@ust-sync/api'

/**
 * Why a user whose email is not an address is never created (whatever the source): kept for matching, so an
 * existing account is still compared and never looks Adobe-only, but not created with a bad address.
 */
export function notAnAddress(email: string, origin: string | undefined): string | undefined {
  if (isEmailAddress(email)) return undefined
  return `${origin ?? 'a directory user'}: email "${email}" is not an email address; the user is not created (fix it in the directory)`
}

/** At most this many interned values are remembered. */
const MAX_REMEMBERED = 10_000

/** One copy of each repeated short value (a country, a domain) for the whole desired state. */
export class Interned {
  private readonly values = new Map<string, string>()

  of(value: string): string {
    const known = this.values.get(value)
    if (known !== undefined) return known
    if (this.values.size < MAX_REMEMBERED) this.values.set(value, value)
    return value
  }
}

/** The user fields mapping reads: a directory user's, or what a mapping hook left. */
export type Fields = Pick<DirectoryUser, 'email' | 'username' | 'domain' | 'firstname' | 'lastname' | 'country'>

/** A hook's attributes with null read as absent. */
export function nullsAsAbsent(attributes: TargetAttributes): Fields {
  const { email, username, domain, firstname, lastname, country } = attributes
  return {
    email: email ?? '',
    username: username ?? undefined,
    domain: domain ?? undefined,
    firstname: firstname ?? undefined,
    lastname: lastname ?? undefined,
    country: country ?? undefined,
  }
}

/** {@link refuseControlCharacter} on every field, in order. */
export function refuseControlCharacters(user: DirectoryUser, fields: Fields): void {
  refuseControlCharacter(user, 'email', fields.email)
  refuseControlCharacter(user, 'username', fields.username)
  refuseControlCharacter(user, 'domain', fields.domain)
  refuseControlCharacter(user, 'firstname', fields.firstname)
  refuseControlCharacter(user, 'lastname', fields.lastname)
  refuseControlCharacter(user, 'country', fields.country)
}

/** C0 control characters (TAB aside) and DEL: never part of a name, an address or a group. */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/

/**
 * A directory value holding a NUL byte or another control character stops the run (whatever the source),
 * naming where the record came from: such a value is corrupt input, and guessing could create, rename or
 * (by not matching) remove the wrong account. Fields are checked in the order email, username, domain,
 * firstname, lastname, country, groups: the first offending one is named.
 */
export function refuseControlCharacter(user: DirectoryUser, field: string, value: string | undefined): void {
  if (typeof value !== 'string' || !CONTROL.test(value)) return
  const found = CONTROL.exec(value) as RegExpExecArray
  const code = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
  throw new SourceError(
    `${user.origin ?? 'a directory user'}: the ${field} contains a control character (${code}); nothing was changed`,
    { code: 'source.control-character', suggestions: ['Fix that value in the directory, then run again'] },
  )
}
