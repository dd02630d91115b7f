import { ConfigError } from '@ust-sync/api'
import type { ClientCertificate } from './client-certificates.js'
import { splitNoProxy } from './no-proxy.js'

/** The proxy every HTTP(S) connection goes through (unless excluded by `no_proxy`). */
export interface ProxySettings {
  /** Full URL, credentials included: a secret, never shown. */
  url: string
  /** `http://proxy.example.com:3128`: no credentials, for messages. */
  display: string
  protocol: 'http:' | 'https:'
  host: string
  port: number
  username?: string
  /** Secret. */
  password?: string
  /** Where it was set: `network.proxy`, `HTTPS_PROXY`, ... */
  source: string
}

/** A PEM file (one or more certificates) added to the trusted roots. */
export interface CaFileSetting {
  path: string
  /** `network.ca_file` or `REQUESTS_CA_BUNDLE`. */
  source: string
}

/** The network settings of a run, resolved from the `network:` section, then the environment. */
export interface NetworkSettings {
  proxy?: ProxySettings
  /** `no_proxy` entries, lower-cased. */
  noProxy: string[]
  caFiles: CaFileSetting[]
  /** `network.ssl_verify` (default true): the default for connections that do not say otherwise. */
  sslVerify: boolean
  /** `network.allow_insecure_http`: lets `http://` endpoints that carry secrets through, loudly warned. */
  allowInsecureHttp: boolean
  /** `network.max_reply_mb` (default 256): the most bytes one HTTP reply may bring, before any decoding. */
  maxReplyBytes: number
  /**
   * `network.client_certificates`, loaded (files read, passphrases checked) by the network service once
   * the secrets are resolved; empty until then, and where nothing connects (`config validate`).
   */
  clientCertificates: ClientCertificate[]
}

/** Default {@link NetworkSettings.maxReplyBytes}: the largest UMAPI page is about a megabyte. */
export const DEFAULT_MAX_REPLY_MB = 256

/** Environment variables read, in order of precedence (Node and curl prefer the lower-case forms). */
const PROXY_ENV = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const
const NO_PROXY_ENV = ['no_proxy', 'NO_PROXY'] as const

function problem(where: string, file: string, message: string, suggestion: string): ConfigError {
  return new ConfigError(`${file}: ${where}: ${message}`, { code: 'config.network', suggestions: [suggestion] })
}

function firstEnv(env: NodeJS.ProcessEnv, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]
    if (value !== undefined && value.trim() !== '') return { name, value: value.trim() }
  }
  return undefined
}

/** Parses a proxy URL (`http://[user[:pass]@]host:port`; a bare `host:port` means http). */
export function parseProxy(
  raw: string,
  source: string,
  file: string,
  credentials: { username?: string; password?: string } = {},
): ProxySettings {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw problem(source, file, 'is not a proxy URL', 'write it as http://proxy.example.com:3128')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw problem(
      source,
      file,
      `proxy scheme ${url.protocol} is not supported`,
      'use an HTTP proxy URL such as http://proxy.example.com:3128 (SOCKS proxies are not supported)',
    )
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search) {
    throw problem(source, file, 'must be a proxy address only, without path or query', 'write it as http://host:port')
  }
  const username = credentials.username ?? (url.username ? decodeURIComponent(url.username) : undefined)
  const password = credentials.password ?? (url.password ? decodeURIComponent(url.password) : undefined)
  if (password !== undefined && username === undefined) {
    throw problem(
      source,
      file,
      'a proxy password is set but no user name',
      'set network.proxy_user (or user@ in the proxy URL)',
    )
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80))
  const display = `${url.protocol}//${url.host}`
  const auth =
    username === undefined
      ? ''
      : `${encodeURIComponent(username)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@`
  return {
    url: `${url.protocol}//${auth}${url.host}`,
    display,
    protocol: url.protocol,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    source,
  }
}

/**
 * Resolves the run's network settings: the main config's `network:` section (secrets already resolved:
 * `proxy_password` holds the value of `secure_proxy_password_key`), else the environment UST users
 * already have: `HTTPS_PROXY`/`https_proxy`/`HTTP_PROXY`/`http_proxy`, `NO_PROXY`/`no_proxy` and
 * `REQUESTS_CA_BUNDLE`. Throws a `ConfigError` for a malformed proxy URL.
 */
export function resolveNetworkSettings(
  section: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  file: string,
): NetworkSettings {
  const str = (key: string): string | undefined => {
    const v = section[key]
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined
  }
  const configured = str('proxy')
  const username = str('proxy_user')
  const password = typeof section.proxy_password === 'string' ? section.proxy_password : undefined
  let proxy: ProxySettings | undefined
  if (configured !== undefined) {
    proxy = parseProxy(configured, 'network.proxy', file, {
      ...(username === undefined ? {} : { username }),
      ...(password === undefined ? {} : { password }),
    })
  } else {
    if (username !== undefined || password !== undefined) {
      throw problem(
        'network.proxy_user',
        file,
        'proxy credentials are set but network.proxy is not',
        'set network.proxy to the proxy URL, or remove the credentials',
      )
    }
    const fromEnv = firstEnv(env, PROXY_ENV)
    if (fromEnv) proxy = parseProxy(fromEnv.value, fromEnv.name, 'environment')
  }
  const noProxySetting = section.no_proxy
  const noProxy =
    noProxySetting !== undefined
      ? splitNoProxy(noProxySetting as string | string[])
      : splitNoProxy(firstEnv(env, NO_PROXY_ENV)?.value)
  const caSetting = section.ca_file
  const caFiles: CaFileSetting[] =
    caSetting !== undefined
      ? (Array.isArray(caSetting) ? caSetting : [caSetting])
          .filter((p): p is string => typeof p === 'string' && p !== '')
          .map((path) => ({ path, source: 'network.ca_file' }))
      : env.REQUESTS_CA_BUNDLE
        ? [{ path: env.REQUESTS_CA_BUNDLE, source: 'REQUESTS_CA_BUNDLE' }]
        : []
  return {
    ...(proxy ? { proxy } : {}),
    noProxy,
    caFiles,
    sslVerify: section.ssl_verify !== false,
    allowInsecureHttp: section.allow_insecure_http === true,
    maxReplyBytes: (typeof section.max_reply_mb === 'number' ? section.max_reply_mb : DEFAULT_MAX_REPLY_MB) * 2 ** 20,
    clientCertificates: [],
  }
}

/** The secrets of the settings in every form they travel in (for the redactor). */
export function proxySecrets(proxy: ProxySettings | undefined): { secret: string; user?: string }[] {
  if (!proxy?.password) return []
  return [{ secret: proxy.password, ...(proxy.username === undefined ? {} : { user: proxy.username }) }]
}
