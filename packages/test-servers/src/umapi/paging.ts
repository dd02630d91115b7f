import { resultError, type Reply } from './reply.js'

/** One page of a paged listing, with the four `X-*` headers of umapi.md §3. */
export interface Page<T> {
  items: T[]
  lastPage: boolean
  headers: Record<string, string>
}

/** Parses the 0-based page path segment; a 400 reply when it is not a non-negative integer. */
export function parsePageIndex(segment: string): number | Reply {
  if (!/^\d+$/.test(segment))
    return resultError('error', `Invalid page number "${segment}": expected a non-negative integer`)
  return Number(segment)
}

/** Cuts page `index` out of `all`; an index past the end yields the last page. */
export function paginate<T>(all: readonly T[], index: number, size: number): Page<T> {
  const pageCount = Math.max(1, Math.ceil(all.length / size))
  const current = Math.min(index, pageCount - 1)
  const items = all.slice(current * size, (current + 1) * size)
  return {
    items,
    lastPage: current === pageCount - 1,
    headers: {
      'X-Total-Count': String(all.length),
      'X-Page-Count': String(pageCount),
      'X-Current-Page': String(current),
      'X-Page-Size': String(items.length),
    },
  }
}
