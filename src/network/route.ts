import { isIP } from 'node:net'
import { noProxyMatch } from './no-proxy.js'
import type { NetworkSettings, ProxySettings } from './settings.js'

/** How a connection to an endpoint travels. */
export interface Route {
  /** The proxy, when the connection goes through one. */
  proxy?: ProxySettings
  /** `direct`, `via proxy http://… (network.proxy)`, `direct: excluded by no_proxy entry "x"`. */
  label: string
}

const DEFAULT_PORTS: Record<string, number> = { 'https:': 443, 'http:': 80, 'ldaps:': 636, 'ldap:': 389 }

/** Host (without IPv6 brackets) and port of a URL, with the scheme's default port. */
export function hostAndPort(url: URL): { host: string; port: number } {
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || DEFAULT_PORTS[url.protocol] || 443) }
}

/** Whether the host is this machine (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase()
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'))
}

/**
 * The route Node's global proxy support takes for `url` with these settings: HTTP(S) through the proxy
 * unless `no_proxy` excludes the host; LDAP always direct (it is never sent through an HTTP proxy).
 */
export function routeFor(url: URL, settings: NetworkSettings): Route {
  const { host, port } = hostAndPort(url)
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { label: `direct (${url.protocol.slice(0, -1).toUpperCase()} never uses an HTTP proxy)` }
  if (!settings.proxy) return { label: 'direct (no proxy configured)' }
  const excluded = noProxyMatch(host, port, settings.noProxy)
  if (excluded !== undefined) return { label: `direct: excluded from the proxy by no_proxy entry "${excluded}"` }
  return { proxy: settings.proxy, label: `via proxy ${settings.proxy.display} (${settings.proxy.source})` }
}
