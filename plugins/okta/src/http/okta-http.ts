import { type Clock, type ErrorCode, isUstError, type Logger, NetworkError, SourceError } from '@ust-sync/api'
import type { KyInstance } from 'ky'
import { failureReason, isHttpError, networkFacts } from './failure.js'
import { type BucketName, bucketOf, RateBuckets } from './rate-buckets.js'
import { redact } from './redact.js'

/** Statuses worth another attempt: throttling and server trouble (Okta: a 500 on a big page is a timeout). */
const RETRYABLE = [429, 500, 502, 503, 504]

/** An HTTP request to Okta. */
export interface OktaRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
}

/** A complete reply, JSON parsed when it is JSON. */
export interface OktaReply {
  status: number
  headers: Headers
  text: string
  json: unknown
}

/** What {@link OktaHttp} needs. */
export interface OktaHttpOptions {
  /** The core's `context.network.fetch` (proxy, CA, plain-language failures), else the global fetch. */
  fetch: typeof fetch
  clock: Clock
  logger: Logger
  timeoutMs: number
  /** Tries per request. */
  attempts: number
  /** Longest wait for a rate-limit reset; a longer one stops the read. */
  maxWaitMs: number
  /** Secrets to scrub from server text. */
  secrets: () => string[]
  /** Told when a request waits (for the progress line). */
  onWait?: (until: number) => void
}

/** One request's state across tries, handed to ky's hooks as `context.attempt`. */
interface Attempt {
  what: string
  bucket: BucketName
  tries: number
  /** Headers to renew before each retry (a DPoP proof is good for one request). */
  renew?: () => Promise<Record<string, string>>
}

function attemptOf(options: { context: Record<string, unknown> }): Attempt {
  return options.context.attempt as Attempt
}

/**
 * Okta's HTTP client: ky on the core's fetch, sending one request at a time. Before each try it waits
 * when the bucket's `X-Rate-Limit-Remaining` is nearly spent (see {@link RateBuckets}); a 429 waits for
 * that reply's `X-Rate-Limit-Reset`; 5xx, timeouts and transient network failures back off 1 s, 2 s, 4 s…
 * All of it on the context's clock.
 */
export class OktaHttp {
  /** Requests sent, retries included. */
  requests = 0
  readonly buckets: RateBuckets
  private client: Promise<KyInstance> | undefined

  constructor(private readonly options: OktaHttpOptions) {
    this.buckets = new RateBuckets(options.clock, options.logger, options.maxWaitMs, options.onWait)
  }

  private ky(): Promise<KyInstance> {
    const { attempts, timeoutMs } = this.options
    this.client ??= import('ky').then(({ default: ky }) =>
      ky.create({
        fetch: this.options.fetch,
        timeout: timeoutMs,
        throwHttpErrors: (status) => RETRYABLE.includes(status),
        redirect: 'manual',
        retry: {
          limit: Math.max(0, attempts - 1),
          methods: ['get', 'post'],
          statusCodes: RETRYABLE,
          afterStatusCodes: [],
          delay: () => 0,
          retryOnTimeout: true,
          shouldRetry: ({ error }) => {
            const facts = networkFacts(error)
            if (facts) return facts.retryable
            if (isUstError(error)) return false
            return undefined
          },
        },
        hooks: {
          beforeRequest: [({ options }) => this.beforeTry(attemptOf(options))],
          beforeRetry: [
            async ({ request, options, error, retryCount }) => {
              const attempt = attemptOf(options)
              await this.beforeRetry(attempt, error, retryCount)
              for (const [name, value] of Object.entries((await attempt.renew?.()) ?? {}))
                request.headers.set(name, value)
            },
          ],
        },
      }),
    )
    return this.client
  }

  private async beforeTry(attempt: Attempt): Promise<void> {
    await this.buckets.admit(attempt.bucket)
    this.requests++
  }

  private async beforeRetry(attempt: Attempt, error: Error, retryCount: number): Promise<void> {
    const { clock, logger, maxWaitMs } = this.options
    attempt.tries = retryCount + 1
    const reason = failureReason(error, this.options.timeoutMs)
    let wait = 2 ** (retryCount - 1) * 1000
    if (isHttpError(error)) {
      this.buckets.update(attempt.bucket, error.response.headers)
      const resetAt = this.buckets.resetAt(attempt.bucket)
      if (error.response.status === 429 && resetAt !== undefined) wait = Math.max(1000, resetAt - clock.now() + 1000)
    }
    if (wait > maxWaitMs) {
      throw new SourceError(
        `Okta asked ust to wait ${Math.ceil(wait / 1000)} s before ${attempt.what} (${reason}), longer than ${Math.round(maxWaitMs / 1000)} s: stopping before anything is changed`,
        {
          code: 'source.okta.rate-limited',
          suggestions: ["Another integration may be using the org's API rate limit: run the sync again later."],
        },
      )
    }
    logger.warn(
      `Okta ${attempt.what}: ${reason}; waiting ${Math.ceil(wait / 1000)} s before try ${retryCount + 1} of ${this.options.attempts}`,
    )
    this.options.onWait?.(clock.now() + wait)
    await clock.sleep(wait)
    await this.buckets.admit(attempt.bucket)
    this.requests++
  }

  /**
   * Sends a request (`renew` gives headers to replace before each retry); returns the reply unless it stays retryable after every try. Throws a `SourceError`
   * (exit 6) when Okta stays unavailable, throttled or cuts replies short, and the core's `NetworkError`
   * (exit 4) when Okta could not be reached at all (DNS, refused, proxy, TLS).
   */
  async send(request: OktaRequest, what: string, renew?: () => Promise<Record<string, string>>): Promise<OktaReply> {
    const attempt: Attempt = { what, bucket: bucketOf(request.url), tries: 1, ...(renew ? { renew } : {}) }
    try {
      const client = await this.ky()
      const response = await client(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        context: { attempt },
      })
      const text = await response.text()
      this.buckets.update(attempt.bucket, response.headers)
      return { status: response.status, headers: response.headers, text, json: parseJson(text) }
    } catch (error) {
      throw this.finalError(error, attempt)
    }
  }

  private finalError(error: unknown, attempt: Attempt): Error {
    const facts = networkFacts(error)
    if (isUstError(error) && !facts) return error
    // Okta never answered (DNS, refused, proxy, TLS): the core's NetworkError (exit 4) says which.
    if (facts && (facts.delivery === 'not-sent' || !facts.retryable)) {
      if (attempt.tries === 1) return error as Error
      const e = error as NetworkError
      return new NetworkError(`${e.message} (gave up after ${attempt.tries} attempts)`, {
        code: e.code as ErrorCode<'network'>,
        suggestions: e.suggestions,
        delivery: e.delivery,
        retryable: e.retryable,
        cause: e,
      })
    }
    const reason = redact(failureReason(error, this.options.timeoutMs), this.options.secrets())
    return new SourceError(
      `Okta ${attempt.what} failed ${attempt.tries} time${attempt.tries === 1 ? '' : 's'} (last: ${reason}); nothing was changed`,
      {
        code: 'source.okta.unavailable',
        cause: error,
        suggestions: ['Run the sync again later; `ust net check` tests the connection to Okta.'],
      },
    )
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
