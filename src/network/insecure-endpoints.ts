import type { Endpoint } from '@ust-sync/api'
import { insecureHttpError } from './network-fetch.js'
import { isLoopback } from './route.js'

/**
 * Refuses a contribution's plain `http://` endpoints on another machine: they carry secrets (a
 * `ConfigError`, exit 2), unless `network.allow_insecure_http` is set; then `warn` is told about each.
 */
export function refuseInsecureEndpoints(
  owner: string,
  endpoints: readonly Endpoint[],
  allowInsecureHttp: boolean,
  warn: (message: string) => void,
): void {
  for (const endpoint of endpoints) {
    let url: URL
    try {
      url = new URL(endpoint.url)
    } catch {
      continue
    }
    if (url.protocol !== 'http:' || isLoopback(url.hostname)) continue
    if (!allowInsecureHttp) throw insecureHttpError(url.origin, `${owner} ${endpoint.name}`)
    warn(`${owner} ${endpoint.name} at ${url.origin} is plain http:// (allowed by network.allow_insecure_http)`)
  }
}
