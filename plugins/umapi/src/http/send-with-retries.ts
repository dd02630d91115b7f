import { TargetError, type Clock, type Logger } from '@ust-sync/api'
import { isRetryableStatus, retryDelayMs } from './retry-policy.js'
import { formatSeconds, TransportFailure, type HttpReply } from './send-once.js'

/** What the retry loop needs from its surroundings. */
export interface RetryOptions {
  /** Total tries (`server.retries`). */
  attempts: number
  clock: Clock
  logger: Logger
  /** For the backoff jitter; [0, 1). */
  random?: () => number
}

/**
 * Runs `attempt` until it yields a non-retryable reply. 429/502/503/504 and transport failures (timeout,
 * reset, refused) are retried after the server's `Retry-After` or an exponential backoff with jitter; each
 * wait is logged as a warning. After `attempts` tries throws a `TargetError` that says how many attempts
 * were made and how long was waited. Any other status (including 500) is returned to the caller at once.
 *
 * @param what - names the request in messages, e.g. `POST action (3 entries)`.
 */
export async function sendWithRetries(
  what: string,
  attempt: () => Promise<HttpReply>,
  options: RetryOptions,
): Promise<HttpReply> {
  const started = options.clock.now()
  let waited = 0
  for (let tryNo = 1; ; tryNo++) {
    let failure: string
    let retryAfter: string | null = null
    let throttled = false
    try {
      const reply = await attempt()
      if (!isRetryableStatus(reply.status)) return reply
      failure = `HTTP ${reply.status}`
      retryAfter = reply.headers.get('retry-after')
      throttled = reply.status === 429
    } catch (error) {
      if (!(error instanceof TransportFailure)) throw error
      failure = error.reason
    }
    if (tryNo >= options.attempts) {
      const elapsed = options.clock.now() - started
      throw new TargetError(
        `UMAPI unavailable: ${what} failed ${tryNo} time${tryNo === 1 ? '' : 's'} (last: ${failure}); gave up after ${tryNo} attempt${tryNo === 1 ? '' : 's'} over ${formatSeconds(elapsed)}, ${formatSeconds(waited)} of it waiting`,
        {
          code: 'target.umapi.unavailable',
          suggestions: [
            'Run again later; UMAPI throttles orgs that sync more often than every 2 hours.',
            'Raise server.retries (and server.timeout) in connector-umapi.yml to wait longer.',
          ],
        },
      )
    }
    const delay = retryDelayMs(tryNo, retryAfter, options.clock.now(), options.random)
    const label = throttled ? 'rate limit' : 'UMAPI unavailable'
    options.logger.warn(
      `${label}: waiting ${formatSeconds(delay)} (${what}: ${failure} on try ${tryNo} of ${options.attempts})`,
    )
    waited += delay
    await options.clock.sleep(delay)
  }
}
