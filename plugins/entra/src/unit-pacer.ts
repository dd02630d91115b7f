import type { Clock } from '@ust-sync/api'

/**
 * Client-side pacing within Graph's identity read budget (graph-api.md §11): at most `budget` resource
 * units in any `windowMs`, each request charged its cost when it starts. Requests are admitted one at a
 * time in call order; a wait is reported through `onWait` first.
 */
export class UnitPacer {
  private readonly spent: { at: number; units: number }[] = []
  private queue: Promise<void> = Promise.resolve()
  /** Requests admitted and time waited, for `--metrics-file` and benchmarks. */
  readonly stats = { admitted: 0, waitedMs: 0 }

  constructor(
    private readonly budget: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    private readonly onWait: (ms: number) => void = () => {},
  ) {}

  /** Waits until `units` fit in the window, then charges them. */
  acquire(units: number): Promise<void> {
    const turn = this.queue.then(() => this.admit(Math.min(units, this.budget)))
    this.queue = turn.catch(() => {})
    return turn
  }

  private async admit(units: number): Promise<void> {
    for (;;) {
      const now = this.clock.now()
      while (this.spent.length > 0 && (this.spent[0]?.at ?? 0) <= now - this.windowMs) this.spent.shift()
      const used = this.spent.reduce((n, s) => n + s.units, 0)
      if (used + units <= this.budget) break
      const wait = (this.spent[0]?.at ?? now) + this.windowMs - now + 1
      this.onWait(wait)
      this.stats.waitedMs += wait
      await this.clock.sleep(wait)
    }
    this.spent.push({ at: this.clock.now(), units })
    this.stats.admitted++
  }
}
