import { ConfigError, isUstError, type Logger, type NetworkAccess } from '@ust-sync/api'
import { clientCertificateFor } from './client-certificates.js'
import { nodeFetch } from './node-fetch.js'
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
 * The {@link NetworkAccess} plugins receive: a `fetch` on `node:https` ({@link nodeFetch}: proxy and CA
 * already applied process-wide) with failures translated into plain-worded `NetworkError`s, `http://` to
 * another machine refused unless `allow_insecure_http` (redirects included), and per-host TLS exceptions
 * for `ssl_verify: false`.
 */
export function createNetworkAccess(settings: NetworkSettings, logger: Logger): NetworkAccess {
  const warned = new Set<string>()
  const make = (unverified: ReadonlySet<string>, reason: string): typeof fetch => {
    const route = (url: URL) => {
      if (url.protocol === 'http:' && !isLoopback(url.hostname) && !settings.allowInsecureHttp)
        throw insecureHttpError(url.origin, 'request')
      const skipVerify = url.protocol === 'https:' && unverified.has(url.hostname.toLowerCase())
      if (skipVerify && !warned.has(url.hostname)) {
        warned.add(url.hostname)
        logger.warn(
          `SSL certificate verification is bypassed for ${url.hostname} (${reason}); other hosts are still verified. Consider trusting your proxy's CA with network.ca_file (or REQUESTS_CA_BUNDLE) instead.`,
        )
      }
      const certificate =
        url.protocol === 'https:' ? clientCertificateFor(settings.clientCertificates, url.hostname) : undefined
      return { verifyTls: !skipVerify, ...(certificate ? { clientCertificate: certificate.tls } : {}) }
    }
    const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const url = requestUrl(input)
      const { verifyTls } = route(url)
      try {
        return await nodeFetch(input, init, route, settings.maxReplyBytes)
      } catch (error) {
        const signal = input instanceof Request ? input.signal : init?.signal
        if (signal?.aborted || isUstError(error)) throw error
        throw await translateFetchFailure(error, url.href, settings, { verifyTls })
      }
    }
    return wrapped as typeof fetch
  }
  return {
    fetch: make(new Set(), ''),
    unverifiedFetch: (hosts, reason) => make(new Set(hosts.map((h) => h.toLowerCase())), reason),
    clientCertificate: (host) => clientCertificateFor(settings.clientCertificates, host)?.tls,
  }
}
