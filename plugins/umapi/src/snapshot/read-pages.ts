import { TargetError } from '@ust-sync/api'
import type { EndpointKind } from '../config/umapi-settings.js'
import type { SyncSignal, UmapiCall, UmapiReply, UmapiSession } from '../umapi-session.js'

/** A paged listing to read: which limit, the path of page `n`, and where the items are in the body. */
export interface PagedListing {
  kind: EndpointKind
  path(page: number): string
  /** e.g. `users page`, `users page of group "Design"`. */
  what: string
  /** Body key holding the items (`users`, `groups`). */
  itemsKey: string
}

/** Sync signals for a sequence of paged reads (umapi.md §8.4). */
export interface SignalPlan {
  /** Send `umapi-sync-start` on the first request. */
  start: boolean
  /** Send `umapi-sync-end` on the request of the last page, when that is known and is not the first request. */
  end: boolean
}

/** Most pages one listing may take (2,000,000 users at UMAPI's smallest page size of 200). */
export const MAX_PAGES = 10_000

/** The declared requests per window from which pages are requested ahead (UMAPI's global limit per minute). */
export const READ_AHEAD_LIMIT = 100

/**
 * Pages requested ahead of the one being handled. Measured with the fake UMAPI at 200k users: 2 ahead read
 * the org in ~0.7 of the time one after the other took; more only piles up pages while ust is busy.
 */
export const PAGES_AHEAD = 2

/**
 * Lets requests just made leave before CPU-bound work: a request is written only once the event loop
 * turns (the core's fetch waits one full turn first, see its TSDoc), so without this the pages asked for
 * ahead would be sent only after the current page is handled, and nothing would overlap.
 */
async function letRequestsLeave(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve))
}

const endless = (message: string): TargetError =>
  new TargetError(message, {
    code: 'target.umapi.endless-paging',
    suggestions: ['Nothing was changed; check the server address (server.host), or report it to Adobe support'],
  })

/** Whether two pages hold the same items (cheap checks first: the full comparison is rarely needed). */
function samePage(a: readonly unknown[], b: readonly unknown[] | undefined): boolean {
  if (!b || a.length !== b.length) return false
  const last = a.length - 1
  if (JSON.stringify(a[0]) !== JSON.stringify(b[0]) || JSON.stringify(a[last]) !== JSON.stringify(b[last])) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * Reads every page of a listing, one after the other, following `lastPage` (and stopping on an empty
 * page, past `X-Page-Count`, or once `X-Total-Count` items are read), and hands each page's items to
 * `onPage` as it arrives (so the caller keeps compact records, not the wire objects). A server that never
 * ends the listing is not followed forever: a page identical to the one before, or more than
 * {@link MAX_PAGES} pages, is a `TargetError`. Returns false when UMAPI answers 404 to the first page
 * (unknown group or domain). Throws a `TargetError` for any other failure: the caller must then drop what
 * `onPage` received, so a partial listing is never used.
 *
 * Pages ahead: under a declared limit of at least {@link READ_AHEAD_LIMIT} requests of the listing's kind per
 * window, once page 0 has told how many pages there are (`X-Page-Count`: no page past the last is ever
 * asked for), the next {@link PAGES_AHEAD} pages are requested while a page is handled, so the server
 * builds them while ust maps this one. Under UMAPI's documented limits (25 per minute) pages are read one
 * after the other, as umapi-client does. Results are handled strictly in page order.
 */
export async function readPages(
  session: UmapiSession,
  listing: PagedListing,
  signals: SignalPlan,
  onPage: (items: unknown[]) => void,
): Promise<boolean> {
  let pageCount: number | undefined
  let previous: unknown[] | undefined
  let read = 0
  const callFor = (page: number): UmapiCall => {
    let pragma: SyncSignal | undefined
    if (page === 0 && signals.start) pragma = 'umapi-sync-start'
    else if (signals.end && page > 0 && pageCount !== undefined && page === pageCount - 1) pragma = 'umapi-sync-end'
    return { kind: listing.kind, method: 'GET', path: listing.path(page), what: `GET ${listing.what} ${page}`, pragma }
  }
  const ahead = session.settings.rateLimits[listing.kind] >= READ_AHEAD_LIMIT ? PAGES_AHEAD : 0
  // Pages requested and not yet handled, by number (a failure is seen when its page's turn comes).
  const requested = new Map<number, Promise<UmapiReply>>()
  const request = (page: number): Promise<UmapiReply> => {
    let reply = requested.get(page)
    if (!reply) {
      reply = session.call(callFor(page))
      reply.catch(() => {})
      requested.set(page, reply)
    }
    return reply
  }
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES)
      throw endless(`UMAPI ${listing.what}: no last page after ${MAX_PAGES} pages; the listing was not used`)
    const call = callFor(page)
    const reply = await request(page)
    requested.delete(page)
    if (reply.status === 404 && page === 0) return false
    const body = pageBody(reply)
    if (reply.status !== 200 || !body || body.result !== 'success') throw session.unexpected(call, reply)
    const pageItems = body[listing.itemsKey]
    if (!Array.isArray(pageItems)) {
      throw new TargetError(`UMAPI ${call.what}: the answer has no "${listing.itemsKey}" list`, {
        code: 'target.umapi.malformed',
      })
    }
    if (body.lastPage !== true && pageItems.length > 0 && samePage(pageItems, previous)) {
      throw endless(
        `UMAPI ${call.what}: the server repeats the previous page without ever reporting the last one; the listing was not used`,
      )
    }
    previous = pageItems
    read += pageItems.length
    const count = Number(reply.headers.get('x-page-count'))
    if (Number.isInteger(count) && count > 0) pageCount = count
    if (ahead > 0 && pageCount !== undefined && body.lastPage !== true) {
      for (let next = page + 1; next <= page + ahead && next < pageCount; next++) request(next)
      if (requested.size > 0) await letRequestsLeave()
    }
    onPage(pageItems)
    const totalHeader = reply.headers.get('x-total-count')
    const total = totalHeader === null ? Number.NaN : Number(totalHeader)
    session.task?.tick(pageItems.length, listing.kind === 'users' && total > 0 ? total : undefined)
    if (
      body.lastPage === true ||
      pageItems.length === 0 ||
      (pageCount !== undefined && page + 1 >= pageCount) ||
      (Number.isInteger(total) && total >= 0 && read >= total)
    )
      return true
  }
}

function pageBody(reply: UmapiReply): Record<string, unknown> | undefined {
  return typeof reply.json === 'object' && reply.json !== null && !Array.isArray(reply.json)
    ? (reply.json as Record<string, unknown>)
    : undefined
}
