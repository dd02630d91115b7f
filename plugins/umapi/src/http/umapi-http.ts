import { type ErrorCode, isUstError, NetworkError, TargetError, type Clock, type Logger } from '@ust-sync/api'
import type { KyInstance } from 'ky'
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
 * proactive pacing (`beforeRequest`/`beforeRetry` take a pacer slot; it is given back before a retry's
 * wait and once the reply is read: no `afterResponse` hook, which would make ky copy every reply), and
 * the wait before a retry, which follows umapi-client (`Retry-After` in seconds or as an HTTP date, else
 * 2^(n-1)·15 s + 0–5 s jitter) on the injectable clock, capped by `maxRetryAfterMs`. ky's own delay is 0.
 */
export class UmapiHttp {
  /** ky instances by kind of request (see {@link client}), created on first use. */
  private readonly clients = new Map<string, Promise<KyInstance>>()
  /** Time waited on the server's throttling (429 with or without Retry-After), in ms. */
  throttledWaitMs = 0

  constructor(private readonly options: UmapiHttpOptions) {}

  /**
   * The ky instance for requests that are (not) idempotent and (not) retried, with everything but the
   * request itself fixed in it: per request, ky then merges only method, headers, body and the context
   * the hooks read (the per-request state), not the retry options and hooks. ky is imported on the
   * first request (commands that never call UMAPI do not load it).
   */
  private client(idempotent: boolean, retry: boolean): Promise<KyInstance> {
    const id = `${idempotent}/${retry}`
    let client = this.clients.get(id)
    if (client) return client
    const { clock, logger, attempts, timeoutMs } = this.options
    client = import('ky').then(({ default: ky }) =>
      ky.create({
        fetch: this.options.fetch,
        timeout: timeoutMs,
        throwHttpErrors: (status) => isRetryableStatus(status),
        redirect: 'manual',
        retry: {
          limit: retry ? Math.max(0, attempts - 1) : 0,
          methods: ['get', 'post'],
          statusCodes: [...RETRYABLE_STATUSES],
          afterStatusCodes: [],
          delay: () => 0,
          retryOnTimeout: idempotent,
          shouldRetry: ({ error }) => {
            if (!idempotent && maybeDelivered(error)) return false
            const facts = networkFacts(error)
            if (facts) return facts.retryable
            if (isUstError(error)) return false
            return undefined
          },
        },
        hooks: {
          beforeRequest: [({ options }) => attemptOf(options).admit()],
          beforeRetry: [
            async ({ error, retryCount, options }) => {
              const attempt = attemptOf(options)
              attempt.release()
              const reason = failureReason(error, timeoutMs)
              const retryAfter = isHttpError(error) ? error.response.headers.get('retry-after') : null
              const delay = retryDelayMs(retryCount, retryAfter, clock.now(), this.options.random)
              if (retryAfter !== null && delay > this.options.maxRetryAfterMs) throw this.capError(attempt.what, delay)
              const throttled = isHttpError(error) && error.response.status === 429
              logger.warn(
                `${throttled ? 'rate limit' : 'UMAPI unavailable'}: waiting ${formatSeconds(delay)} (${attempt.what}: ${reason} on try ${retryCount} of ${attempts})`,
              )
              attempt.waited += delay
              if (throttled) this.throttledWaitMs += delay
              await clock.sleep(delay)
              attempt.tries = retryCount + 1
              await attempt.admit()
            },
          ],
        },
      }),
    )
    this.clients.set(id, client)
    return client
  }

  /**
   * Sends `request`; returns the first reply that is not retryable (any status but 429/502/503/504; the
   * caller interprets it). Throws a `TargetError` when UMAPI stays unavailable (naming attempts and time
   * waited) or asks for a wait past the cap, `target.umapi.outcome-unknown` when a write's reply was
   * lost, and the core's `NetworkError` (exit 4) for a network failure that retrying cannot fix.
   */
  async send(request: HttpRequest, options: SendOptions): Promise<HttpReply> {
    const { clock } = this.options
    const started = clock.now()
    const attempt = new Attempt(options)
    try {
      const response = await (await this.client(options.idempotent, options.retry !== false))(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        context: { attempt },
      })
      return { status: response.status, headers: response.headers, text: await response.text() }
    } catch (error) {
      throw this.finalError(error, options, attempt.tries, clock.now() - started, attempt.waited)
    } finally {
      // The pacer's slot is given back once the reply is read (or the request failed): its window starts then.
      attempt.release()
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
        code: e.code as ErrorCode<'network'>,
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

/** One request's state across its tries, handed to ky's hooks as `context.attempt`. */
class Attempt {
  tries = 1
  waited = 0
  private slot: (() => void) | undefined
  readonly what: string

  constructor(private readonly options: SendOptions) {
    this.what = options.what
  }

  /** Takes a pacer slot (proactive pacing) before a try. */
  async admit(): Promise<void> {
    if (this.options.pacer) this.slot = await this.options.pacer.acquire()
  }

  /** Gives the slot back (a try ended); a second call has no effect. */
  release(): void {
    this.slot?.()
    this.slot = undefined
  }
}

function attemptOf(options: { context: Record<string, unknown> }): Attempt {
  return options.context.attempt as Attempt
}
