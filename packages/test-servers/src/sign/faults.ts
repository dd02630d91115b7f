/** The Sign endpoints the fake serves, as fault targets and request counters. */
export type SignEndpoint =
  | 'baseUris'
  | 'listUsers'
  | 'getUser'
  | 'createUser'
  | 'updateUser'
  | 'userState'
  | 'getUserGroups'
  | 'putUserGroups'
  | 'listGroups'
  | 'createGroup'

/** Endpoints that change the account. */
export const SIGN_WRITES: readonly SignEndpoint[] = [
  'createUser',
  'updateUser',
  'userState',
  'putUserGroups',
  'createGroup',
]

/** Which requests a fault hits. */
export interface SignFaultTarget {
  /** Default: every endpoint except `baseUris`. */
  endpoint?: SignEndpoint | readonly SignEndpoint[]
  /** Matching requests hit; default 1. */
  times?: number
  /** Matching requests served normally before the fault starts; default 0. */
  after?: number
}

/** A queued fault. */
export type SignFault =
  | { kind: 'throttle'; retryAfter: number; endpoints: readonly SignEndpoint[]; left: number; skip: number }
  | { kind: 'status'; status: number; code: string; endpoints: readonly SignEndpoint[]; left: number; skip: number }
  | { kind: 'reset'; endpoints: readonly SignEndpoint[]; left: number; skip: number }

const ALL: readonly SignEndpoint[] = [
  'listUsers',
  'getUser',
  'createUser',
  'updateUser',
  'userState',
  'getUserGroups',
  'putUserGroups',
  'listGroups',
  'createGroup',
]

/**
 * Fault injection: each request takes the first queued fault whose endpoint matches (after that fault's
 * `after` requests were let through), counts it down and drops it when used up.
 */
export class SignFaultQueue {
  private readonly queue: SignFault[] = []

  /** 429 `THROTTLING_TOO_MANY_REQUESTS` with `Retry-After` and body `retryAfter` (seconds). */
  throttle(retryAfter: number, target: SignFaultTarget = {}): this {
    this.queue.push({ kind: 'throttle', retryAfter, ...this.target(target) })
    return this
  }

  /** An error status with a Sign error body (`{code, message}`). */
  status(status: number, code: string, target: SignFaultTarget = {}): this {
    this.queue.push({ kind: 'status', status, code, ...this.target(target) })
    return this
  }

  /** The server "dies": the connection is destroyed without an answer. */
  reset(target: SignFaultTarget = {}): this {
    this.queue.push({ kind: 'reset', ...this.target(target) })
    return this
  }

  pending(): number {
    return this.queue.reduce((n, f) => n + f.left, 0)
  }

  clear(): void {
    this.queue.length = 0
  }

  /** The fault for a request to `endpoint`, if any (used by the server). */
  take(endpoint: SignEndpoint): SignFault | undefined {
    const index = this.queue.findIndex((f) => f.endpoints.includes(endpoint))
    const fault = this.queue[index]
    if (!fault) return undefined
    if (fault.skip > 0) {
      fault.skip--
      return undefined
    }
    if (--fault.left <= 0) this.queue.splice(index, 1)
    return fault
  }

  private target(t: SignFaultTarget): { endpoints: readonly SignEndpoint[]; left: number; skip: number } {
    const endpoints = t.endpoint === undefined ? ALL : typeof t.endpoint === 'string' ? [t.endpoint] : t.endpoint
    return { endpoints, left: t.times ?? 1, skip: t.after ?? 0 }
  }
}
