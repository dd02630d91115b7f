import type { Clock } from '@ust-sync/api'

/** A {@link Clock} that only moves when told: `advance(ms)`, or `sleep(ms)` (which returns at once). */
export interface ManualClock extends Clock {
  advance(ms: number): void
}

/** A manual clock starting at `start` (ms since the epoch); share it between a plugin and the fake UMAPI. */
export function manualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start
  return {
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    sleep: async (ms, signal) => {
      signal?.throwIfAborted()
      now += ms
    },
  }
}
