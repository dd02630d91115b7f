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
  /** The value as a user attribute: one string, several, or undefined when the entry lacks it. */
  single(name: string): string | string[] | undefined
  /** Names of the attributes present, lower case (e.g. `member;range=0-1499`). */
  keys(): string[]
}

type Raw = string | Buffer | (string | Buffer)[]

/**
 * An ldapts entry. Values arrive as strings (UTF-8) or, for attributes requested as buffers (any other
 * `string_encoding`), as bytes decoded here with iconv-lite. Built for speed, as every entry of a read
 * goes through it: one object per entry over ldapts' own, the attribute found under the name asked for
 * (servers answer with the names as requested or as in their schema) before any case-insensitive search,
 * and values converted only when read.
 */
class ReadEntry implements LdapEntry {
  readonly key: string

  constructor(
    private readonly raw: Entry,
    private readonly encoding: string,
  ) {
    this.key = normaliseDn(raw.dn)
  }

  get dn(): string {
    return this.raw.dn
  }

  private lookup(name: string): Raw | undefined {
    const raw = this.raw as unknown as Record<string, Raw>
    // Own keys only: an attribute named like an Object method (`{constructor}`) must not find the method.
    if (name !== 'dn' && Object.hasOwn(raw, name)) return raw[name]
    const lower = name.toLowerCase()
    for (const key in raw) if (key !== 'dn' && key.toLowerCase() === lower) return raw[key]
    return undefined
  }

  private decode(item: string | Buffer): string {
    return typeof item === 'string' ? item : iconv.decode(item, this.encoding)
  }

  values(name: string): string[] {
    const value = this.lookup(name)
    if (value === undefined) return []
    return Array.isArray(value) ? value.map((item) => this.decode(item)) : [this.decode(value)]
  }

  first(name: string): string | undefined {
    const value = this.lookup(name)
    if (value === undefined) return undefined
    if (!Array.isArray(value)) return this.decode(value)
    const first = value[0]
    return first === undefined ? undefined : this.decode(first)
  }

  single(name: string): string | string[] | undefined {
    const value = this.lookup(name)
    if (value === undefined) return undefined
    if (!Array.isArray(value)) return this.decode(value)
    return value.length === 0 ? undefined : value.length === 1 ? this.decode(value[0]!) : this.values(name)
  }

  keys(): string[] {
    return Object.keys(this.raw)
      .filter((key) => key !== 'dn')
      .map((key) => key.toLowerCase())
  }
}

/** Wraps an ldapts entry (see {@link ReadEntry}). */
export function toLdapEntry(raw: Entry, encoding: string): LdapEntry {
  return new ReadEntry(raw, encoding)
}
