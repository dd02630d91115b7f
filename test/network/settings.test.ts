import { describe, expect, it } from 'vitest'
import { isUstError } from '@ust-sync/api'
import { Redactor } from '../../src/log/redactor.js'
import { noProxyMatch, splitNoProxy } from '../../src/network/no-proxy.js'
import { routeFor } from '../../src/network/route.js'
import { resolveNetworkSettings } from '../../src/network/settings.js'

const FILE = '/etc/ust/user-sync-config.yml'

describe('network settings', () => {
  it('reads the network: section, with the password of secure_proxy_password_key already resolved', () => {
    const s = resolveNetworkSettings(
      {
        proxy: 'http://proxy.corp.example:3128',
        proxy_user: 'svc-ust',
        proxy_password: 'p@ss word/1',
        no_proxy: ['ldap.corp.example', '.internal'],
        ca_file: ['/etc/ust/corp-ca.pem'],
        ssl_verify: false,
      },
      { HTTPS_PROXY: 'http://ignored:1', REQUESTS_CA_BUNDLE: '/ignored.pem' },
      FILE,
    )
    expect(s.proxy).toMatchObject({
      display: 'http://proxy.corp.example:3128',
      host: 'proxy.corp.example',
      port: 3128,
      username: 'svc-ust',
      password: 'p@ss word/1',
      source: 'network.proxy',
      url: 'http://svc-ust:p%40ss%20word%2F1@proxy.corp.example:3128',
    })
    expect(s.noProxy).toEqual(['ldap.corp.example', '.internal'])
    expect(s.caFiles).toEqual([{ path: '/etc/ust/corp-ca.pem', source: 'network.ca_file' }])
    expect(s.sslVerify).toBe(false)
  })

  it("falls back to UST's environment: https_proxy before HTTPS_PROXY before HTTP_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE", () => {
    const s = resolveNetworkSettings(
      {},
      {
        HTTP_PROXY: 'http://plain:8080',
        HTTPS_PROXY: 'http://upper:8080',
        https_proxy: 'http://u%40x:pw@lower:8080',
        NO_PROXY: 'a.example, b.example',
        REQUESTS_CA_BUNDLE: '/etc/ssl/corp.pem',
      },
      FILE,
    )
    expect(s.proxy).toMatchObject({ host: 'lower', username: 'u@x', password: 'pw', source: 'https_proxy' })
    expect(s.noProxy).toEqual(['a.example', 'b.example'])
    expect(s.caFiles).toEqual([{ path: '/etc/ssl/corp.pem', source: 'REQUESTS_CA_BUNDLE' }])
    expect(resolveNetworkSettings({}, { HTTP_PROXY: 'proxy:3128' }, FILE).proxy?.display).toBe('http://proxy:3128')
    expect(resolveNetworkSettings({}, {}, FILE)).toEqual({
      noProxy: [],
      caFiles: [],
      sslVerify: true,
      allowInsecureHttp: false,
      maxReplyBytes: 256 * 2 ** 20,
      clientCertificates: [],
    })
  })

  it('refuses a proxy it cannot use, saying where it was set and what to write', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ proxy: 'socks5://p:1080' }, /network\.proxy: proxy scheme socks5: is not supported/],
      [{ proxy: 'http://p:3128/path' }, /must be a proxy address only/],
      [{ proxy_user: 'x' }, /proxy credentials are set but network\.proxy is not/],
      [{ proxy: 'http://p:3128', proxy_password: 'secret-pw' }, /a proxy password is set but no user name/],
    ]
    for (const [section, message] of cases) {
      let error: unknown
      try {
        resolveNetworkSettings(section, {}, FILE)
      } catch (e) {
        error = e
      }
      expect(isUstError(error) && error.exitCode).toBe(2)
      expect((error as Error).message).toMatch(message)
      expect((error as Error).message).not.toContain('secret-pw')
    }
  })
})

describe('no_proxy and routes', () => {
  const entries = splitNoProxy('Example.com, .corp.example 10.0.0.1 api.test:8443')
  it('matches a host and its sub-domains, exact IPs, and host:port only on that port', () => {
    expect(noProxyMatch('example.com', 443, entries)).toBe('example.com')
    expect(noProxyMatch('a.b.example.com', 443, entries)).toBe('example.com')
    expect(noProxyMatch('notexample.com', 443, entries)).toBeUndefined()
    expect(noProxyMatch('ldap.corp.example', 636, entries)).toBe('.corp.example')
    expect(noProxyMatch('10.0.0.1', 80, entries)).toBe('10.0.0.1')
    expect(noProxyMatch('10.0.0.10', 80, entries)).toBeUndefined()
    expect(noProxyMatch('api.test', 8443, entries)).toBe('api.test:8443')
    expect(noProxyMatch('api.test', 443, entries)).toBeUndefined()
    expect(noProxyMatch('anything', 1, ['*'])).toBe('*')
  })

  it('sends HTTP(S) through the proxy unless excluded, and LDAP never', () => {
    const settings = resolveNetworkSettings({ proxy: 'http://p:3128', no_proxy: ['.corp.example'] }, {}, FILE)
    expect(routeFor(new URL('https://usermanagement.adobe.io'), settings).proxy?.host).toBe('p')
    expect(routeFor(new URL('https://x.corp.example'), settings)).toEqual({
      label: 'direct: excluded from the proxy by no_proxy entry ".corp.example"',
    })
    expect(routeFor(new URL('ldaps://dc1.example.com'), settings)).toEqual({
      label: 'direct (LDAPS never uses an HTTP proxy)',
    })
  })
})

describe('redactor', () => {
  it('masks a secret raw, URL-encoded, form-encoded, JSON-escaped and in base64 at any offset', () => {
    const secret = 'S3cr/t+&"é x=9'
    const r = new Redactor()
    r.add(secret)
    const texts = [
      `raw ${secret} end`,
      `url ${encodeURIComponent(secret)} end`,
      `form client_id=a&${new URLSearchParams({ client_secret: secret })}&x=1`,
      `json ${JSON.stringify({ s: secret })}`,
      ...['', 'a', 'ab', 'abc'].map((p) => `b64 ${Buffer.from(`${p}${secret}tail`).toString('base64')}`),
    ]
    for (const text of texts) {
      const out = r.redact(text)
      expect(out, text).toContain('***')
      expect(out).not.toContain(secret)
      expect(out).not.toContain(encodeURIComponent(secret))
    }
    expect(r.redact('nothing secret here')).toBe('nothing secret here')
  })

  it('masks the base64 user:password of basic auth', () => {
    const r = new Redactor()
    r.addBasicAuth('ustuser', 's3cr3tpw')
    const header = `Proxy-Authorization: Basic ${Buffer.from('ustuser:s3cr3tpw').toString('base64')}`
    expect(r.redact(header)).toBe('Proxy-Authorization: Basic ***')
    expect(r.redact('http://ustuser:s3cr3tpw@proxy:3128')).toBe('http://***@proxy:3128')
  })
})
