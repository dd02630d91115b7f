import type { PluginContext } from '@ust-sync/api'
import type { EntraSettings } from './entra-settings.js'
import { graphFailure, malformedPage } from './graph-errors.js'
import { GraphHttp } from './graph-http.js'
import { seconds } from './redact.js'
import { TokenProvider } from './token-provider.js'
import { UnitPacer } from './unit-pacer.js'

/** Most pages one listing may take (10 million objects at 999 a page). */
const MAX_PAGES = 10_100

/**
 * The `fetch` Graph requests go through: the core's (proxy, CA, plain-language network failures), with TLS
 * verification off for the token and Graph hosts only when the main config says `ssl_cert_verify: False`.
 */
function graphFetch(settings: EntraSettings, context: PluginContext): typeof fetch {
  if (!context.network) return globalThis.fetch
  if (context.tlsVerify) return context.network.fetch
  const hosts = [...new Set([settings.tokenUrl, settings.graphBase].map((u) => new URL(u).hostname))]
  return context.network.unverifiedFetch(hosts, 'ssl_cert_verify: False')
}

/** How a listing is requested. */
export interface Listing {
  /** First page's URL (query included). */
  url: string
  /** Names it in messages, e.g. `users page`. */
  what: string
  /** Resource units per page (graph-api.md §11). */
  units: number
  /** Send `ConsistencyLevel: eventual` (advanced query) on every page: Graph does not carry it over. */
  eventual: boolean
}

/**
 * An authenticated, paced, retrying connection to Microsoft Graph: GETs with a bearer token (fetched again
 * once after a 401), pages followed through `@odata.nextLink` exactly as given.
 */
export class GraphClient {
  readonly http: GraphHttp
  readonly tokens: TokenProvider
  readonly pacer: UnitPacer

  constructor(
    readonly settings: EntraSettings,
    private readonly context: PluginContext,
    /** False: one try per request, no waiting on throttling (`ust net check`). */
    private readonly retry = true,
  ) {
    this.pacer = new UnitPacer(settings.resourceUnits, settings.windowMs, context.clock, (ms) => {
      const line = `Graph pacing: waiting ${seconds(ms)} to stay within ${settings.resourceUnits} resource units per ${seconds(settings.windowMs)}`
      if (ms >= 1000) context.logger.info(line)
      else context.logger.debug(line)
    })
    this.http = new GraphHttp({
      fetch: graphFetch(settings, context),
      timeoutMs: settings.timeoutMs,
      attempts: settings.attempts,
      maxRetryAfterMs: settings.maxRetryAfterMs,
      clock: context.clock,
      logger: context.logger,
      pacer: this.pacer,
    })
    this.tokens = new TokenProvider(
      settings,
      context.clock,
      (what, request) => this.http.send(request, { what, units: 0, retry: this.retry }),
      context.userAgent,
    )
  }

  /** GETs one page and returns its parsed body; throws for anything but a 200 with a JSON object. */
  async get(url: string, what: string, units: number, eventual: boolean): Promise<Record<string, unknown>> {
    const send = async (token: string) => {
      const headers: Record<string, string> = {
        Authorization: `Bearer ${token}`,
        Accept: 'application/json',
        'User-Agent': this.context.userAgent,
      }
      if (eventual) headers.ConsistencyLevel = 'eventual'
      return this.http.send({ method: 'GET', url, headers }, { what, units, retry: this.retry })
    }
    const token = await this.tokens.token()
    let reply = await send(token)
    if (reply.status === 401) {
      this.context.logger.info(
        `Microsoft Graph answered 401 to ${what}: fetching a new access token and trying once more`,
      )
      this.tokens.invalidate(token)
      reply = await send(await this.tokens.token())
    }
    if (reply.status !== 200) throw graphFailure(what, url, reply.status, reply.text, this.tokens.secrets())
    let body: unknown
    try {
      body = JSON.parse(reply.text)
    } catch {
      throw malformedPage(what, `the reply is not complete JSON (${reply.text.length} characters)`)
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw malformedPage(what, 'the reply is not a JSON object')
    return body as Record<string, unknown>
  }

  /** Every page's `value` of a listing, in order; throws on the first page that fails (none is skipped). */
  async *pages(listing: Listing): AsyncGenerator<unknown[]> {
    let url: string | undefined = listing.url
    const seen = new Set<string>()
    for (let page = 0; url !== undefined; page++) {
      if (page >= MAX_PAGES) throw malformedPage(listing.what, `no last page after ${MAX_PAGES} pages`)
      const body = await this.get(url, `GET ${listing.what} ${page + 1}`, listing.units, listing.eventual)
      if (!Array.isArray(body.value))
        throw malformedPage(`GET ${listing.what} ${page + 1}`, 'the reply has no "value" list')
      const next = body['@odata.nextLink']
      if (next !== undefined && typeof next !== 'string')
        throw malformedPage(listing.what, '@odata.nextLink is not a URL')
      if (typeof next === 'string') {
        if (seen.has(next)) throw malformedPage(listing.what, 'Graph repeats a next link it gave before')
        seen.add(next)
        if (new URL(next).origin !== new URL(this.settings.graphBase).origin)
          throw malformedPage(listing.what, `@odata.nextLink points to another host (${new URL(next).host})`)
      }
      yield body.value
      url = next
    }
  }
}
