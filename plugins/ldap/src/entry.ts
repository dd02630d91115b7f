import iconv from 'iconv-lite'
import type { Entry } from 'ldapts'

/** One directory entry with case-insensitive attribute access (LDAP attribute names ignore case). */
export interface LdapEntry {
  dn: string
  /** All values of an attribute, decoded; empty when the entry lacks it. */
  values(name: string): string[]
  /** The first value, or undefined when the entry lacks the attribute (UST's rule for templates). */
  first(name: string): string | undefined
  /** Names of the attributes present, lower case (e.g. `member;range=0-1499`). */
  keys(): string[]
}

/**
 * Wraps an ldapts entry. Values arrive as strings (UTF-8) or, for attributes requested as buffers (any
 * other `string_encoding`), as bytes decoded here with iconv-lite.
 */
export function toLdapEntry(raw: Entry, encoding: string): LdapEntry {
  const byName = new Map<string, string[]>()
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'dn') continue
    const list = (Array.isArray(value) ? value : [value]) as (string | Buffer)[]
    const decoded = list.map((item) => (Buffer.isBuffer(item) ? iconv.decode(item, encoding) : String(item)))
    const lower = key.toLowerCase()
    byName.set(lower, [...(byName.get(lower) ?? []), ...decoded])
  }
  return {
    dn: raw.dn,
    values: (name) => byName.get(name.toLowerCase()) ?? [],
    first: (name) => byName.get(name.toLowerCase())?.[0],
    keys: () => [...byName.keys()],
  }
}
