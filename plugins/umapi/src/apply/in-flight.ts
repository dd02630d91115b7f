import type { ActionEntry } from './action-entry.js'
import type { PackedRequest } from './pack-requests.js'

/** The most action requests ever in flight at once, however generous the declared limits. */
export const MAX_IN_FLIGHT = 4

/**
 * How many action requests may be in flight at once for a declared limit of `actionLimit` requests per
 * window: one per 10 allowed, at most {@link MAX_IN_FLIGHT}. Under UMAPI's real limit (10 per minute) that
 * is one, so pacing is exactly the sequential one; the pacer still admits no request past the limit.
 */
export function maxInFlight(actionLimit: number): number {
  return Math.max(1, Math.min(MAX_IN_FLIGHT, Math.floor(actionLimit / 10)))
}

/** The users and user groups an entry addresses (lower-cased, prefixed `u:` / `g:`). */
function keysOf(entry: ActionEntry): string[] {
  if ('usergroup' in entry) {
    const keys = [`g:${entry.usergroup.toLowerCase()}`]
    for (const step of entry.do) {
      const list = 'add' in step ? step.add : 'remove' in step ? step.remove : undefined
      if (typeof list === 'object' && 'user' in list) for (const user of list.user) keys.push(`u:${user.toLowerCase()}`)
    }
    return keys
  }
  return [`u:${entry.user.toLowerCase()}`]
}

const createsGroup = (request: PackedRequest): boolean =>
  request.entries.some((e) => e.do.some((step) => 'createUserGroup' in step))

/**
 * Sends packed requests in order with up to `limit` in flight, keeping every ordering the sequential
 * sender gave that can matter:
 *
 * - the first request (it carries `umapi-sync-start`) completes before any other starts, and the last
 *   (`umapi-sync-end`) starts only after every other completed;
 * - a request that creates user groups runs alone, so later requests find the groups;
 * - a request never starts while an earlier one addressing the same user or user group is in flight
 *   (a user's steps split over two requests stay in order).
 *
 * `send` must not reject (it reports failures in its result); `stopped` is checked before each start, and
 * requests not started once it returns true are passed to `skip` instead.
 */
export async function sendInOrder(
  requests: readonly PackedRequest[],
  limit: number,
  send: (request: PackedRequest, index: number) => Promise<void>,
  stopped: () => boolean,
  skip: (request: PackedRequest) => void,
): Promise<void> {
  const running = new Map<Promise<void>, Set<string>>()
  const drain = async (): Promise<void> => {
    await Promise.all(running.keys())
  }
  for (const [index, request] of requests.entries()) {
    const alone = index === 0 || index === requests.length - 1 || createsGroup(request)
    const keys = new Set(request.entries.flatMap(keysOf))
    const blocked = (): boolean => {
      if (running.size >= limit) return true
      for (const held of running.values()) for (const key of keys) if (held.has(key)) return true
      return false
    }
    if (alone) await drain()
    else while (running.size > 0 && blocked()) await Promise.race(running.keys())
    if (stopped()) {
      skip(request)
      continue
    }
    const task: Promise<void> = send(request, index).finally(() => running.delete(task))
    running.set(task, keys)
    if (alone) await drain()
  }
  await drain()
}
