import type { Clock } from '@ust-sync/api'

/** Units charged by one request: stamped when its reply ended (undefined while it is in flight). */
interface Charge {
  at: number | undefined
  units: number
}

/**
 * Client-side pacing within Graph's identity read budget (graph-api.md §11): at most `budget` resource
 * units in any `windowMs`. A request's units count from when its reply *ended* (the latest moment Graph
 * can have counted it), so the client's window never closes before Graph's, whatever the latency; units of
 * a request in flight never expire. Requests are admitted one at a time in call order; a wait is reported
 * through `onWait` first.
 */
export class UnitPacer {
  private readonly charges: Charge[] = []
  private queue: Promise<void> = Promise.resolve()
  /** Requests admitted and time waited, for `--metrics-file` and benchmarks. */
  readonly stats = { admitted: 0, waitedMs: 0 }

  constructor(
    private readonly budget: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly onWait: (ms: number) => void = () => {},
  ) {}

  /** Waits until `units` fit in the window, charges them, and returns the function to call once the reply ended. */
  async acquire(units: number): Promise<() => void> {
    const charge: Charge = { at: undefined, units: Math.min(units, this.budget) }
    const turn = this.queue.then(() => this.admit(charge))
    this.queue = turn.catch(() => {})
    await turn
    return () => {
      charge.at ??= this.clock.now()
    }
  }

  private async admit(charge: Charge): Promise<void> {
    for (;;) {
      const now = this.clock.now()
      for (let i = this.charges.length - 1; i >= 0; i--) {
        const at = this.charges[i]?.at
        if (at !== undefined && at <= now - this.windowMs) this.charges.splice(i, 1)
      }
      const used = this.charges.reduce((n, c) => n + c.units, 0)
      if (used + charge.units <= this.budget) break
      const ended = this.charges.map((c) => c.at).filter((at): at is number => at !== undefined)
      // Every charge still in flight: look again shortly (sequential reads never get here).
      const wait = ended.length === 0 ? 50 : Math.min(...ended) + this.windowMs - now + 1
      this.onWait(wait)
      this.stats.waitedMs += wait
      await this.clock.sleep(wait)
    }
    this.charges.push(charge)
    this.stats.admitted++
  }
}
