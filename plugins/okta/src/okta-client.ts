import { type PluginContext, SourceError } from '@ust-sync/api'
import { apiTokenAuth, type OktaAuth } from './auth/okta-auth.js'
import { OAuthAuth } from './auth/oauth-auth.js'
import type { OktaOptions } from './config/okta-options.js'
import { nextLink } from './http/link-header.js'
import { OktaHttp, type OktaReply } from './http/okta-http.js'
import { replyError } from './http/reply-error.js'

/** Seconds to wait for one reply, tries per request, longest rate-limit wait. */
const TIMEOUT_MS = 60_000
const ATTEMPTS = 5
const MAX_WAIT_MS = 5 * 60_000

/**
 * The `fetch` Okta requests go through: the core's (proxy, CA, readable failures), with TLS verification
 * off for the Okta host only when `ssl_cert_verify: False`; the global fetch in an older core.
 */
function oktaFetch(origin: string, context: PluginContext): typeof fetch {
  if (!context.network) return globalThis.fetch
  if (context.tlsVerify) return context.network.fetch
  return context.network.unverifiedFetch([new URL(origin).hostname], 'ssl_cert_verify: False')
}

/** An authenticated connection to one Okta org: GETs with paging, errors turned into ust errors. */
export class OktaClient {
  readonly http: OktaHttp
  readonly auth: OktaAuth
  /** Called with the time a wait ends (for the progress line). */
  onWait: ((until: number) => void) | undefined

  constructor(
    readonly options: OktaOptions,
    private readonly context: PluginContext,
  ) {
    const credentials = options.credentials
    this.auth =
      credentials.kind === 'api_token'
        ? apiTokenAuth(credentials.token)
        : new OAuthAuth(
            options.origin,
            credentials.clientId,
            credentials.privateKey,
            credentials.keyId,
            () => this.http,
            context.clock,
            context.userAgent,
          )
    this.http = new OktaHttp({
      fetch: oktaFetch(options.origin, context),
      clock: context.clock,
      logger: context.logger,
      timeoutMs: TIMEOUT_MS,
      attempts: ATTEMPTS,
      maxWaitMs: MAX_WAIT_MS,
      secrets: () => this.auth.secrets(),
      onWait: (until) => this.onWait?.(until),
    })
  }

  /** GET `path` (below the origin, or an absolute `next` URL); returns a 200 reply, throws otherwise. */
  async get(pathOrUrl: string, what: string): Promise<OktaReply> {
    const url = pathOrUrl.startsWith('/') ? this.options.origin + pathOrUrl : pathOrUrl
    this.sameOrigin(url, what)
    let reply = await this.send(url, what)
    if (reply.status === 401 && this.auth.invalidate()) reply = await this.send(url, what)
    if (reply.status !== 200) throw replyError(reply, what, this.options.origin, this.auth.secrets(), this.auth.oauth)
    return reply
  }

  /**
   * Every page of a list, following `rel="next"` verbatim until there is none; each page must be a JSON
   * array. Any page that fails throws, so a caller never sees part of a list as all of it.
   */
  async *pages(path: string, what: string): AsyncGenerator<unknown[]> {
    let url: string | undefined = path
    for (let page = 1; url; page++) {
      const label = `${what} page ${page}`
      const reply = await this.get(url, label)
      if (!Array.isArray(reply.json)) {
        throw new SourceError(
          `Okta ${this.options.origin} answered ${label} with ${reply.text.length === 0 ? 'an empty body' : 'something that is not a JSON list'} (HTTP ${reply.status}); nothing was changed`,
          {
            code: 'source.okta.bad-page',
            suggestions: ['Run the sync again; a proxy in between may have cut the reply short.'],
          },
        )
      }
      yield reply.json
      url = nextLink(reply.headers)
    }
  }

  private async send(url: string, what: string): Promise<OktaReply> {
    return this.http.send(
      {
        method: 'GET',
        url,
        headers: {
          ...(await this.auth.headers('GET', url)),
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'User-Agent': this.context.userAgent,
        },
      },
      what,
      // A retry carries a fresh DPoP proof (each proof is used once).
      () => this.auth.headers('GET', url),
    )
  }

  /** A `next` link elsewhere would carry the token to another host: refused. */
  private sameOrigin(url: string, what: string): void {
    if (new URL(url).origin === this.options.origin) return
    throw new SourceError(
      `Okta ${what}: the next page is on another host (${new URL(url).origin}); refusing to send the credential there`,
      {
        code: 'source.okta.foreign-link',
        suggestions: ['Check host in connector-okta.yml: use the org host Okta links to (e.g. example.okta.com).'],
      },
    )
  }
}
