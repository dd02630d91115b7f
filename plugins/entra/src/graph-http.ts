import { type Clock, isUstError, type Logger, NetworkError, SourceError } from '@ust-sync/api'
import type { KyInstance } from 'ky'
import { seconds } from './redact.js'
import { backoffMs, parseRetryAfter, RETRYABLE_STATUSES } from './retry-after.js'
import type { UnitPacer } from './unit-pacer.js'

/** An HTTP request to Entra ID or Graph. */
export interface HttpRequest {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  body?: string
}

/** A reply, body read whole. */
export interface HttpReply {
  status: number
  headers: Headers
  text: string
}

/** How one request is sent. */
export interface SendOptions {
  /** Names it in messages, e.g. `GET users page 3`. */
  what: string
  /** Resource units it costs (pacing); 0 for the token endpoint, which is not in Graph's budget. */
  units: number
  /** False: one try only (`ust net check`). */
  retry?: boolean
}

/** What {@link GraphHttp} needs. */
export interface GraphHttpOptions {
  /** The core's `context.network.fetch` (plain-language network failures), else the global fetch. */
  fetch: typeof fetch
  timeoutMs: number
  attempts: number
  maxRetryAfterMs: number
  clock: Clock
  logger: Logger
  pacer: UnitPacer
  random?: () => number
}

/** One request's state across its tries, handed to ky's hooks as `context`. */
interface RequestState {
  what: string
  units: number
  retry: boolean
  waited: number
  tries: number
  /** Stamps the current try's units with the time its reply ended (pacing). */
  release?: () => void
}

const isHttpError = (e: unknown): e is Error & { response: Response } =>
  e instanceof Error && e.name === 'HTTPError' && 'response' in e
const isTimeout = (e: unknown): boolean => e instanceof Error && e.name === 'TimeoutError'
const networkRetryable = (e: unknown): boolean | undefined => {
  const n = e as { name?: unknown; retryable?: unknown } | undefined
  return n?.name === 'NetworkError' ? n.retryable === true : undefined
}

/** A failed try in a few words: `HTTP 503`, `no reply within 120 s`, or the network layer's message. */
function failureReason(error: unknown, timeoutMs: number): string {
  if (isHttpError(error)) return `HTTP ${error.response.status}`
  if (isTimeout(error)) return `no reply within ${seconds(timeoutMs)}`
  return error instanceof Error ? error.message : String(error)
}

/** Graph asked for a wait longer than `server.max_retry_after`: the run stops rather than block. */
function tooLong(askedMs: number, what: string, maxMs: number): SourceError {
  return new SourceError(
    `Microsoft Graph asked to wait ${seconds(askedMs)} before ${what} (Retry-After), longer than server.max_retry_after (${seconds(maxMs)}): stopping rather than waiting`,
    {
      code: 'source.entra.retry-after-too-long',
      suggestions: ['Run again later, or raise server.max_retry_after (seconds) in connector-entra.yml.'],
    },
  )
}

/**
 * The HTTP client of the entra source: ky with its per-try timeout and retry loop. Throttling (429) and
 * unavailability (502/503/504), timeouts and transient network failures are retried up to `attempts`
 * tries, waiting what `Retry-After` asks (fractional seconds allowed; more than `maxRetryAfterMs` stops
 * the run) or backing off exponentially, on the injectable clock. Every try first waits for the pacer.
 */
export class GraphHttp {
  private client: Promise<KyInstance> | undefined
  /** Time waited on Graph's throttling, ms. */
  throttledWaitMs = 0
  /** Requests sent, retries included. */
  requests = 0

  constructor(private readonly options: GraphHttpOptions) {}

  private ky(): Promise<KyInstance> {
    const { clock, logger, attempts, timeoutMs, pacer } = this.options
    this.client ??= import('ky').then(({ default: ky }) =>
      ky.create({
        fetch: this.options.fetch,
        timeout: timeoutMs,
        throwHttpErrors: (status) => RETRYABLE_STATUSES.includes(status),
        redirect: 'manual',
        retry: {
          limit: Math.max(0, attempts - 1),
          methods: ['get', 'post'],
          statusCodes: [...RETRYABLE_STATUSES],
          afterStatusCodes: [],
          delay: () => 0,
          retryOnTimeout: true,
          shouldRetry: ({ error }) => {
            const retryable = networkRetryable(error)
            if (retryable !== undefined) return retryable
            if (isUstError(error)) return false
            return undefined
          },
        },
        hooks: {
          beforeRequest: [
            async ({ options }) => {
              const context = options.context.state as RequestState
              if (context.units > 0) context.release = await pacer.acquire(context.units)
              this.requests++
            },
          ],
          beforeRetry: [
            async ({ error, retryCount, options }) => {
              const context = options.context.state as RequestState
              // The failed try's reply has ended: its units count from now.
              context.release?.()
              if (!context.retry) throw error
              const retryAfter = isHttpError(error) ? error.response.headers.get('retry-after') : null
              const asked = parseRetryAfter(retryAfter, clock.now())
              const delay = asked ?? backoffMs(retryCount, this.options.random)
              if (asked !== undefined && asked > this.options.maxRetryAfterMs)
                throw tooLong(asked, context.what, this.options.maxRetryAfterMs)
              const status = isHttpError(error) ? error.response.status : undefined
              const reason = failureReason(error, timeoutMs)
              logger.warn(
                `${status === 429 ? 'Graph throttling' : 'Graph unavailable'}: waiting ${seconds(delay)} (${context.what}: ${reason} on try ${retryCount} of ${attempts})`,
              )
              if (status === 429) this.throttledWaitMs += delay
              context.waited += delay
              context.tries = retryCount + 1
              await clock.sleep(delay)
            },
          ],
        },
      }),
    )
    return this.client
  }

  /**
   * Sends `request` and returns the first reply that is not retryable (the caller interprets its status).
   * Throws a `SourceError` when Graph stays throttled or unavailable, the core's `NetworkError` (exit 4)
   * for a network failure retrying cannot fix.
   */
  async send(request: HttpRequest, options: SendOptions): Promise<HttpReply> {
    const context: RequestState = {
      what: options.what,
      units: options.units,
      retry: options.retry !== false,
      waited: 0,
      tries: 1,
    }
    const started = this.options.clock.now()
    try {
      const response = await (await this.ky())(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        context: { state: context },
      })
      return { status: response.status, headers: response.headers, text: await response.text() }
    } catch (error) {
      throw this.finalError(error, options.what, context.tries, this.options.clock.now() - started)
    } finally {
      context.release?.()
    }
  }

  private finalError(error: unknown, what: string, tries: number, elapsedMs: number): Error {
    if (isUstError(error)) return error
    const host = (() => {
      try {
        return new URL((error as { request?: Request }).request?.url ?? '').host
      } catch {
        return 'Microsoft Graph'
      }
    })()
    if (isTimeout(error))
      return new NetworkError(
        `No reply from ${host} within ${seconds(this.options.timeoutMs)} to ${what} (gave up after ${tries} tries)`,
        {
          code: 'network.timeout',
          delivery: 'unknown',
          retryable: true,
          cause: error,
          suggestions: [
            'Run `ust net check`; raise server.timeout (seconds) in connector-entra.yml if Graph is just slow.',
          ],
        },
      )
    const status = isHttpError(error) ? `HTTP ${error.response.status}` : (error as Error)?.message
    return new SourceError(
      `Microsoft Graph unavailable: ${what} failed ${tries} time${tries === 1 ? '' : 's'} (last: ${status}) over ${seconds(elapsedMs)}; nothing was changed`,
      {
        code: 'source.entra.unavailable',
        cause: error,
        suggestions: [
          'Run again later.',
          'Raise server.retries (and server.max_retry_after) in connector-entra.yml to wait longer.',
        ],
      },
    )
  }
}
