import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { offlineLdif, onlineLdif } from '../../plugins/ldap/test/fixture-directory.js'
import {
  ADMIN_PASSWORD,
  createTestCa,
  type FakeUmapi,
  freePort,
  type Slapd,
  startFakeUmapi,
  startSlapd,
  startTinyproxy,
  type TestCa,
  type Tinyproxy,
} from '@ust-sync/test-servers'
import type { NetCheckResult } from '../../src/network/net-check.types.js'
import { createAuthority, netEnv, removeAll, type TestAuthority, umapiConfigDir } from './net-helpers.js'
import { type CliRun, jsonOf, runCli } from './run-cli.js'
import { E2E_FIXTURES, freshCopy } from './sync-helpers.js'

// Mutual TLS: a fake UMAPI + IMS and an OpenLDAP that refuse any client without a certificate from the
// "client CA"; ust offers the one network.client_certificates names, directly and through tinyproxy.
const PASSPHRASE = `cl1ent-Key-${randomBytes(9).toString('hex')}`
let serverCa: TestAuthority
let clientCa: TestAuthority
let pem: { cert: string; key: string }
let pkcs12: string
/** A client certificate from a CA the servers do not accept. */
let stranger: { cert: string; key: string }
let fake: FakeUmapi
let proxy: Tinyproxy
const dirs: string[] = []

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] })

beforeAll(async () => {
  serverCa = createAuthority('UST Test Server CA')
  clientCa = createAuthority('UST Test Client CA')
  const client = clientCa.issue({ commonName: 'ust-sync-client', client: true })
  pem = { cert: `${client.base}.crt`, key: `${client.base}.enc.key` }
  openssl('pkey', '-in', `${client.base}.key`, '-aes256', '-passout', `pass:${PASSPHRASE}`, '-out', pem.key)
  pkcs12 = `${client.base}.p12`
  openssl(
    'pkcs12',
    '-export',
    '-in',
    pem.cert,
    '-inkey',
    `${client.base}.key`,
    '-passout',
    `pass:${PASSPHRASE}`,
    '-out',
    pkcs12,
  )
  const other = serverCa.issue({ commonName: 'someone-else', client: true })
  stranger = { cert: `${other.base}.crt`, key: `${other.base}.key` }
  const server = serverCa.issue({ commonName: 'localhost' })
  fake = await startFakeUmapi({ tls: { key: server.keyPem, cert: server.certPem, clientCa: clientCa.caPem } })
  fake.org.addUserGroup('Design Team')
  fake.org.addUserGroup('Marketing Team')
  fake.org.addProductProfile('Creative Cloud - Design', { productName: 'Creative Cloud' })
  proxy = await startTinyproxy()
}, 60_000)
afterEach(() => removeAll(dirs))
afterAll(async () => {
  await fake?.close()
  await proxy?.stop()
  serverCa?.remove()
  clientCa?.remove()
})

/** The sync-umapi fixture trusting the server CA, with `certificate` lines under network.client_certificates. */
async function dirWith(certificate: string[] | undefined, network: string[] = []): Promise<string> {
  const lines = [`ca_file: ${serverCa.caFile}`, ...network]
  if (certificate) lines.push('client_certificates:', '  fake-umapi:', ...certificate.map((l) => `    ${l}`))
  const dir = await umapiConfigDir(fake, { network: lines })
  dirs.push(dir)
  return dir
}

const sync = (dir: string, env: NodeJS.ProcessEnv = {}) =>
  runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv(env) })

function expectNoPassphrase(run: CliRun): void {
  for (const text of [run.stdout, run.stderr]) {
    expect(text).not.toContain(PASSPHRASE)
    expect(text).not.toContain(encodeURIComponent(PASSPHRASE))
    expect(text).not.toContain(Buffer.from(PASSPHRASE).toString('base64'))
  }
}

describe('client certificates (mutual TLS) for UMAPI and IMS', { timeout: 120_000 }, () => {
  it('offers the PEM certificate with its encrypted key and syncs', async () => {
    const served = fake.requests.length
    const dir = await dirWith([
      'hosts: [127.0.0.1]',
      `cert_file: ${pem.cert}`,
      `key_file: ${pem.key}`,
      `passphrase: ${PASSPHRASE}`,
    ])
    const run = await sync(dir)
    expect(run.code, run.stderr).toBe(0)
    expect(fake.requests.length).toBeGreaterThan(served)
    expectNoPassphrase(run)
  })

  it('offers a PKCS#12 bundle through the authenticating proxy', async () => {
    const dir = await dirWith(
      ['hosts: ["127.0.0.*", 127.0.0.1]', `pkcs12_file: ${pkcs12}`, `passphrase: ${PASSPHRASE}`],
      [`proxy: ${proxy.url}`],
    )
    const mark = proxy.mark()
    const run = await sync(dir)
    expect(run.code, run.stderr).toBe(0)
    expect(proxy.requests(mark)).toContain(`CONNECT 127.0.0.1:${new URL(fake.url).port} HTTP/1.1`)
    expectNoPassphrase(run)
  })

  it('takes the passphrase from a credential backend (secure_passphrase_key)', async () => {
    const dir = await dirWith([
      'hosts: [127.0.0.1]',
      `pkcs12_file: ${pkcs12}`,
      'secure_passphrase_key: ust-client-cert',
    ])
    await appendFile(join(dir, 'user-sync-config.yml'), 'credentials:\n  backend: env\n')
    const run = await sync(dir, { UST_SECRET_UST_CLIENT_CERT: PASSPHRASE })
    expect(run.code, run.stderr).toBe(0)
    expectNoPassphrase(run)
    const list = await runCli(['credentials', 'list'], {
      cwd: dir,
      env: netEnv({ UST_SECRET_UST_CLIENT_CERT: PASSPHRASE }),
    })
    expect(list.stdout).toMatch(
      /network\.client_certificates\.fake-umapi\.secure_passphrase_key service "ust-client-cert", account ".+\.p12": present/,
    )
    expectNoPassphrase(list)
  })

  it('says the server asks for a client certificate when none is configured (exit 4)', async () => {
    const run = await sync(await dirWith(undefined))
    expect(run.code, run.stderr).toBe(4)
    expect(run.stderr).toMatch(
      /127\.0\.0\.1:\d+ asks for a client certificate \(mutual TLS\), and none is configured for 127\.0\.0\.1/,
    )
    expect(run.stderr).toContain('Add the certificate under network.client_certificates')
  })

  it('stops before connecting when the passphrase does not open the key (exit 2, passphrase never shown)', async () => {
    const served = fake.requests.length
    const dir = await dirWith(['hosts: [127.0.0.1]', `pkcs12_file: ${pkcs12}`, 'passphrase: not-the-Passphrase1'])
    const run = await sync(dir)
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toContain(`network.client_certificates.fake-umapi: the passphrase does not open ${pkcs12}`)
    expect(run.stderr).not.toContain('not-the-Passphrase1')
    expect(fake.requests.length).toBe(served)
  })

  it('net check shows the certificate offered, and names the server that asks for one', async () => {
    const withCert = await dirWith([
      'hosts: [127.0.0.1]',
      `cert_file: ${pem.cert}`,
      `key_file: ${pem.key}`,
      `passphrase: ${PASSPHRASE}`,
    ])
    const ok = await runCli(['net', 'check', '--json'], { cwd: withCert, env: netEnv() })
    const okResult = jsonOf<NetCheckResult>(ok)
    const tls = okResult.endpoints.flatMap((e) => e.stages).filter((s) => s.stage === 'tls')
    expect(tls.length).toBeGreaterThan(0)
    for (const stage of tls)
      expect(stage.detail).toMatch(/client certificate "CN=ust-sync-client" \(expires .+\) from .+ offered when asked/)
    expectNoPassphrase(ok)

    const without = await runCli(['net', 'check'], { cwd: await dirWith(undefined), env: netEnv() })
    expect(without.code).not.toBe(0)
    expect(without.stdout + without.stderr).toMatch(
      /asks for a client certificate \(mutual TLS\), and none is configured/,
    )
  })
})

describe('a TLS server (OpenSSL) that checks the client certificate offered', { timeout: 120_000 }, () => {
  // openssl s_server verifies the client certificate inside the handshake and sends the TLS alert a real
  // server sends (Node's own server just closes the connection).
  let server: ChildProcess | undefined
  let url: string
  beforeAll(async () => {
    const port = await freePort()
    const leaf = serverCa.issue({ commonName: 'localhost' })
    const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', `${leaf.base}.crt`, '-key', `${leaf.base}.key`]
    server = spawn('openssl', [...args, '-CAfile', clientCa.caFile, '-Verify', '1', '-verify_return_error', '-www'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    await new Promise<void>((resolve, reject) => {
      server!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        if (out.includes('ACCEPT')) resolve()
      })
      server!.once('exit', (code) => reject(new Error(`openssl s_server exited (${code}): ${out}`)))
    })
    url = `https://127.0.0.1:${port}/`
  }, 60_000)
  afterAll(() => {
    if (server?.pid && server.exitCode === null) process.kill(server.pid)
  })

  const check = async (certificate: string[] | undefined) =>
    runCli(['net', 'check', '--host', url], { cwd: await dirWith(certificate), env: netEnv() })

  it('says which certificate the server refused and why', async () => {
    const run = await check(['hosts: [127.0.0.1]', `cert_file: ${stranger.cert}`, `key_file: ${stranger.key}`])
    expect(run.code).not.toBe(0)
    expect(run.stdout + run.stderr).toMatch(
      /refused the client certificate "CN=someone-else" \(network\.client_certificates\.fake-umapi\): it was issued by a CA the server does not trust/,
    )
  })

  it('passes with the certificate it accepts', async () => {
    const run = await check(['hosts: [127.0.0.1]', `pkcs12_file: ${pkcs12}`, `passphrase: ${PASSPHRASE}`])
    const text = run.stdout + run.stderr
    expect(text).toMatch(/offered when asked/)
    expect(text).not.toMatch(/refused the client certificate|asks for a client certificate/)
    expectNoPassphrase(run)
  })
})

describe('client certificates for LDAPS', { timeout: 120_000 }, () => {
  let ca: TestCa
  let slapd: Slapd
  beforeAll(async () => {
    ca = createTestCa()
    slapd = await startSlapd({ ca, offline: offlineLdif(0), online: onlineLdif(0), clientCaFile: clientCa.caFile })
  }, 60_000)
  afterAll(async () => {
    await slapd?.dispose()
    if (ca) await rm(ca.dir, { recursive: true, force: true })
  })

  async function ldapDir(certificate: boolean): Promise<string> {
    const dir = await freshCopy(join(E2E_FIXTURES, 'sync-ldap'), 'ust-mtls-ldap-')
    dirs.push(dir)
    const template = await readFile(join(dir, 'connector-ldap.yml.template'), 'utf8')
    await writeFile(
      join(dir, 'connector-ldap.yml'),
      template.replace('__HOST__', slapd.ldapsUrl).replace('__PASSWORD__', ADMIN_PASSWORD),
    )
    const network = ['network:', `  ca_file: ${ca.dir}/ca.crt`]
    if (certificate)
      network.push(
        '  client_certificates:',
        '    directory:',
        '      hosts: [127.0.0.1]',
        `      pkcs12_file: ${pkcs12}`,
        `      passphrase: ${PASSPHRASE}`,
      )
    await appendFile(join(dir, 'user-sync-config.sandbox.yml'), `\n${network.join('\n')}\n`)
    return dir
  }

  const sandboxSync = (dir: string) =>
    runCli(['sync', '-c', join(dir, 'user-sync-config.sandbox.yml'), '--process-groups', '-t'], {
      cwd: dir,
      env: netEnv(),
    })

  it('reads the directory over LDAPS with the client certificate, and fails clearly without it', async () => {
    const run = await sandboxSync(await ldapDir(true))
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Number of directory users read: 4/)
    expectNoPassphrase(run)

    const refused = await sandboxSync(await ldapDir(false))
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('configure it under network.client_certificates')
  })
})
