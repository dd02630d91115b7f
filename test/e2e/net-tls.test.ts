import { mkdtemp } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer as createTlsServer } from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { FakeUmapi } from '@ust-sync/test-servers'
import {
  createAuthority,
  netEnv,
  removeAll,
  startHttpsFake,
  type TestAuthority,
  umapiConfigDir,
} from './net-helpers.js'
import { runCli } from './run-cli.js'

// ust sync against the fake UMAPI over HTTPS, the machine's own CA variables removed (net-helpers netEnv).
let ca: TestAuthority
const fakes: FakeUmapi[] = []
const dirs: string[] = []

beforeAll(() => {
  ca = createAuthority('UST Test Server CA')
})
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
  await removeAll(dirs)
})
afterAll(() => ca.remove())

async function fake(options: Parameters<typeof startHttpsFake>[1] = {}): Promise<FakeUmapi> {
  const f = await startHttpsFake(ca, options)
  fakes.push(f)
  return f
}

async function sync(dir: string, env: NodeJS.ProcessEnv = {}) {
  return runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv(env) })
}

const OPAQUE = /fetch failed|UND_ERR|Request was cancelled|NODE_EXTRA_CA_CERTS/

describe('TLS trust and certificate failures (ust sync, exit 4)', { timeout: 120_000 }, () => {
  it('refuses a server whose CA is not configured, naming the issuer and saying to set ca_file', async () => {
    const f = await fake()
    const dir = await umapiConfigDir(f)
    dirs.push(dir)
    const run = await sync(dir)
    expect(run.code).toBe(4)
    expect(run.stderr).toContain(
      'The TLS certificate of 127.0.0.1 is not trusted: it was issued by "UST Test Server CA"',
    )
    expect(run.stderr).toContain('set network.ca_file to it')
    expect(run.stderr).not.toMatch(OPAQUE)
    expect(f.requests).toHaveLength(0)
  })

  it('works with the CA in network.ca_file, or in REQUESTS_CA_BUNDLE (UST compatibility)', async () => {
    const f = await fake()
    const withCaFile = await umapiConfigDir(f, { network: [`ca_file: ${ca.caFile}`] })
    const plain = await umapiConfigDir(f)
    dirs.push(withCaFile, plain)
    const viaConfig = await sync(withCaFile)
    expect(viaConfig.code, viaConfig.stderr).toBe(0)
    expect(f.org.findUser('bob.stone@example.com')?.email).toBe('bob.stone@example.com')
    const viaEnv = await sync(plain, { REQUESTS_CA_BUNDLE: ca.caFile })
    expect(viaEnv.code, viaEnv.stderr).toBe(0)
  })

  it('reports an expired certificate with its date', async () => {
    const f = await fake({ expired: true })
    const dir = await umapiConfigDir(f, { network: [`ca_file: ${ca.caFile}`] })
    dirs.push(dir)
    const run = await sync(dir)
    expect(run.code).toBe(4)
    expect(run.stderr).toContain('The TLS certificate of 127.0.0.1 expired on 2020-02-01 00:00:00 UTC')
    expect(run.stderr).not.toMatch(OPAQUE)
  })

  it('reports a host-name mismatch naming both names', async () => {
    const f = await fake({ commonName: 'other.example', altNames: ['DNS:other.example', 'DNS:www.other.example'] })
    const dir = await umapiConfigDir(f, { network: [`ca_file: ${ca.caFile}`] })
    dirs.push(dir)
    const run = await sync(dir)
    expect(run.code).toBe(4)
    expect(run.stderr).toContain(
      'The TLS certificate presented for 127.0.0.1 does not name it: it is for other.example, www.other.example',
    )
    expect(run.stderr).not.toMatch(OPAQUE)
  })

  it('server.ssl_verify: false skips verification for that org only, with a warning naming the host', async () => {
    const f = await fake()
    const dir = await umapiConfigDir(f, { serverExtra: ['ssl_verify: false'] })
    dirs.push(dir)
    const run = await sync(dir)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(
      'SSL certificate verification is bypassed for 127.0.0.1 (server.ssl_verify: False); other hosts are still verified',
    )
    // The exception is not process-wide: net check of the same server under another name still verifies.
    const check = await runCli(
      ['net', 'check', '--json', '--host', `https://localhost:${new URL(f.url).port}/status`],
      {
        cwd: dir,
        env: netEnv(),
      },
    )
    expect(check.code).toBe(4)
    const report = JSON.parse(check.stdout) as {
      endpoints: { name: string; stages: { stage: string; status: string }[] }[]
    }
    const host = report.endpoints.find((e) => e.name === '--host')!
    expect(host.stages.find((s) => s.stage === 'tls')?.status).toBe('fail')
    expect(
      report.endpoints
        .filter((e) => e.name !== '--host')
        .map((e) => [e.name, e.stages.find((s) => s.stage === 'tls')?.status]),
    ).toEqual([
      ['IMS', 'warn'],
      ['UMAPI', 'warn'],
    ])
  })
})

describe('ust net check: the advice for an untrusted certificate follows the route', { timeout: 120_000 }, () => {
  it('LDAPS with an internal CA on a direct route names the CA and network.ca_file, not a proxy', async () => {
    const internal = createAuthority('Corp Internal Root CA')
    const { keyPem, certPem } = internal.issue({ commonName: 'localhost' })
    const server = createTlsServer({ key: keyPem, cert: certPem }, (s) => s.end())
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as AddressInfo).port
    const dir = await mkdtemp(join(tmpdir(), 'ust-net-tls-'))
    dirs.push(dir)
    try {
      const run = await runCli(['net', 'check', '--host', `ldaps://127.0.0.1:${port}`], { cwd: dir, env: netEnv() })
      expect(run.code).toBe(4)
      const lines = run.stdout.split('\n')
      const at = lines.findIndex((l) => l.startsWith(`--host ldaps://127.0.0.1:${port}`))
      expect(lines.slice(at + 2, at + 6)).toEqual([
        '  ok    route  direct (LDAPS never uses an HTTP proxy)',
        expect.stringMatching(/^ {2}ok {4}tcp {4}connected to 127\.0\.0\.1:\d+ \(\d+ ms\)$/),
        expect.stringMatching(
          /^ {2}FAIL {2}tls {4}The TLS certificate of 127\.0\.0\.1 is not trusted: it was issued by "Corp Internal Root CA", a CA this machine does not trust\. The connection is direct \(no proxy\) and "Corp Internal Root CA" is not a public CA: 127\.0\.0\.1 uses a certificate from a private CA, such as the organisation's internal CA\. Presented chain: /,
        ),
        '              → Export the certificate of "Corp Internal Root CA" as a PEM file (the administrator of 127.0.0.1 can provide it) and set network.ca_file to it (or REQUESTS_CA_BUNDLE).',
      ])
      expect(run.stdout).not.toMatch(/TLS-inspecting|allow-list|in the proxy/)
    } finally {
      await new Promise((r) => server.close(r))
      internal.remove()
    }
  })
})
