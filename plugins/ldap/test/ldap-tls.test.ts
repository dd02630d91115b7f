import tls from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import { freePort, type Slapd, startSlapd } from '@ust-sync/test-servers'
import { ldapSourceDefinition } from '../src/definition.js'
import { offlineLdif, onlineLdif } from './fixture-directory.js'
import { baseConfig, contextFor, emails, failure, type Logged, read, selection } from './helpers.js'

let slapd: Slapd
const systemCas = tls.getCACertificates('default')
beforeAll(async () => {
  slapd = await startSlapd({ offline: offlineLdif(0), online: onlineLdif(0) })
}, 60_000)
afterAll(async () => slapd?.dispose())
afterEach(() => tls.setDefaultCACertificates(systemCas))

/** Trusts the test CA process-wide, as the network layer does with `network.ca_file`. */
function trustTestCa(): void {
  tls.setDefaultCACertificates([...systemCas, slapd.caPem])
}

const ISSUER = 'CN=ust-fake-umapi-test-CA'

describe('TLS', () => {
  it('ldaps:// verifies the server against the process-wide CAs and reads', async () => {
    trustTestCa()
    const { users } = await read(baseConfig(slapd, { host: slapd.ldapsUrl }), selection(['admins']))
    expect(emails(users)).toEqual(['alice@example.test'])
  })

  it('ldaps:// to a server whose CA is not configured fails (exit 4) naming the issuer and the fix', async () => {
    const error = await failure(read(baseConfig(slapd, { host: slapd.ldapsUrl }), selection(['admins'])))
    expect(error.exitCode).toBe(ExitCode.network)
    expect(error.message).toContain(slapd.ldapsUrl)
    expect(error.message).toContain(ISSUER)
    expect(error.suggestions.join(' ')).toContain('network.ca_file')
  })

  it('require_tls_cert: True uses StartTLS on ldap:// (verified) before the bind', async () => {
    trustTestCa()
    const logged: Logged = { warn: [], debug: [] }
    const { users } = await read(baseConfig(slapd, { require_tls_cert: true }), selection(['admins']), logged)
    expect(emails(users)).toEqual(['alice@example.test'])
    expect(logged.warn).toEqual([])
  })

  it('StartTLS without the CA is refused before any password is sent', async () => {
    const error = await failure(read(baseConfig(slapd, { require_tls_cert: true }), selection(['admins'])))
    expect(error.exitCode).toBe(ExitCode.network)
    expect(error.message).toContain(ISSUER)
  })

  it('a plain ldap:// bind works but warns that the password crosses the network in clear', async () => {
    const logged: Logged = { warn: [], debug: [] }
    await read(baseConfig(slapd), selection(['admins']), logged)
    expect(logged.warn.join('\n')).toContain('is not encrypted')
  })

  it('ssl_cert_verify: False (tlsVerify false) connects without the CA, with a warning', async () => {
    const logged: Logged = { warn: [], debug: [] }
    const { users } = await read(baseConfig(slapd, { host: slapd.ldapsUrl }), selection(['admins']), logged, false)
    expect(emails(users)).toEqual(['alice@example.test'])
    expect(logged.warn.join('\n')).toContain('not verified')
  })

  it('an unreachable server is a network error (exit 4) naming it', async () => {
    const port = await freePort()
    const error = await failure(read(baseConfig(slapd, { host: `ldap://127.0.0.1:${port}` }), selection(['admins'])))
    expect(error.exitCode).toBe(ExitCode.network)
    expect(error.message).toContain(`ldap://127.0.0.1:${port}`)
    expect(error.message).toContain('connection refused')
  })
})

describe('check() for ust net check', () => {
  const check = (config: Record<string, unknown>) => ldapSourceDefinition.create(config, contextFor()).check?.() ?? []

  it('reports connect, TLS, bind and base search', async () => {
    trustTestCa()
    const results = await check(baseConfig(slapd, { host: slapd.ldapsUrl }))
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['LDAP connect', 'ok'],
      ['LDAP TLS', 'ok'],
      ['LDAP bind', 'ok'],
      ['LDAP base search', 'ok'],
    ])
    expect(results.map((r) => r.endpoint)).toEqual(Array(results.length).fill(slapd.ldapsUrl))
  })

  it('warns about an unencrypted connection', async () => {
    const results = await check(baseConfig(slapd))
    expect(results.find((r) => r.name === 'LDAP TLS')?.status).toBe('warn')
    expect(results.at(-1)).toMatchObject({ name: 'LDAP base search', status: 'ok' })
  })

  it('stops at the failing step: TLS without the CA, bind with a wrong password', async () => {
    const tlsFail = await check(baseConfig(slapd, { host: slapd.ldapsUrl }))
    expect(tlsFail.at(-1)).toMatchObject({ name: 'LDAP TLS', status: 'fail' })
    expect(tlsFail.at(-1)?.detail).toContain(ISSUER)
    const bindFail = await check(baseConfig(slapd, { password: 'nope-nope' }))
    expect(bindFail.at(-1)).toMatchObject({ name: 'LDAP bind', status: 'fail' })
    expect(bindFail.at(-1)?.detail).not.toContain('nope-nope')
  })
})
