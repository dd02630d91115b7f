import type { Clock } from '@ust-sync/api'

/** Pacer statistics, for benchmarks and logs. */
export interface PacerStats {
  /** Requests admitted. */
  admitted: number
  /** Total milliseconds spent waiting for the window. */
  waitedMs: number
}

/**
 * Client-side sliding-window limiter for one endpoint kind: at most `limit` requests in any `windowMs`.
 *
 * A slot is measured from when its response *finished* (the latest moment the server can have counted the
 * request), so a request is never sent before `windowMs` has passed since the server saw the request
 * `limit` places earlier, whatever the network delay. Requests are admitted one at a time, in call order.
 */
export class Pacer {
  private readonly finished: number[] = []
  private inFlight = 0
  private queue: Promise<void> = Promise.resolve()
  readonly stats: PacerStats = { admitted: 0, waitedMs: 0 }

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    /** Called with the wait in ms before a wait that is long enough to tell the user about. */
    private readonly onWait: (ms: number) => void = () => {},
  ) {}

  /**
   * Waits until a request may start, runs `send`, and records when it finished (also when it failed:
   * the server may still have counted it).
   */
  async run<T>(send: () => Promise<T>): Promise<T> {
    const release = await this.acquire()
    try {
      return await send()
    } finally {
      release()
    }
  }

  /**
   * Waits for a slot (in call order) and returns the function that gives it back: call it once the
   * response arrived or the attempt failed (the finish time starts the slot's window). This is the hook
   * the HTTP client calls before each attempt; releasing twice has no effect.
   */
  async acquire(): Promise<() => void> {
    const turn = this.queue.then(() => this.admit())
    this.queue = turn.catch(() => {})
    await turn
    let released = false
    return () => {
      if (released) return
      released = true
      this.inFlight -= 1
      // Kept sorted by inserting from the end (finish times arrive almost in order; no full sort per request).
      const at = this.clock.now()
      let i = this.finished.length
      while (i > 0 && this.finished[i - 1]! > at) i--
      this.finished.splice(i, 0, at)
    }
  }

  private async admit(): Promise<void> {
    for (;;) {
      const now = this.clock.now()
      while (this.finished.length > 0 && this.finished[0]! <= now - this.windowMs) this.finished.shift()
      if (this.finished.length + this.inFlight < this.limit) break
      if (this.finished.length === 0) {
        // Every slot is held by a request still in flight: wait a little and look again.
        await this.clock.sleep(Math.max(1, Math.min(50, this.windowMs / 100)))
        continue
      }
      const wait = this.finished[0]! + this.windowMs - now + 1
      this.onWait(wait)
      this.stats.waitedMs += wait
      await this.clock.sleep(wait)
    }
    this.inFlight += 1
    this.stats.admitted += 1
  }
}
