import { randomUUID } from 'node:crypto'
import { TargetError, type PluginContext, type ProgressTask } from '@ust-sync/api'
import { TokenProvider } from './auth/token-provider.js'
import type { EndpointKind, UmapiSettings } from './config/umapi-settings.js'
import { formatSeconds, oddReply } from './http/format.js'
import { Pacer } from './http/pacer.js'
import { parseJson } from './http/parse-json.js'
import { redact, snippet } from './http/redact.js'
import { UmapiHttp, type HttpReply, type HttpRequest } from './http/umapi-http.js'

/** `Pragma` sync signals (umapi.md §8.4). */
export type SyncSignal = 'umapi-sync-start' | 'umapi-sync-end'

/** A UMAPI call: which limit it counts against, method, path below the base URL, optional JSON body. */
export interface UmapiCall {
  kind: EndpointKind
  method: 'GET' | 'POST'
  /** Below `umapiBaseUrl`, starting with `/`, query included. */
  path: string
  body?: unknown
  /** The sync signal this call carries; undefined (as callers that signal only some calls pass it) for none. */
  pragma?: SyncSignal | undefined
  /** Names the call in messages, e.g. `GET users page 3`. */
  what: string
}

/** A UMAPI reply with its JSON body parsed (undefined when not JSON). */
export interface UmapiReply {
  status: number
  headers: Headers
  json: unknown
  text: string
}

/**
 * The `fetch` UMAPI requests go through: the core's (plain-language network failures, exit 4), with TLS
 * verification off for the org's own hosts only when `server.ssl_verify` / `ssl_cert_verify` say so.
 * An older core without `context.network` gives the global fetch (proxy and CA are applied process-wide).
 */
export function umapiFetch(settings: UmapiSettings, context: PluginContext): typeof fetch {
  const verify = settings.sslVerify ?? context.tlsVerify
  if (!context.network) return globalThis.fetch
  if (verify) return context.network.fetch
  const hosts = [...new Set([settings.umapiBaseUrl, settings.tokenUrl].map((u) => new URL(u).hostname))]
  const reason = settings.sslVerify === false ? 'server.ssl_verify: False' : 'ssl_cert_verify: False'
  return context.network.unverifiedFetch(hosts, reason)
}

/**
 * One authenticated, paced, retrying connection to an org's UMAPI: every call waits for its endpoint's
 * pacer, carries a fresh token, is retried on transient failures (by {@link UmapiHttp}, i.e. ky), and is
 * repeated once with a new token after a 401.
 */
export class UmapiSession {
  readonly tokens: TokenProvider
  readonly pacers: Record<EndpointKind, Pacer>
  /** The progress task of the current read or apply: pages and requests tick it, pacing waits show on it. */
  task: ProgressTask | undefined
  readonly http: UmapiHttp

  constructor(
    readonly settings: UmapiSettings,
    private readonly context: PluginContext,
  ) {
    this.http = new UmapiHttp({
      fetch: umapiFetch(settings, context),
      timeoutMs: settings.timeoutMs,
      attempts: settings.attempts,
      maxRetryAfterMs: settings.maxRetryAfterMs,
      clock: context.clock,
      logger: context.logger,
    })
    this.tokens = new TokenProvider(
      settings,
      context.clock,
      (what, request) => this.http.send(request, { what, idempotent: true }),
      context.userAgent,
    )
    const pacer = (kind: EndpointKind): Pacer =>
      new Pacer(settings.rateLimits[kind], settings.windowMs, context.clock, (ms) => {
        // Waiting for the rate limit is normal operation: INFO (DEBUG when short), shown on the progress line.
        const line = `rate limit: waiting ${formatSeconds(ms)} to stay within ${settings.rateLimits[kind]} ${kind} requests per ${formatSeconds(settings.windowMs)}`
        if (ms >= 1000) context.logger.info(line)
        else context.logger.debug(line)
        this.task?.waiting(context.clock.now() + ms)
      })
    this.pacers = {
      action: pacer('action'),
      users: pacer('users'),
      usersInGroup: pacer('usersInGroup'),
      groups: pacer('groups'),
    }
  }

  /** Secrets to scrub from any server text shown to the user. */
  /** The run's clock (the context's: a test's manual clock moves it). */
  now(): number {
    return this.context.clock.now()
  }

  secrets(): string[] {
    return [this.settings.clientSecret, ...this.tokens.issued]
  }

  /** Sends a call; returns any reply that is not retryable (the caller interprets the status). */
  async call(call: UmapiCall): Promise<UmapiReply> {
    const token = await this.tokens.token()
    let reply = await this.callWithToken(call, token)
    if (reply.status === 401) {
      this.context.logger.info(`UMAPI answered 401 to ${call.what}: fetching a new access token and trying once more`)
      this.tokens.invalidate(token)
      reply = await this.callWithToken(call, await this.tokens.token())
    }
    return { status: reply.status, headers: reply.headers, text: reply.text, json: parseJson(reply.text) }
  }

  /** A `TargetError` for an unexpected reply: what was sent, where, the status and UMAPI's own words. */
  unexpected(call: UmapiCall, reply: UmapiReply): TargetError {
    const body = reply.json as { result?: unknown; message?: unknown; error_code?: unknown } | undefined
    const code =
      typeof body?.result === 'string'
        ? body.result
        : typeof body?.error_code === 'string'
          ? body.error_code
          : undefined
    const odd = oddReply(reply, reply.json)
    const message = typeof body?.message === 'string' ? body.message : snippet(reply.text)
    const detail = redact(odd ?? [code, message].filter(Boolean).join(': '), this.secrets())
    const suggestions = odd
      ? ['Check server.host (usermanagement.adobe.io) and, behind a proxy, that it lets ust through without a login.']
      : reply.status === 401 || reply.status === 403
        ? ['Check that the OAuth credential belongs to enterprise.org_id and has the User Management API.']
        : reply.status === 400 && code === 'error.organization.invalid_id'
          ? ['Check enterprise.org_id (it looks like 12345ABCDEF@AdobeOrg).']
          : []
    return new TargetError(
      `UMAPI ${call.what} at ${this.settings.umapiBaseUrl}: HTTP ${reply.status}${detail ? ` ${detail}` : ''}`,
      {
        code: `target.umapi.http-${reply.status}`,
        suggestions,
      },
    )
  }

  private callWithToken(call: UmapiCall, token: string): Promise<HttpReply> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      'X-Api-Key': this.settings.clientId,
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'User-Agent': this.context.userAgent,
      'X-Request-Id': `${randomUUID()}_${this.context.clock.now()}`,
    }
    if (call.pragma) headers.Pragma = call.pragma
    const request: HttpRequest = { method: call.method, url: this.settings.umapiBaseUrl + call.path, headers }
    if (call.body !== undefined) request.body = JSON.stringify(call.body)
    return this.http.send(request, {
      what: call.what,
      pacer: this.pacers[call.kind],
      idempotent: call.method === 'GET',
    })
  }
}
