import { isUstError, NetworkError, TargetError, type Clock, type Logger } from '@ust-sync/api'
import type { KyInstance, Options } from 'ky'
import { failureReason, isHttpError, isTimeoutError, maybeDelivered, networkFacts } from './failure-reason.js'
import { formatSeconds } from './format.js'
import type { Pacer } from './pacer.js'
import { isRetryableStatus, retryDelayMs, RETRYABLE_STATUSES } from './retry-policy.js'

/** An HTTP request as the UMAPI client sends it. */
export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
}

/** A complete HTTP response (body read fully). */
export interface HttpReply {
  status: number
  headers: Headers
  text: string
}

/** How one request is sent. */
export interface SendOptions {
  /** Names the request in messages, e.g. `POST action action_1..action_10`. */
  what: string
  /** Proactive pacing: a slot is taken before every attempt and given back when it ends. */
  pacer?: Pacer
  /**
   * Whether sending it twice is harmless (GETs, the token request). A non-idempotent request (an action
   * POST) is retried only when it certainly did not reach UMAPI (429, 503, refused, DNS); when the reply
   * is lost (timeout, reset, 502/504) it throws `target.umapi.outcome-unknown` instead of re-applying it.
   */
  idempotent: boolean
  /** False: one attempt only (`ust net check`). */
  retry?: boolean
}

/** What {@link UmapiHttp} needs. */
export interface UmapiHttpOptions {
  /** The core's `context.network.fetch` (plain-language network failures), else the global fetch. */
  fetch: typeof fetch
  timeoutMs: number
  /** Total tries per request (`server.retries`). */
  attempts: number
  /** Longest `Retry-After` waited for (`server.max_retry_after`); a longer one stops the run. */
  maxRetryAfterMs: number
  clock: Clock
  logger: Logger
  /** For the backoff jitter; [0, 1). */
  random?: () => number
}

/**
 * UMAPI's HTTP client: ky, with its per-attempt timeout, retry loop (GET and POST; 429/502/503/504,
 * timeouts and transient network failures), hooks and `HTTPError`. What ky cannot do is in hooks:
 * proactive pacing (`beforeRequest`/`beforeRetry` take a pacer slot, `afterResponse` gives it back), and
 * the wait before a retry, which follows umapi-client (`Retry-After` in seconds or as an HTTP date, else
 * 2^(n-1)·15 s + 0–5 s jitter) on the injectable clock, capped by `maxRetryAfterMs`. ky's own delay is 0.
 */
export class UmapiHttp {
  private ky?: Promise<KyInstance>

  constructor(private readonly options: UmapiHttpOptions) {}

  /** The ky instance, imported on the first request (commands that never call UMAPI do not load it). */
  private client(): Promise<KyInstance> {
    this.ky ??= import('ky').then(({ default: ky }) =>
      ky.create({
        fetch: this.options.fetch,
        timeout: this.options.timeoutMs,
        throwHttpErrors: (status) => isRetryableStatus(status),
        redirect: 'manual',
      }),
    )
    return this.ky
  }

  /**
   * Sends `request`; returns the first reply that is not retryable (any status but 429/502/503/504; the
   * caller interprets it). Throws a `TargetError` when UMAPI stays unavailable (naming attempts and time
   * waited) or asks for a wait past the cap, `target.umapi.outcome-unknown` when a write's reply was
   * lost, and the core's `NetworkError` (exit 4) for a network failure that retrying cannot fix.
   */
  async send(request: HttpRequest, options: SendOptions): Promise<HttpReply> {
    const { clock, logger, attempts, timeoutMs } = this.options
    const started = clock.now()
    const state = { tries: 1, waited: 0, release: undefined as (() => void) | undefined }
    const admit = async () => {
      if (options.pacer) state.release = await options.pacer.acquire()
    }
    const release = () => {
      state.release?.()
      state.release = undefined
    }
    const kyOptions: Options = {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      retry: {
        limit: options.retry === false ? 0 : Math.max(0, attempts - 1),
        methods: ['get', 'post'],
        statusCodes: [...RETRYABLE_STATUSES],
        afterStatusCodes: [],
        delay: () => 0,
        retryOnTimeout: options.idempotent,
        shouldRetry: ({ error }) => {
          if (!options.idempotent && maybeDelivered(error)) return false
          const facts = networkFacts(error)
          if (facts) return facts.retryable
          if (isUstError(error)) return false
          return undefined
        },
      },
      hooks: {
        beforeRequest: [admit],
        afterResponse: [release],
        beforeRetry: [
          async ({ error, retryCount }) => {
            release()
            const reason = failureReason(error, timeoutMs)
            const retryAfter = isHttpError(error) ? error.response.headers.get('retry-after') : null
            const delay = retryDelayMs(retryCount, retryAfter, clock.now(), this.options.random)
            if (retryAfter !== null && delay > this.options.maxRetryAfterMs) throw this.capError(options.what, delay)
            const throttled = isHttpError(error) && error.response.status === 429
            logger.warn(
              `${throttled ? 'rate limit' : 'UMAPI unavailable'}: waiting ${formatSeconds(delay)} (${options.what}: ${reason} on try ${retryCount} of ${attempts})`,
            )
            state.waited += delay
            await clock.sleep(delay)
            state.tries = retryCount + 1
            await admit()
          },
        ],
      },
    }
    try {
      const response = await (await this.client())(request.url, kyOptions)
      return { status: response.status, headers: response.headers, text: await response.text() }
    } catch (error) {
      throw this.finalError(error, options, state.tries, clock.now() - started, state.waited)
    } finally {
      release()
    }
  }

  private finalError(error: unknown, options: SendOptions, tries: number, elapsedMs: number, waitedMs: number): Error {
    if (isUstError(error) && networkFacts(error) === undefined) return error
    const reason = failureReason(error, this.options.timeoutMs)
    if (!options.idempotent && maybeDelivered(error)) {
      return new TargetError(
        `UMAPI ${options.what}: the reply was lost (${reason}), so it is not known whether UMAPI applied it; it was not sent again, to avoid applying it twice`,
        {
          code: 'target.umapi.outcome-unknown',
          suggestions: ['Run the sync again: it reads the org anew and sends only what is still missing.'],
        },
      )
    }
    const facts = networkFacts(error)
    // A request that never reached UMAPI (DNS, refused, proxy, TLS) is a network problem: the core's
    // NetworkError (exit 4) says which, in plain words.
    if (facts && (!facts.retryable || facts.delivery === 'not-sent')) {
      if (tries === 1) return error as Error
      const e = error as NetworkError
      return new NetworkError(`${e.message} (gave up after ${tries} attempts over ${formatSeconds(elapsedMs)})`, {
        code: e.code,
        suggestions: e.suggestions,
        delivery: e.delivery,
        retryable: e.retryable,
        cause: e,
      })
    }
    if (isTimeoutError(error)) {
      return new NetworkError(
        `No reply from ${new URL(error.request.url).host} within ${formatSeconds(this.options.timeoutMs)} to ${options.what} (gave up after ${tries} attempt${tries === 1 ? '' : 's'} over ${formatSeconds(elapsedMs)})`,
        {
          code: 'network.timeout',
          delivery: 'unknown',
          retryable: true,
          cause: error,
          suggestions: [
            'A firewall may be silently dropping the traffic, or the server is overloaded: run `ust net check`.',
            'Raise server.timeout (seconds) in connector-umapi.yml if the server is just slow.',
          ],
        },
      )
    }
    const times = `${tries} time${tries === 1 ? '' : 's'}`
    return new TargetError(
      `UMAPI unavailable: ${options.what} failed ${times} (last: ${reason}); gave up after ${tries} attempt${tries === 1 ? '' : 's'} over ${formatSeconds(elapsedMs)}, ${formatSeconds(waitedMs)} of it waiting`,
      {
        code: 'target.umapi.unavailable',
        cause: error,
        suggestions: [
          'Run again later; UMAPI throttles orgs that sync more often than every 2 hours.',
          'Raise server.retries (and server.timeout) in connector-umapi.yml to wait longer.',
        ],
      },
    )
  }

  private capError(what: string, delayMs: number): TargetError {
    return new TargetError(
      `UMAPI asked to wait ${formatSeconds(delayMs)} before ${what} (Retry-After), longer than server.max_retry_after (${formatSeconds(this.options.maxRetryAfterMs)}): stopping here rather than waiting`,
      {
        code: 'target.umapi.retry-after-too-long',
        suggestions: [
          'UMAPI throttles orgs that sync too often: run at most every 2 hours and try again later.',
          'To wait it out instead, raise server.max_retry_after (seconds) in connector-umapi.yml.',
        ],
      },
    )
  }
}
