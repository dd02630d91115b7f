import { type GraphReply, graphError } from './graph-reply.js'

/** Base resource-unit cost of a request (graph-api.md §11): users 2, groups 1, members 3, transitiveMembers 5. */
export function resourceUnits(base: number, query: URLSearchParams): number {
  let cost = base
  if (query.has('$select')) cost -= 1
  if (query.has('$expand')) cost += 1
  const top = Number(query.get('$top'))
  if (Number.isInteger(top) && top > 0 && top < 20) cost -= 1
  return Math.max(1, cost)
}

/**
 * The identity service's read budget for an app in a tenant: `budget` resource units per `windowMs`
 * (sliding). A request past it gets 429 TooManyRequests with `Retry-After` (seconds until enough units
 * are free) and the `x-ms-throttle-*` headers.
 */
export class GraphThrottle {
  private readonly spent: { at: number; units: number }[] = []
  throttled = 0

  constructor(
    private readonly budget: number,
    private readonly windowMs: number,
    private readonly now: () => number,
    private readonly appId: string,
    private readonly tenantId: string,
  ) {}

  /** Charges `units`, or answers 429 when the window has no room for them. */
  charge(units: number): GraphReply | undefined {
    const now = this.now()
    while (this.spent.length > 0 && (this.spent[0]?.at ?? 0) <= now - this.windowMs) this.spent.shift()
    const used = this.spent.reduce((n, s) => n + s.units, 0)
    if (used + units <= this.budget) {
      this.spent.push({ at: now, units })
      return undefined
    }
    // Seconds until the oldest spends leave the window and free enough units.
    let free = this.budget - used
    let until = now
    for (const s of this.spent) {
      free += s.units
      until = s.at + this.windowMs
      if (free >= units) break
    }
    this.throttled++
    const seconds = Math.max(1, Math.ceil((until - now) / 1000))
    return graphError(429, 'TooManyRequests', 'Too many requests.', {
      'Retry-After': String(seconds),
      'x-ms-throttle-scope': `Tenant_Application/Read/${this.appId}/${this.tenantId}`,
      'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
    })
  }
}
