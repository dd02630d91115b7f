/** The kinds of request the fake Okta serves (and its rate-limit buckets). */
export type OktaEndpoint = 'users' | 'groups' | 'members' | 'token'

/** Which requests a fault hits. */
export interface OktaFaultTarget {
  /** Default: users, groups and members (not token). */
  endpoint?: OktaEndpoint | OktaEndpoint[]
  /** Matching requests let through before the fault applies (e.g. 1: the second page fails); default 0. */
  skip?: number
  /** How many matching requests it hits; default 1. */
  times?: number
}

/** A queued fault. */
export type OktaFault = {
  kind: 'status' | 'reset' | 'truncate' | 'rate-limit'
  status?: number
  endpoints: OktaEndpoint[]
  skip: number
  left: number
}

/**
 * Faults to inject, taken in the order queued: a request takes the first fault whose endpoint matches
 * (after its `skip` count is used up) and answers with it instead of its normal reply.
 */
export class OktaFaults {
  private readonly queue: OktaFault[] = []

  /** Answers `status` (500, 502, 503, 401, …) with an Okta error body. */
  status(status: number, target: OktaFaultTarget = {}): this {
    return this.push('status', target, status)
  }

  /** Answers 429 `E0000047` with `X-Rate-Limit-Remaining: 0` and the current window's reset. */
  tooManyRequests(target: OktaFaultTarget = {}): this {
    return this.push('rate-limit', target)
  }

  /** Destroys the connection without an answer. */
  reset(target: OktaFaultTarget = {}): this {
    return this.push('reset', target)
  }

  /** Sends the status line, headers and half of the body, then destroys the connection. */
  truncate(target: OktaFaultTarget = {}): this {
    return this.push('truncate', target)
  }

  /** Fault hits still queued. */
  pending(): number {
    return this.queue.reduce((sum, f) => sum + f.left, 0)
  }

  /** Takes the fault for a request to `endpoint`, if any (used by the server). */
  take(endpoint: OktaEndpoint): OktaFault | undefined {
    for (const [index, fault] of this.queue.entries()) {
      if (!fault.endpoints.includes(endpoint)) continue
      if (fault.skip > 0) {
        fault.skip--
        return undefined
      }
      fault.left--
      if (fault.left <= 0) this.queue.splice(index, 1)
      return fault
    }
    return undefined
  }

  private push(kind: OktaFault['kind'], target: OktaFaultTarget, status?: number): this {
    const endpoints =
      target.endpoint === undefined
        ? (['users', 'groups', 'members'] as OktaEndpoint[])
        : Array.isArray(target.endpoint)
          ? target.endpoint
          : [target.endpoint]
    this.queue.push({
      kind,
      ...(status === undefined ? {} : { status }),
      endpoints,
      skip: target.skip ?? 0,
      left: target.times ?? 1,
    })
    return this
  }
}
