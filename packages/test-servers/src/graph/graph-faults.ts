/** Requests of the fake Graph a fault can apply to. */
export type GraphEndpoint = 'token' | 'users' | 'groups' | 'members'

/** Which requests a fault hits: the endpoint(s), how many to let through first, and how many to hit. */
export interface GraphFaultTarget {
  /** Default: every Graph endpoint (users, groups, members), not the token endpoint. */
  endpoint?: GraphEndpoint | GraphEndpoint[]
  /** Matching requests served normally before the fault starts (e.g. 1: the second page fails). Default 0. */
  after?: number
  /** Matching requests hit; default 1. */
  times?: number
}

/** A queued fault. */
export type GraphFault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'reset' }
  | { kind: 'truncate' }
  | { kind: 'unauthorized' }

interface Queued {
  fault: GraphFault
  endpoints: GraphEndpoint[]
  skip: number
  left: number
}

const GRAPH_ENDPOINTS: GraphEndpoint[] = ['users', 'groups', 'members']

/**
 * Fault injection for the fake Graph. Each request takes the first queued fault matching its endpoint
 * (after that fault's `after` requests have gone through), at most one per request.
 */
export class GraphFaultQueue {
  private readonly queue: Queued[] = []

  /** Answers `status` in Graph's error shape (429 as TooManyRequests), with `Retry-After` when given (seconds, may be fractional). */
  status(status: number, options: GraphFaultTarget & { retryAfter?: number } = {}): this {
    const retryAfter = options.retryAfter === undefined ? undefined : String(options.retryAfter)
    return this.push({ kind: 'status', status, ...(retryAfter ? { retryAfter } : {}) }, options)
  }

  /** Closes the connection without an answer. */
  reset(options: GraphFaultTarget = {}): this {
    return this.push({ kind: 'reset' }, options)
  }

  /** Answers 200 with the page's JSON cut in half (a truncated page). */
  truncate(options: GraphFaultTarget = {}): this {
    return this.push({ kind: 'truncate' }, options)
  }

  /** Answers 401 InvalidAuthenticationToken although the token is valid. */
  unauthorized(options: GraphFaultTarget = {}): this {
    return this.push({ kind: 'unauthorized' }, options)
  }

  /** Hits still queued. */
  pending(): number {
    return this.queue.reduce((n, q) => n + q.left, 0)
  }

  clear(): void {
    this.queue.length = 0
  }

  /** The fault for a request to `endpoint`, if any (used by the server). */
  take(endpoint: GraphEndpoint): GraphFault | undefined {
    for (const [index, queued] of this.queue.entries()) {
      if (!queued.endpoints.includes(endpoint)) continue
      if (queued.skip > 0) {
        queued.skip--
        return undefined
      }
      queued.left--
      if (queued.left <= 0) this.queue.splice(index, 1)
      return queued.fault
    }
    return undefined
  }

  private push(fault: GraphFault, target: GraphFaultTarget): this {
    const endpoints =
      target.endpoint === undefined
        ? GRAPH_ENDPOINTS
        : Array.isArray(target.endpoint)
          ? target.endpoint
          : [target.endpoint]
    this.queue.push({ fault, endpoints, skip: target.after ?? 0, left: target.times ?? 1 })
    return this
  }
}
