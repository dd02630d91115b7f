import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { mkdtemp, readdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { NetCheckResult } from '../../src/network/net-check.types.js'
import { type FakeUmapi, freePort, startInterceptingProxy } from '@ust-sync/test-servers'
import {
  createAuthority,
  netEnv,
  removeAll,
  startHttpsFake,
  type TestAuthority,
  umapiConfigDir,
} from './net-helpers.js'
import { jsonOf, runCli } from './run-cli.js'

let serverCa: TestAuthority
let corporateCa: TestAuthority
let f: FakeUmapi
const dirs: string[] = []
const closers: (() => Promise<void> | void)[] = []

beforeAll(async () => {
  serverCa = createAuthority('UST Test Server CA')
  corporateCa = createAuthority('Corp Inspection CA')
  f = await startHttpsFake(serverCa)
})
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()))
  await removeAll(dirs)
})
afterAll(async () => {
  await f.close()
  serverCa.remove()
  corporateCa.remove()
})

const stagesOf = (e: NetCheckResult['endpoints'][number]) => e.stages.map((s) => [s.stage, s.status])
const OPAQUE = /fetch failed|UND_ERR|Request was cancelled/

async function emptyDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ust-net-check-'))
  dirs.push(dir)
  return dir
}

describe('ust net check', { timeout: 120_000 }, () => {
  it('--json against the fake UMAPI/IMS over HTTPS: every stage and both plugin checks ok', async () => {
    const dir = await umapiConfigDir(f, { network: [`ca_file: ${serverCa.caFile}`] })
    dirs.push(dir)
    const run = await runCli(['net', 'check', '--json'], { cwd: dir, env: netEnv() })
    expect(run.code, run.stderr).toBe(0)
    const result = jsonOf<NetCheckResult>(run)
    expect(result.ok).toBe(true)
    expect(result.endpoints.map((e) => [e.name, e.owner])).toEqual([
      ['IMS', 'umapi (primary)'],
      ['UMAPI', 'umapi (primary)'],
    ])
    for (const e of result.endpoints) {
      expect(stagesOf(e)).toEqual([
        ['dns', 'ok'],
        ['route', 'ok'],
        ['tcp', 'ok'],
        ['tls', 'ok'],
        ['http', 'ok'],
      ])
      const tls = e.stages.find((s) => s.stage === 'tls')!.tls!
      expect(tls).toMatchObject({ trusted: true, hostnameMatches: true, publicRoot: false })
      expect(tls.chain[0]).toMatchObject({ subject: 'localhost', issuer: 'UST Test Server CA' })
    }
    expect(result.auth.map((a) => [a.name, a.status])).toEqual([
      ['IMS token', 'ok'],
      ['UMAPI status', 'ok'],
    ])
    expect(result.firewall).toEqual([`127.0.0.1:${new URL(f.url).port}`])
    expect(run.stdout).not.toContain(f.clientSecret)
  })

  it('diagnoses a TLS-inspecting proxy; with its CA in ca_file, ust sync works through it', async () => {
    const { keyPem, certPem } = corporateCa.issue({ commonName: 'localhost' })
    const interceptor = await startInterceptingProxy({ key: keyPem, cert: certPem, upstreamCa: serverCa.caPem })
    closers.push(() => interceptor.close())
    const inspected = await umapiConfigDir(f, { network: [`proxy: ${interceptor.url}`] })
    dirs.push(inspected)
    const check = await runCli(['net', 'check', '--json'], { cwd: inspected, env: netEnv() })
    expect(check.code).toBe(4)
    const result = jsonOf<NetCheckResult>(check)
    const tls = result.endpoints[0]!.stages.find((s) => s.stage === 'tls')!
    expect(stagesOf(result.endpoints[0]!).slice(0, 4)).toEqual([
      ['dns', 'ok'],
      ['route', 'ok'],
      ['tcp', 'ok'],
      ['proxy', 'ok'],
    ])
    expect(tls.status).toBe('fail')
    expect(tls.failure?.code).toBe('network.tls-untrusted')
    expect(tls.detail).toContain('issued by "Corp Inspection CA"')
    expect(tls.detail).toContain('a TLS-inspecting proxy or firewall is probably in the way')
    expect(tls.suggestion).toContain('set network.ca_file')
    expect(result.auth.map((a) => [a.owner, a.status])).toEqual([['umapi (primary)', 'skipped']])
    // One CONNECT per endpoint probed (IMS and UMAPI, both on the fake).
    expect(interceptor.connects).toEqual(Array(2).fill(new URL(f.url).host))

    const human = await runCli(['net', 'check'], { cwd: inspected, env: netEnv() })
    expect(human.code).toBe(4)
    expect(human.stdout).toMatch(/FAIL +tls +The TLS certificate of 127\.0\.0\.1 is not trusted/)
    expect(human.stdout).toContain('→ Export the certificate of "Corp Inspection CA"')
    expect(human.stdout).toContain('Allow these through the firewall (outbound):')

    const trusted = await umapiConfigDir(f, {
      network: [`proxy: ${interceptor.url}`, `ca_file: ${corporateCa.caFile}`],
    })
    dirs.push(trusted)
    const before = interceptor.connects.length
    const sync = await runCli(['sync', '--process-groups'], { cwd: trusted, env: netEnv() })
    expect(sync.code, sync.stderr).toBe(0)
    // Through the proxy, to the fake only (how many connections depends on keep-alive).
    expect(new Set(interceptor.connects.slice(before))).toEqual(new Set([new URL(f.url).host]))
    expect(f.org.findUser('bob.stone@example.com')?.email).toBe('bob.stone@example.com')
  })

  it('explains DNS failure, refused connection and timeout per --host, exiting non-zero', async () => {
    const dir = await emptyDir()
    const silent = createTcpServer((s: Socket) => void s.on('error', () => {}))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const sockets = new Set<Socket>()
    silent.on('connection', (s) => sockets.add(s))
    closers.push(() => {
      for (const s of sockets) s.destroy()
      silent.close()
    })
    const silentPort = (silent.address() as { port: number }).port
    const refusedPort = await freePort()
    const run = await runCli(
      [
        'net',
        'check',
        '--json',
        '--timeout',
        '1',
        '--host',
        'https://umapi.nonexistent.invalid',
        '--host',
        `https://127.0.0.1:${refusedPort}`,
        '--host',
        `127.0.0.1:${silentPort}`,
      ],
      { cwd: dir, env: netEnv() },
    )
    expect(run.code).toBe(4)
    const [dns, refused, timeout] = jsonOf<NetCheckResult>(run).endpoints
    expect(dns!.stages.at(-1)).toMatchObject({ stage: 'dns', status: 'fail' })
    expect(dns!.stages.at(-1)!.detail).toMatch(/^DNS: the host name umapi\.nonexistent\.invalid could not be resolved/)
    expect(refused!.stages.at(-1)).toMatchObject({
      stage: 'tcp',
      status: 'fail',
      detail: `Connection refused by 127.0.0.1:${refusedPort}: nothing accepts connections on that port`,
    })
    expect(timeout!.stages.at(-1)).toMatchObject({ stage: 'tls', status: 'fail' })
    expect(timeout!.stages.at(-1)!.detail).toContain(`no TLS answer from 127.0.0.1:${silentPort} within 1 s`)
    expect(run.stdout).not.toMatch(OPAQUE)
  })
})

describe('ust sync network failures (plain words, right exit code)', { timeout: 120_000 }, () => {
  it('refuses plain http:// to another machine as a config error', async () => {
    const dir = await umapiConfigDir(f, { url: 'http://umapi.example.com' })
    dirs.push(dir)
    const run = await runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv() })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      'http://umapi.example.com is plain http://: the credentials sent to it would travel unencrypted',
    )
    expect(run.stderr).toContain('network.allow_insecure_http')
  })

  it('a DNS failure exits 4 with its own message', async () => {
    const dir = await umapiConfigDir(f, { url: 'https://umapi.nonexistent.invalid', retries: 1 })
    dirs.push(dir)
    const run = await runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv() })
    expect(run.code).toBe(4)
    expect(run.stderr).toContain('DNS: the host name umapi.nonexistent.invalid could not be resolved')
    expect(run.stderr).not.toMatch(OPAQUE)
  })

  it('a server that never answers exits 4: no reply within server.timeout', async () => {
    const silent = createTcpServer((s: Socket) => void s.on('error', () => {}))
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const sockets = new Set<Socket>()
    silent.on('connection', (s) => sockets.add(s))
    closers.push(() => {
      for (const s of sockets) s.destroy()
      silent.close()
    })
    const port = (silent.address() as { port: number }).port
    const dir = await umapiConfigDir(f, { url: `https://127.0.0.1:${port}`, retries: 1, timeout: 1 })
    dirs.push(dir)
    const run = await runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv() })
    expect(run.code, run.stderr).toBe(4)
    expect(run.stderr).toContain(`No reply from 127.0.0.1:${port} within 1 s`)
    expect(run.stderr).not.toMatch(OPAQUE)
  })

  it('a secret echoed URL-encoded by an error page never reaches stderr, --json or the log', async () => {
    const secret = 'Echo/S3cr+t&é=x'
    let echoed = ''
    const ims: Server = createHttpServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        echoed = body
        res.writeHead(400, { 'content-type': 'text/html' }).end(`<html><body>Bad request: ${body}</body></html>`)
      })
    })
    await new Promise<void>((r) => ims.listen(0, '127.0.0.1', r))
    closers.push(() => void ims.close())
    const dir = await umapiConfigDir(f, {
      authUrl: `http://127.0.0.1:${(ims.address() as { port: number }).port}`,
      secret,
      network: [`ca_file: ${serverCa.caFile}`],
      mainExtra: ['logging:', '  log_to_file: True', '  file_log_directory: logs', '  file_log_level: debug'],
    })
    dirs.push(dir)
    const run = await runCli(['sync', '--process-groups', '--json'], { cwd: dir, env: netEnv() })
    const human = await runCli(['sync', '--process-groups', '--log-level', 'debug'], { cwd: dir, env: netEnv() })
    expect(echoed).toContain(new URLSearchParams({ client_secret: secret }).toString())
    const logs = await Promise.all(
      (await readdir(join(dir, 'logs'))).map((name) => readFile(join(dir, 'logs', name), 'utf8')),
    )
    expect(run.code).not.toBe(0)
    expect(human.stderr).toContain('Bad request')
    for (const text of [run.stdout, run.stderr, human.stdout, human.stderr, ...logs]) {
      expect(text).not.toContain(secret)
      expect(text).not.toContain(encodeURIComponent(secret))
      expect(text).not.toContain(new URLSearchParams({ s: secret }).toString().slice(2))
    }
  })
})
