import type { Client, SearchOptions } from 'ldapts'
import { toLdapEntry, type LdapEntry } from './entry.js'
import { translateLdapError } from './ldap-errors.js'

/** One search request. */
export interface SearchRequest {
  base: string
  filter: string
  scope?: 'base' | 'one' | 'sub'
  attributes: string[]
  /** What the search is for, in messages (e.g. `reading members of group "staff"`). */
  doing: string
}

/** What a search needs from its connection. */
export interface SearchContext {
  client: Client
  /** `ldaps://host:port`, for messages. */
  server: string
  /** Simple Paged Results page size; 0 searches without paging. */
  pageSize: number
  /** Encoding of values; anything but UTF-8 asks for bytes and decodes them. */
  encoding: string
  /** True when the connection is known to be gone (checked before each page is requested). */
  lost?: () => boolean
  /** Follows the continuation references (referrals) a search returned, yielding their entries page by page. */
  followReferences?: (urls: string[], request: SearchRequest) => AsyncIterable<LdapEntry[]>
}

const UTF8 = new Set(['utf8', 'utf-8', 'utf_8'])

/**
 * Runs a search and yields its entries, one array per page (RFC 2696 Simple Paged Results with `pageSize`), so a
 * directory of any size is read without holding every raw page at once. Every failure — a result code,
 * a size/time limit, the server closing the connection between pages — throws a ust error naming the
 * server, base and filter: the caller never sees a silently shortened result.
 */
export async function* searchPages(context: SearchContext, request: SearchRequest): AsyncGenerator<LdapEntry[]> {
  const { client, server, pageSize, encoding } = context
  const options: SearchOptions = {
    scope: request.scope ?? 'sub',
    filter: request.filter,
    attributes: request.attributes,
    ...(UTF8.has(encoding.toLowerCase()) ? {} : { explicitBufferAttributes: request.attributes }),
  }
  const where = { server, dn: request.base, doing: request.doing, filter: request.filter }
  const references: string[] = []
  try {
    if (pageSize > 0 && request.scope !== 'base') {
      const pages = client.searchPaginated(request.base, { ...options, paged: { pageSize } })
      for (;;) {
        if (context.lost?.()) throw new Error('Connection closed before message response was received')
        const page = await pages.next()
        if (page.done) break
        references.push(...page.value.searchReferences)
        yield page.value.searchEntries.map((raw) => toLdapEntry(raw, encoding))
      }
    } else {
      if (context.lost?.()) throw new Error('Connection closed before message response was received')
      const result = await client.search(request.base, options)
      references.push(...result.searchReferences)
      yield result.searchEntries.map((raw) => toLdapEntry(raw, encoding))
    }
  } catch (error) {
    throw translateLdapError(error, where)
  }
  if (references.length > 0 && context.followReferences) yield* context.followReferences(references, request)
}

/** Collects every entry of a search. */
export async function searchAll(context: SearchContext, request: SearchRequest): Promise<LdapEntry[]> {
  const entries: LdapEntry[] = []
  // No push(...page): a server that does not page returns every entry at once, past the argument limit.
  for await (const page of searchPages(context, request)) for (const entry of page) entries.push(entry)
  return entries
}
