import type { EndpointKind } from './endpoints.js'
import type { Reply } from './reply.js'

/** UMAPI endpoint kinds: the default target of a fault that names no endpoint. */
const UMAPI_KINDS: readonly EndpointKind[] = ['action', 'users', 'usersInGroup', 'user', 'groups']

/**
 * Which requests a fault applies to and how often.
 * `endpoint` defaults to every UMAPI endpoint (users, usersInGroup, user, groups, action) — not `token`
 * or `status`, so the token fetch that precedes a UMAPI call does not consume the fault; name `token`
 * explicitly to fault the IMS endpoints.
 */
export interface FaultTarget {
  endpoint?: EndpointKind | EndpointKind[]
  /** How many matching requests the fault hits before it is used up; default 1. */
  times?: number
}

/** Options of an injected error status. */
export interface StatusFaultOptions extends FaultTarget {
  /**
   * `Retry-After`: seconds (number) or an HTTP-date (Date, sent as `toUTCString()`); omitted when absent or
   * undefined (as {@link FaultQueue.tooManyRequests} forwards it).
   */
  retryAfter?: number | Date | undefined
}

/** A queued fault, as kept by the queue. */
export type Fault =
  | { kind: 'status'; status: number; retryAfter?: number | Date | undefined; endpoints: EndpointKind[]; left: number }
  | { kind: 'delay'; delayMs: number; endpoints: EndpointKind[]; left: number }
  | { kind: 'reset'; endpoints: EndpointKind[]; left: number }
  | { kind: 'unauthorized'; endpoints: EndpointKind[]; left: number }
  | { kind: 'reply'; reply: Reply; endpoints: EndpointKind[]; left: number }

/**
 * Fault injection queue. Faults are consumed in the order they were queued: each request takes the first
 * queued fault whose endpoint matches, decrements its count and drops it when used up. A request takes
 * at most one fault. A `delay` fault then lets the request proceed normally (slow reply).
 */
export class FaultQueue {
  private readonly queue: Fault[] = []

  /** Answers `status` (429, 500, 502, 503, 504, ...) with a JSON error body instead of serving the request. */
  status(status: number, options: StatusFaultOptions = {}): this {
    this.queue.push({ kind: 'status', status, retryAfter: options.retryAfter, ...this.target(options) })
    return this
  }

  /** Shorthand for `status(429, {retryAfter, ...})`: the throttle answer with `error_code 429050`. */
  tooManyRequests(retryAfter: number | Date | undefined, target: FaultTarget = {}): this {
    return this.status(429, { ...target, retryAfter })
  }

  /** Waits `delayMs` before serving the request normally. */
  delay(delayMs: number, target: FaultTarget = {}): this {
    this.queue.push({ kind: 'delay', delayMs, ...this.target(target) })
    return this
  }

  /** Destroys the socket after reading the request, without any HTTP response. */
  reset(target: FaultTarget = {}): this {
    this.queue.push({ kind: 'reset', ...this.target(target) })
    return this
  }

  /** Answers 401 (as for an invalid token) although the token is valid. One-shot by default. */
  unauthorized(target: FaultTarget = {}): this {
    this.queue.push({ kind: 'unauthorized', ...this.target(target) })
    return this
  }

  /**
   * Answers exactly `reply` (status, JSON body, headers) instead of serving the request: a server that
   * misbehaves (e.g. `{"result":"error"}` without errors, pages that never say `lastPage`).
   */
  reply(reply: Reply, target: FaultTarget = {}): this {
    this.queue.push({ kind: 'reply', reply, ...this.target(target) })
    return this
  }

  /** Number of fault hits still queued (sum of remaining counts). */
  pending(): number {
    return this.queue.reduce((sum, f) => sum + f.left, 0)
  }

  /** Drops every queued fault. */
  clear(): void {
    this.queue.length = 0
  }

  /** Takes the fault for a request to `endpoint`, if any (used by the server). */
  take(endpoint: EndpointKind): Fault | undefined {
    const index = this.queue.findIndex((f) => f.endpoints.includes(endpoint))
    if (index < 0) return undefined
    const fault = this.queue[index]!
    fault.left -= 1
    if (fault.left <= 0) this.queue.splice(index, 1)
    return fault
  }

  private target(t: FaultTarget): { endpoints: EndpointKind[]; left: number } {
    const times = t.times ?? 1
    if (!Number.isInteger(times) || times < 1) throw new Error(`fault times must be a positive integer, got ${times}`)
    const endpoints =
      t.endpoint === undefined ? [...UMAPI_KINDS] : Array.isArray(t.endpoint) ? t.endpoint : [t.endpoint]
    return { endpoints, left: times }
  }
}
