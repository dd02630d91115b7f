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

/** The most pages ever requested at once, however generous the declared limit. */
export const MAX_PAGES_IN_FLIGHT = 4

/**
 * How many pages of a listing may be requested at once for a declared limit of `limit` requests per
 * window: one per 100 allowed, at most {@link MAX_PAGES_IN_FLIGHT}. Under UMAPI's real limits (25 and 5
 * per minute) that is one, so pages are read strictly one after the other, exactly as UST does; the
 * pacer still admits no request past the limit.
 */
export function pagesInFlight(limit: number): number {
  return Math.max(1, Math.min(MAX_PAGES_IN_FLIGHT, Math.floor(limit / 100)))
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
 * Reads every page of a listing, following `lastPage` (and stopping on an empty page, past
 * `X-Page-Count`, or once `X-Total-Count` items are read), and hands each page's items to `onPage` in
 * page order as it arrives (so the caller keeps compact records, not the wire objects). A server that
 * never ends the listing is not followed forever: a page identical to the one before, or more than
 * {@link MAX_PAGES} pages, is a `TargetError`. Returns false when UMAPI answers 404 to the first page
 * (unknown group or domain). Throws a `TargetError` for any other failure: the caller must then drop
 * what `onPage` received, so a partial listing is never used.
 *
 * Once the first page told how many pages there are, up to {@link pagesInFlight} of the next ones are
 * requested at once (one at a time under UMAPI's real limits); their replies are still checked in order,
 * and pages fetched past the end are ignored.
 */
export async function readPages(
  session: UmapiSession,
  listing: PagedListing,
  signals: SignalPlan,
  onPage: (items: unknown[]) => void,
): Promise<boolean> {
  const window = pagesInFlight(session.settings.rateLimits[listing.kind])
  const pending = new Map<number, { call: UmapiCall; reply: Promise<UmapiReply> }>()
  let pageCount: number | undefined
  let previous: unknown[] | undefined
  let read = 0
  const request = (page: number): void => {
    let pragma: SyncSignal | undefined
    if (page === 0 && signals.start) pragma = 'umapi-sync-start'
    else if (signals.end && page > 0 && pageCount !== undefined && page === pageCount - 1) pragma = 'umapi-sync-end'
    const call: UmapiCall = {
      kind: listing.kind,
      method: 'GET',
      path: listing.path(page),
      what: `GET ${listing.what} ${page}`,
      pragma,
    }
    const reply = session.call(call)
    // Awaited in page order below; a page fetched ahead may fail while an earlier one is awaited.
    reply.catch(() => {})
    pending.set(page, { call, reply })
  }
  try {
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES)
        throw endless(`UMAPI ${listing.what}: no last page after ${MAX_PAGES} pages; the listing was not used`)
      if (!pending.has(page)) request(page)
      if (pageCount !== undefined)
        for (let ahead = page + 1; ahead < Math.min(page + window, pageCount, MAX_PAGES); ahead++)
          if (!pending.has(ahead)) request(ahead)
      const { call, reply: replied } = pending.get(page)!
      pending.delete(page)
      const reply = await replied
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
      onPage(pageItems)
      const totalHeader = reply.headers.get('x-total-count')
      const total = totalHeader === null ? Number.NaN : Number(totalHeader)
      session.task?.tick(pageItems.length, listing.kind === 'users' && total > 0 ? total : undefined)
      const count = Number(reply.headers.get('x-page-count'))
      if (Number.isInteger(count) && count > 0) pageCount = count
      if (
        body.lastPage === true ||
        pageItems.length === 0 ||
        (pageCount !== undefined && page + 1 >= pageCount) ||
        (Number.isInteger(total) && total >= 0 && read >= total)
      )
        return true
    }
  } finally {
    // Pages requested ahead of an end (or of a failure) are not used; let them finish so that no request
    // of this listing is still in flight (nor holding a pacer slot) once it returns.
    if (pending.size > 0) await Promise.allSettled([...pending.values()].map((p) => p.reply))
  }
}

function pageBody(reply: UmapiReply): Record<string, unknown> | undefined {
  return typeof reply.json === 'object' && reply.json !== null && !Array.isArray(reply.json)
    ? (reply.json as Record<string, unknown>)
    : undefined
}
