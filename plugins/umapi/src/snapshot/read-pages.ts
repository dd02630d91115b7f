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
/**
 * Longest one listing may take: 10,000 pages each slow but different would otherwise run for weeks. Six
 * hours is many times what 2M users take at UMAPI's documented read limits.
 */
export const MAX_LISTING_MS = 6 * 3600 * 1000

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
 * {@link MAX_PAGES} pages or {@link MAX_LISTING_MS}, is a `TargetError`. Returns false when UMAPI answers 404 to the first page
 * (unknown group or domain). Throws a `TargetError` for any other failure: the caller must then drop what
 * `onPage` received, so a partial listing is never used.
 *
 * Pages are not requested ahead, even under a generous declared limit. Measured end to end at 100k users:
 * 4 pages in flight cost about 2 s and 1.5 s of CPU (the CLI is busy reading the directory meanwhile, and
 * pages arriving at once only pile up); one page ahead gained nothing beyond the noise; two ahead saved
 * ~0.3 s but raised peak RSS by ~10 MiB, past the 250 MB target in 2 runs of 5 (several parsed pages alive
 * at once). A page asked for ahead leaves only once the event loop turns (the core's fetch waits a turn),
 * so a few `setImmediate` turns must pass before handling the current page, or nothing overlaps.
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
  const started = session.now()
  for (let page = 0; ; page++) {
    if (page >= MAX_PAGES)
      throw endless(`UMAPI ${listing.what}: no last page after ${MAX_PAGES} pages; the listing was not used`)
    if (page > 0 && session.now() - started > MAX_LISTING_MS)
      throw endless(
        `UMAPI ${listing.what}: no last page after ${MAX_LISTING_MS / 3_600_000} hours (${page} pages); the listing was not used`,
      )
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
    const reply = await session.call(call)
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
}

function pageBody(reply: UmapiReply): Record<string, unknown> | undefined {
  return typeof reply.json === 'object' && reply.json !== null && !Array.isArray(reply.json)
    ? (reply.json as Record<string, unknown>)
    : undefined
}
