import { CredentialError, isUstError, NetworkError, TargetError, type Clock, type Logger } from '@ust-sync/api'
import type { KyInstance } from 'ky'
import type { TokenSource } from '../auth/token-source.js'

/** A Sign error body (`{code, message}`, plus `retryAfter` on 429). */
export interface SignErrorBody {
  code: string
  message: string
  retryAfter?: number
}

/** Sign codes that mean the key may not do this (403, or 404 as the standard table has it). */
const PERMISSION_CODES = new Set(['PERMISSION_DENIED', 'API_TERMS_NOT_ACCEPTED', 'UNAUTHORIZED'])

/** A request refused by Sign: status, code and message (never the token). */
export class SignApiError extends TargetError {
  constructor(
    readonly status: number,
    readonly signCode: string,
    message: string,
  ) {
    super(`Sign answered ${status} ${signCode}: ${message}`, {
      code: 'target.sign.refused',
      suggestions: PERMISSION_CODES.has(signCode)
        ? [
            'The integration key lacks a permission: it must belong to an account admin and have the user_read and user_write scopes',
          ]
        : [],
    })
  }
}

/** A write whose reply was lost: it may or may not have been applied. */
export class OutcomeUnknownError extends TargetError {
  constructor(what: string, reason: string) {
    super(`${what}: no answer (${reason}); it may or may not have been applied`, {
      code: 'target.sign.outcome-unknown',
    })
  }
}

/** What {@link SignHttp} needs. */
export interface SignHttpOptions {
  fetch: typeof fetch
  tokens: TokenSource
  userAgent: string
  timeoutMs: number
  /** Retries after the first attempt (429, 5xx; network failures for reads). */
  retries: number
  maxRetryAfterMs: number
  clock: Clock
  logger: Logger
}

/** One request. */
export interface SignRequest {
  method: 'GET' | 'POST' | 'PUT'
  url: string
  body?: unknown
}

const AUTH_CODES = new Set(['INVALID_ACCESS_TOKEN', 'NO_AUTHORIZATION_HEADER', 'UNAUTHORIZED', 'INVALID_USER'])

/**
 * The Sign client's HTTP layer: ky on the core's fetch (proxy, CA and TLS as for every connection), bearer
 * token, JSON in and out. Retries 429 (waiting the `Retry-After` header, else the body's `retryAfter`,
 * else a backoff; never longer than `max_retry_after`) and 5xx; a write whose reply was lost is never sent
 * again (it throws {@link OutcomeUnknownError}). 401s become a {@link CredentialError} (exit 3) that names
 * no secret; other refusals a {@link SignApiError} with Sign's `code` and `message`.
 */
export class SignHttp {
  private ky?: Promise<KyInstance>
  /** Requests sent (retries included). */
  requests = 0
  /** Time waited on throttling, ms. */
  throttledMs = 0

  constructor(private readonly options: SignHttpOptions) {}

  private client(): Promise<KyInstance> {
    this.ky ??= import('ky').then(({ default: ky }) =>
      ky.create({
        fetch: this.options.fetch,
        timeout: this.options.timeoutMs,
        retry: 0,
        throwHttpErrors: false,
        headers: {
          accept: 'application/json',
          'user-agent': this.options.userAgent,
        },
      }),
    )
    return this.ky
  }

  /** Sends `request`; returns the parsed JSON body (undefined when empty). */
  async send<T>(request: SignRequest): Promise<T> {
    const ky = await this.client()
    // Only reads are sent again after a lost reply; a write is reported as unknown (the next run re-reads).
    const idempotent = request.method === 'GET'
    let renewed = false
    for (let attempt = 0; ; attempt++) {
      this.requests++
      let response: Response
      try {
        response = await ky(request.url, {
          method: request.method,
          headers: { authorization: `Bearer ${await this.options.tokens.token()}` },
          ...(request.body === undefined ? {} : { json: request.body }),
        })
      } catch (error) {
        await this.afterFailure(error, request, idempotent, attempt)
        continue
      }
      const text = await response.text()
      if (response.ok) return (text ? JSON.parse(text) : undefined) as T
      const body = parseError(text, response.status)
      // An OAuth access token that expired: a new one, and the request once more (it was refused, not applied).
      if (response.status === 401 && body.code === 'INVALID_ACCESS_TOKEN' && !renewed) {
        renewed = true
        if (await this.options.tokens.renew()) continue
      }
      const retryable = response.status === 429 || response.status === 503 || (response.status >= 500 && idempotent)
      if (!retryable || attempt >= this.options.retries) throw this.refusal(response.status, body, request)
      await this.backoff(attempt, retryAfterMs(response.headers.get('retry-after'), body))
    }
  }

  /** A request that got no answer: waits before the next attempt, or throws when there is none. */
  private async afterFailure(
    error: unknown,
    request: SignRequest,
    idempotent: boolean,
    attempt: number,
  ): Promise<void> {
    if (isUstError(error) && !(error instanceof NetworkError)) throw error
    const reason = error instanceof Error ? error.message : String(error)
    if (!idempotent && !refusedBeforeSending(error))
      throw new OutcomeUnknownError(`${request.method} ${pathOf(request.url)}`, reason)
    if (attempt >= this.options.retries) throw asNetworkError(error, request.url)
    await this.backoff(attempt, undefined)
  }

  private refusal(status: number, body: SignErrorBody, request: SignRequest): Error {
    if (status === 401 && AUTH_CODES.has(body.code))
      return new CredentialError(
        `Acrobat Sign refused the integration key (${body.code}) at ${new URL(request.url).host}`,
        {
          code: 'credential.sign-key-refused',
          suggestions: [
            'Check integration_key (or the credential store entry named by secure_integration_key_key, account admin_email)',
            'The key must be active and have the user_read and user_write scopes',
          ],
        },
      )
    return new SignApiError(status, body.code, body.message)
  }

  private async backoff(attempt: number, retryAfter: number | undefined): Promise<void> {
    const wait = retryAfter ?? Math.min(2000 * 2 ** attempt, 60_000)
    if (wait > this.options.maxRetryAfterMs)
      throw new TargetError(`Acrobat Sign asks to wait ${Math.ceil(wait / 1000)} s, longer than max_retry_after`, {
        code: 'target.sign.throttled',
        suggestions: ['Run again later, or raise max_retry_after in connector-sign.yml'],
      })
    if (retryAfter !== undefined) {
      this.throttledMs += wait
      this.options.logger.warn(`Acrobat Sign is throttling requests: waiting ${(wait / 1000).toFixed(1)} s as it asks`)
    }
    await this.options.clock.sleep(wait)
  }
}

/** `Retry-After` (seconds or an HTTP date), else the body's `retryAfter`, in ms. */
function retryAfterMs(header: string | null, body: SignErrorBody): number | undefined {
  if (header !== null) {
    const seconds = Number(header)
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000
    const date = Date.parse(header)
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now())
  }
  return typeof body.retryAfter === 'number' ? body.retryAfter * 1000 : undefined
}

function parseError(text: string, status: number): SignErrorBody {
  try {
    const value = JSON.parse(text) as Partial<SignErrorBody>
    if (typeof value.code === 'string')
      return {
        code: value.code,
        message: typeof value.message === 'string' ? value.message : '',
        ...(typeof value.retryAfter === 'number' ? { retryAfter: value.retryAfter } : {}),
      }
  } catch {
    // not JSON: described below
  }
  return { code: `HTTP_${status}`, message: text.slice(0, 200) || 'no error body' }
}

/** Whether a failure happened before the request could reach the server (DNS, refused connection). */
function refusedBeforeSending(error: unknown): boolean {
  return error instanceof NetworkError && error.delivery === 'not-sent'
}

function asNetworkError(error: unknown, url: string): Error {
  if (error instanceof NetworkError) return error
  return new NetworkError(
    `Acrobat Sign at ${new URL(url).host} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
    {
      code: 'network.unreachable',
    },
  )
}

function pathOf(url: string): string {
  return new URL(url).pathname
}
