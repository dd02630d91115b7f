import { SourceError } from '@ust-sync/api'
import type { LdapEntry } from './entry.js'
import { parseHost } from './ldap-options.js'
import type { SearchRequest } from './search.js'

/** Referral hops allowed from the first server (a longer chain is treated as a loop). */
export const MAX_REFERRAL_HOPS = 5

/** A continuation reference (`ldap://host:port/DN??sub?filter`) split into server and search base. */
export interface Referral {
  server: string
  base?: string
}

/** Parses a referral URL; undefined when it is not an ldap(s) URL. */
export function parseReferral(url: string): Referral | undefined {
  const match = /^(ldaps?:\/\/[^/]+)(?:\/([^?]*))?/i.exec(url.trim())
  if (!match) return undefined
  const server = parseHost(match[1]!).text
  return match[2] ? { server, base: decodeURIComponent(match[2]) } : { server }
}

/**
 * Follows continuation references as UST's directory connector does (referrals are part of the
 * directory): each reference is searched on its server with the same bind, filter and attributes. The
 * chain of (server, base) visited is carried along; seeing one again, or more than
 * {@link MAX_REFERRAL_HOPS} hops, throws a {@link SourceError} naming the chain, never a partial read.
 */
export async function* followReferrals(
  urls: string[],
  request: SearchRequest,
  trail: string[],
  searchOn: (referral: Referral, request: SearchRequest, trail: string[]) => AsyncIterable<LdapEntry[]>,
): AsyncGenerator<LdapEntry[]> {
  for (const url of urls) {
    const referral = parseReferral(url)
    if (!referral) {
      throw new SourceError(`Cannot follow the referral "${url}" returned while ${request.doing}`, {
        code: 'source.ldap.referral',
        suggestions: ['Point base_dn at a part of the directory the server holds itself.'],
      })
    }
    const step = `${referral.server}/${referral.base ?? request.base}`
    if (trail.some((seen) => seen.toLowerCase() === step.toLowerCase()) || trail.length > MAX_REFERRAL_HOPS) {
      throw new SourceError(
        `Referral loop while ${request.doing}: ${[...trail, step].join(' → ')}; nothing was changed`,
        {
          code: 'source.ldap.referral-loop',
          suggestions: ['Fix the referral entries on the directory servers, or set base_dn below the referral.'],
        },
      )
    }
    yield* searchOn(referral, { ...request, base: referral.base ?? request.base }, [...trail, step])
  }
}
