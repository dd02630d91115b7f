import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type FakeUmapi,
  freePort as closedPort,
  runInKeyringSession,
  startTinyproxy,
  type Tinyproxy,
} from '@ust-sync/test-servers'
import {
  createAuthority,
  netEnv,
  removeAll,
  startHttpsFake,
  type TestAuthority,
  umapiConfigDir,
} from './net-helpers.js'
import { BIN, runCli } from './run-cli.js'

// ust sync to the fake UMAPI (HTTPS) through a real tinyproxy with basic auth; the proxy's log proves
// which requests went through it.
const USER = 'ustproxy'
const PASSWORD = 'Pr0xyPassw0rd9'
let ca: TestAuthority
let proxy: Tinyproxy
let f: FakeUmapi
const dirs: string[] = []

beforeAll(async () => {
  ca = createAuthority('UST Test Server CA')
  proxy = await startTinyproxy({ user: USER, password: PASSWORD })
  f = await startHttpsFake(ca)
})
afterEach(() => removeAll(dirs))
afterAll(async () => {
  await f.close()
  await proxy.stop()
  ca.remove()
})

async function dirWith(network: string[]): Promise<string> {
  const dir = await umapiConfigDir(f, { network: [`ca_file: ${ca.caFile}`, ...network] })
  dirs.push(dir)
  return dir
}

const fakeTarget = () => `127.0.0.1:${new URL(f.url).port}`
const OPAQUE = /fetch failed|UND_ERR|Request was cancelled/

function expectNoPassword(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(PASSWORD)
    expect(text).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'))
  }
}

describe('HTTP proxy with basic auth (tinyproxy)', { timeout: 120_000 }, () => {
  it('goes through the proxy with the right credentials from network.proxy', async () => {
    const dir = await dirWith([`proxy: ${proxy.url}`, `proxy_user: ${USER}`, `proxy_password: ${PASSWORD}`])
    const mark = proxy.mark()
    const run = await runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv() })
    expect(run.code, run.stderr).toBe(0)
    expect(proxy.requests(mark)).toContain(`CONNECT ${fakeTarget()} HTTP/1.1`)
    expectNoPassword(run.stdout, run.stderr)
  })

  it('takes the proxy password from the OS keyring (secure_proxy_password_key, account proxy_user), as UST', async () => {
    const dir = await dirWith([
      `proxy: ${proxy.url}`,
      `proxy_user: ${USER}`,
      'secure_proxy_password_key: ust-e2e-proxy',
    ])
    const store = `printf %s "$E2E_SECRET" | secret-tool store --label "ust proxy" service ust-e2e-proxy username ${USER}`
    const cli = [process.execPath, BIN, 'sync', '--process-groups']
    const mark = proxy.mark()
    const run = await runInKeyringSession(['sh', '-c', `${store} && unset E2E_SECRET && exec "$@"`, 'sh', ...cli], {
      cwd: dir,
      env: netEnv({ E2E_SECRET: PASSWORD, NODE_OPTIONS: '' }),
    })
    expect(run.code, run.stderr).toBe(0)
    expect(proxy.requests(mark)).toContain(`CONNECT ${fakeTarget()} HTTP/1.1`)
    expectNoPassword(run.stdout, run.stderr)
  })

  it('uses HTTPS_PROXY from the environment when the config names no proxy (UST compatibility)', async () => {
    const dir = await dirWith([])
    const mark = proxy.mark()
    const run = await runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv({ HTTPS_PROXY: proxy.authUrl }) })
    expect(run.code, run.stderr).toBe(0)
    expect(proxy.requests(mark)).toContain(`CONNECT ${fakeTarget()} HTTP/1.1`)
  })

  it('says the proxy refused the credentials (exit 4), never showing the password', async () => {
    const dir = await dirWith([`proxy: ${proxy.url}`, `proxy_user: ${USER}`, 'proxy_password: wrong-Passw0rd'])
    const run = await runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv() })
    expect(run.code).toBe(4)
    expect(run.stderr).toMatch(
      new RegExp(`The proxy ${proxy.url} refused the credentials of user "${USER}" \\(HTTP 40[17]\\)`),
    )
    expect(run.stderr).toContain('network.proxy_user and network.secure_proxy_password_key')
    expect(run.stderr).not.toMatch(OPAQUE)
    expect(run.stderr).not.toContain('wrong-Passw0rd')
  })

  it('says the proxy requires credentials when none are given', async () => {
    const dir = await dirWith([`proxy: ${proxy.url}`])
    const run = await runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv() })
    expect(run.code).toBe(4)
    expect(run.stderr).toMatch(
      /The proxy http:\/\/127\.0\.0\.1:\d+ requires credentials \(HTTP 40[17]\) and none are configured/,
    )
  })

  it('goes direct for a host excluded by no_proxy (nothing in the proxy log)', async () => {
    const dir = await dirWith([`proxy: ${proxy.url}`, 'no_proxy: 127.0.0.1'])
    const mark = proxy.mark()
    const run = await runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv() })
    expect(run.code, run.stderr).toBe(0)
    expect(proxy.requests(mark)).toEqual([])
  })

  it('says the proxy cannot be reached when it is down', async () => {
    const port = await closedPort()
    const dir = await dirWith([`proxy: http://127.0.0.1:${port}`])
    const run = await runCli(['sync', '--process-groups'], { cwd: dir, env: netEnv() })
    expect(run.code).toBe(4)
    expect(run.stderr).toContain(
      `The proxy http://127.0.0.1:${port} (network.proxy) cannot be reached: connection refused`,
    )
    expect(run.stderr).not.toMatch(OPAQUE)
  })
})
