import { request as httpsRequest } from 'node:https'
import { connect as tlsConnect } from 'node:tls'
import { createServer as createHttpsServer, type Server } from 'node:https'
import ky from 'ky'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyNetwork } from '../../src/network/apply-network.js'
import { createNetworkAccess } from '../../src/network/network-fetch.js'
import { resolveNetworkSettings } from '../../src/network/settings.js'
import { createAuthority, startTinyproxy, type TestAuthority, type Tinyproxy } from '@ust-sync/test-servers'

// One process-wide application (this file runs in its own worker): every kind of client must then use
// the same proxy and the same extra CA without being told.
let ca: TestAuthority
let proxy: Tinyproxy
let server: Server
let port: number

beforeAll(async () => {
  ca = createAuthority('Uniformity Test CA')
  proxy = await startTinyproxy({ user: 'uni', password: 'Un1formPw' })
  const { keyPem, certPem } = ca.issue({ commonName: 'localhost' })
  server = createHttpsServer({ key: keyPem, cert: certPem }, (_req, res) => res.end('hello'))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  port = (server.address() as { port: number }).port
  applyNetwork(
    resolveNetworkSettings(
      { proxy: proxy.url, proxy_user: 'uni', proxy_password: 'Un1formPw', ca_file: [ca.caFile] },
      {},
      'test',
    ),
  )
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
  await proxy.stop()
  ca.remove()
})

/** What a third-party plugin with its own client does: plain `https.request`, no options. */
function thirdPartyGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve(body))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('one network layer for every client', () => {
  it('ky (fetch) goes through the proxy and trusts the extra CA', async () => {
    const mark = proxy.mark()
    expect(await ky.get(`https://localhost:${port}/ky`).text()).toBe('hello')
    expect(proxy.requests(mark)).toEqual([`CONNECT localhost:${port} HTTP/1.1`])
  })

  it("a third-party plugin's plain https.request goes through the same proxy with the same trust", async () => {
    const mark = proxy.mark()
    expect(await thirdPartyGet(`https://localhost:${port}/plain`)).toBe('hello')
    expect(proxy.requests(mark)).toEqual([`CONNECT localhost:${port} HTTP/1.1`])
  })

  it('a raw TLS socket (as LDAPS uses) trusts the extra CA and never goes through the HTTP proxy', async () => {
    const mark = proxy.mark()
    const socket = tlsConnect({ host: 'localhost', port, servername: 'localhost' })
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve)
      socket.once('error', reject)
    })
    expect(socket.authorized).toBe(true)
    socket.destroy()
    expect(proxy.requests(mark)).toEqual([])
  })

  it('per-host ssl_verify: false keeps the proxy and verifies every other host', async () => {
    const other = createAuthority('Unknown CA')
    const { keyPem, certPem } = other.issue({ commonName: 'localhost' })
    const untrusted = createHttpsServer({ key: keyPem, cert: certPem }, (_req, res) => res.end('insecure'))
    await new Promise<void>((r) => untrusted.listen(0, '127.0.0.1', r))
    const otherPort = (untrusted.address() as { port: number }).port
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} }
    const settings = resolveNetworkSettings({ proxy: proxy.authUrl, ca_file: [ca.caFile] }, {}, 'test')
    const access = createNetworkAccess(settings, logger)
    const insecure = access.unverifiedFetch(['localhost'], 'server.ssl_verify: False')
    try {
      const mark = proxy.mark()
      expect(await (await insecure(`https://localhost:${otherPort}/`)).text()).toBe('insecure')
      expect(proxy.requests(mark)).toEqual([`CONNECT localhost:${otherPort} HTTP/1.1`])
      expect(warnings).toEqual([
        expect.stringContaining('SSL certificate verification is bypassed for localhost (server.ssl_verify: False)'),
      ])
      // The same server under another name, and the global fetch, are still verified.
      await expect(insecure(`https://127.0.0.1:${otherPort}/`)).rejects.toThrow(
        'The TLS certificate of 127.0.0.1 is not trusted: it was issued by "Unknown CA"',
      )
      await expect(access.fetch(`https://localhost:${otherPort}/`)).rejects.toThrow('is not trusted')
      await expect(fetch(`https://localhost:${otherPort}/`)).rejects.toThrow()
    } finally {
      await new Promise((r) => untrusted.close(r))
      other.remove()
    }
  })
})
