import iconv from 'iconv-lite'
import type { Entry } from 'ldapts'
import { normaliseDn } from './dn.js'

/** One directory entry with case-insensitive attribute access (LDAP attribute names ignore case). */
export interface LdapEntry {
  dn: string
  /** The DN normalised for comparison (see `normaliseDn`). */
  key: string
  /** All values of an attribute, decoded; empty when the entry lacks it. */
  values(name: string): string[]
  /** The first value, or undefined when the entry lacks the attribute (UST's rule for templates). */
  first(name: string): string | undefined
  /** Names of the attributes present, lower case (e.g. `member;range=0-1499`). */
  keys(): string[]
}

type Raw = string | Buffer | (string | Buffer)[]

/**
 * Wraps an ldapts entry. Values arrive as strings (UTF-8) or, for attributes requested as buffers (any
 * other `string_encoding`), as bytes decoded here with iconv-lite. Built for speed: one lower-cased key
 * table per entry, values converted only when read.
 */
export function toLdapEntry(raw: Entry, encoding: string): LdapEntry {
  const byName: Record<string, Raw> = Object.create(null)
  for (const key in raw) {
    if (key !== 'dn') byName[key.toLowerCase()] = raw[key] as Raw
  }
  const decode = (item: string | Buffer): string => (typeof item === 'string' ? item : iconv.decode(item, encoding))
  const values = (name: string): string[] => {
    const value = byName[name.toLowerCase()]
    if (value === undefined) return []
    return Array.isArray(value) ? value.map(decode) : [decode(value)]
  }
  return {
    dn: raw.dn,
    key: normaliseDn(raw.dn),
    values,
    first: (name) => {
      const value = byName[name.toLowerCase()]
      if (value === undefined) return undefined
      if (!Array.isArray(value)) return decode(value)
      const first = value[0]
      return first === undefined ? undefined : decode(first)
    },
    keys: () => Object.keys(byName),
  }
}
