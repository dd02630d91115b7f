import http from 'node:http'
import tls from 'node:tls'
import { loadCaFiles, type LoadedCa } from './ca-files.js'
import type { NetworkSettings } from './settings.js'

let originalCas: string[] | undefined
let restoreProxy: (() => void) | undefined

/** What {@link applyNetwork} put in place. */
export interface AppliedNetwork {
  cas: LoadedCa[]
}

/**
 * Applies the network settings to the whole process, once, before any plugin connects (Node 24
 * built-ins, stack-notes.md §4): the CA files are added to the default trusted roots with
 * `tls.setDefaultCACertificates` (fetch/ky, `node:https` and TLS sockets such as LDAPS all use them), and
 * the proxy with `no_proxy` is installed with `http.setGlobalProxyFromEnv` (fetch/ky and `node:http(s)`;
 * raw TCP/TLS sockets such as LDAP never go through it). TLS verification is never turned off here.
 * Calling it again replaces what an earlier call applied.
 */
export function applyNetwork(settings: NetworkSettings): AppliedNetwork {
  const cas = loadCaFiles(settings.caFiles)
  if (cas.length > 0 || originalCas !== undefined) {
    originalCas ??= tls.getCACertificates('default')
    tls.setDefaultCACertificates([...originalCas, ...cas.map((c) => c.pem)])
  }
  restoreProxy?.()
  restoreProxy = undefined
  if (settings.proxy) {
    const url = settings.proxy.url
    restoreProxy = http.setGlobalProxyFromEnv({
      HTTPS_PROXY: url,
      HTTP_PROXY: url,
      NO_PROXY: settings.noProxy.join(','),
    })
  }
  return { cas }
}
