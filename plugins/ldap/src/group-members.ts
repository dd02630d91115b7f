import { SourceError } from '@ust-sync/api'
import type { LdapEntry } from './entry.js'
import { searchAll, type SearchContext } from './search.js'

/** Nested groups deeper than this are an error (a truncated membership would drop users). */
export const MAX_NESTING_DEPTH = 32

/**
 * All values of a group's member attribute, including Active Directory's ranged retrieval: a group with
 * more members than the server's MaxValRange returns `member;range=0-1499`, and the rest is read with
 * `member;range=1500-*`, … until a range ends in `*`. Nothing is dropped.
 */
export async function memberValues(context: SearchContext, group: LdapEntry, attribute: string): Promise<string[]> {
  const values = [...group.values(attribute)]
  let ranged = rangedKey(group, attribute)
  while (ranged) {
    for (const value of group.values(ranged.key)) values.push(value)
    if (ranged.end === '*') break
    const next = `${attribute};range=${Number(ranged.end) + 1}-*`
    const [again] = await searchAll(context, {
      base: group.dn,
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: [next],
      doing: `reading members of ${group.dn}`,
    })
    if (!again)
      throw new SourceError(`Group ${group.dn} disappeared while its members were read`, {
        code: 'source.ldap.group-gone',
      })
    group = again
    ranged = rangedKey(group, attribute)
    if (!ranged) {
      throw new SourceError(`${context.server} returned no further range of ${attribute} for ${group.dn}`, {
        code: 'source.ldap.range',
      })
    }
  }
  return values
}

function rangedKey(entry: LdapEntry, attribute: string): { key: string; end: string } | undefined {
  const prefix = `${attribute.toLowerCase()};range=`
  for (const key of entry.keys()) {
    if (key.startsWith(prefix)) {
      const end = key.slice(key.indexOf('-', prefix.length) + 1)
      return { key, end }
    }
  }
  return undefined
}
