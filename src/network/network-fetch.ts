import { ConfigError, isUstError, type Logger, type NetworkAccess } from '@ust-sync/api'
import type { Dispatcher } from 'undici'
import { isLoopback } from './route.js'
import type { NetworkSettings } from './settings.js'
import { translateFetchFailure } from './translate-failure.js'

/** A ConfigError for a plain `http://` URL to another machine (secrets would travel in clear text). */
export function insecureHttpError(url: string, owner: string): ConfigError {
  return new ConfigError(`${owner}: ${url} is plain http://: the credentials sent to it would travel unencrypted`, {
    code: 'config.network.insecure-http',
    suggestions: [
      'Use https:// (or a bare host name: https is assumed).',
      'For a lab setup only, set network.allow_insecure_http: true in the main config.',
    ],
  })
}

function requestUrl(input: string | URL | Request): URL {
  return new URL(input instanceof Request ? input.url : String(input))
}

/**
 * An undici dispatcher that does not verify TLS certificates, with the same proxy and `no_proxy` as the
 * process-wide setting (undici 7, the major bundled with Node 24, so Node's `fetch` accepts it).
 */
async function unverifiedDispatcher(settings: NetworkSettings): Promise<Dispatcher> {
  // Loaded on first use only: most runs never need it, and it is slow to import.
  const { Agent, EnvHttpProxyAgent } = await import('undici')
  const insecure = { rejectUnauthorized: false }
  if (!settings.proxy) return new Agent({ connect: insecure })
  return new EnvHttpProxyAgent({
    httpProxy: settings.proxy.url,
    httpsProxy: settings.proxy.url,
    noProxy: settings.noProxy.join(','),
    connect: insecure,
    requestTls: insecure,
  })
}

/**
 * The {@link NetworkAccess} plugins receive: the global `fetch` (proxy and CA already applied
 * process-wide) with failures translated into plain-worded `NetworkError`s, `http://` to another machine
 * refused unless `allow_insecure_http`, and per-host TLS exceptions for `ssl_verify: false`.
 */
export function createNetworkAccess(settings: NetworkSettings, logger: Logger): NetworkAccess {
  let insecureAgent: Promise<Dispatcher> | undefined
  const warned = new Set<string>()
  const make = (unverified: ReadonlySet<string>, reason: string): typeof fetch => {
    const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = requestUrl(input)
      if (url.protocol === 'http:' && !isLoopback(url.hostname) && !settings.allowInsecureHttp)
        throw insecureHttpError(url.origin, 'request')
      const skipVerify = url.protocol === 'https:' && unverified.has(url.hostname.toLowerCase())
      if (skipVerify && !warned.has(url.hostname)) {
        warned.add(url.hostname)
        logger.warn(
          `SSL certificate verification is bypassed for ${url.hostname} (${reason}); other hosts are still verified. Consider trusting your proxy's CA with network.ca_file (or REQUESTS_CA_BUNDLE) instead.`,
        )
      }
      try {
        if (!skipVerify) return await fetch(input, init)
        insecureAgent ??= unverifiedDispatcher(settings)
        return await fetch(input, { ...init, dispatcher: await insecureAgent } as RequestInit)
      } catch (error) {
        const signal = input instanceof Request ? input.signal : init?.signal
        if (signal?.aborted || isUstError(error)) throw error
        throw await translateFetchFailure(error, url.href, settings, { verifyTls: !skipVerify })
      }
    }
    return wrapped as typeof fetch
  }
  return {
    fetch: make(new Set(), ''),
    unverifiedFetch: (hosts, reason) => make(new Set(hosts.map((h) => h.toLowerCase())), reason),
  }
}
