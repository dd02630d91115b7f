import { setTimeout as delay } from 'node:timers/promises'
import type { Clock } from '../api/index.js'

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
}
