import { setTimeout as delay } from 'node:timers/promises'
import type { Clock } from '@ust-sync/api'

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
}
