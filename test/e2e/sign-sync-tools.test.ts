import { randomBytes } from 'node:crypto'
import { readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, type FakeSign, startTinyproxy, type TestCa } from '@ust-sync/test-servers'
import { netEnv } from './net-helpers.js'
import { runUst } from './credentials-helpers.js'
import { fakeSign, signConfig, signSummary, signSync } from './sign-helpers.js'

const KEY = `e2e-SignKey-${randomBytes(12).toString('hex')}`
let ca: TestCa
const fakes: FakeSign[] = []
const dirs: string[] = []

beforeAll(() => {
  ca = createTestCa()
  process.env.UST_TEST_CA_DIR = ca.dir
})
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})
afterAll(async () => {
  await Promise.all([...dirs, ca.dir].map((d) => rm(d, { recursive: true, force: true })))
})

async function setup(edit?: Parameters<typeof signConfig>[2]) {
  const fake = await fakeSign(ca, KEY)
  fakes.push(fake)
  const dir = await signConfig(fake, KEY, edit)
  dirs.push(dir)
  return { fake, dir }
}

const env = (dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  UST_DATA_DIR: join(dir, 'data'),
  NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  NO_PROXY: '127.0.0.1,localhost',
  NO_COLOR: '1',
  ...extra,
})

describe('ust sign-sync tools', () => {
  it('goes through the proxy and trusts the CA named in network:, exactly as for UMAPI', async () => {
    const USER = 'ustproxy'
    const PASSWORD = `Pr0xy-${randomBytes(6).toString('hex')}`
    const proxy = await startTinyproxy({ user: USER, password: PASSWORD })
    try {
      const { fake, dir } = await setup({
        main: (t) =>
          `${t}\nnetwork:\n  proxy: ${proxy.url}\n  proxy_user: ${USER}\n  proxy_password: ${PASSWORD}\n  ca_file: ${join(ca.dir, 'ca.crt')}\n`,
      })
      const mark = proxy.mark()
      const run = await runUst(['sign-sync', '-c', join(dir, 'sign-sync-config.yml'), '--allow-directory-drop'], {
        cwd: dir,
        env: netEnv({ UST_DATA_DIR: join(dir, 'data'), NODE_EXTRA_CA_CERTS: undefined }),
      })
      expect(run.code, run.stderr + run.stdout).toBe(0)
      const seen = proxy.requests(mark)
      expect(seen).toContain(`CONNECT ${fake.host} HTTP/1.1`)
      expect(seen).toContain(`CONNECT ${new URL(fake.apiAccessPoint).host} HTTP/1.1`)
      expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD)
      expect(`${run.stdout}${run.stderr}`).not.toContain(KEY)
    } finally {
      await proxy.stop()
    }
  })

  it('writes the HTML report (owner only) and the metrics file (0644, for node_exporter) as ust sync does', async () => {
    const { dir } = await setup()
    const report = join(dir, 'report.html')
    const metrics = join(dir, 'ust.prom')
    const run = await runUst(
      [
        'sign-sync',
        '-c',
        join(dir, 'sign-sync-config.yml'),
        '--allow-directory-drop',
        '--report',
        report,
        '--metrics-file',
        metrics,
      ],
      { cwd: dir, env: env(dir) },
    )
    expect(run.code, run.stderr + run.stdout).toBe(0)
    expect((await stat(report)).mode & 0o777).toBe(0o600)
    // No names or emails in it: counts only, readable by the node_exporter's user.
    expect((await stat(metrics)).mode & 0o777).toBe(0o644)
    const { readFile } = await import('node:fs/promises')
    const html = await readFile(report, 'utf8')
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('Content-Security-Policy')
    expect(await readFile(metrics, 'utf8')).toMatch(/^ust_sync_exit_code 0$/m)
    for (const text of [html, run.stdout, run.stderr]) expect(text).not.toContain(KEY)
  })

  it('an empty directory changes no Sign-only user (exit 9); ust sync refuses a Sign Sync config', async () => {
    const { fake, dir } = await setup()
    const { writeFile } = await import('node:fs/promises')
    await writeFile(join(dir, 'users.csv'), 'firstname,lastname,email,country,groups\n')
    const run = await runUst(['sign-sync', '-c', join(dir, 'sign-sync-config.yml')], { cwd: dir, env: env(dir) })
    expect(run.code).toBe(9)
    expect(`${run.stdout}${run.stderr}`).toContain('the directory returned 0 users')
    // Only the mapped group is created (as UST does, users or not); no user is touched.
    expect(fake.requests.filter((r) => r.method !== 'GET').map((r) => r.endpoint)).toEqual(['createGroup'])
    const sync = await runUst(['sync', '-c', join(dir, 'sign-sync-config.yml')], { cwd: dir, env: env(dir) })
    expect(sync.code).toBe(2)
    expect(sync.stderr).toContain('ust sign-sync')
  })

  it('without -c reads ./sign-sync-config.yml, as UST does; --json gives the Sign counts', async () => {
    const { fake, dir } = await setup()
    const run = await runUst(['sign-sync', '-t', '--allow-directory-drop', '--json'], { cwd: dir, env: env(dir) })
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as { testMode: boolean; sign: Record<string, number> }
    expect(result.testMode).toBe(true)
    expect(result.sign).toMatchObject({ created: 2, groupsUpdated: 2, rolesUpdated: 2, signOnly: 1 })
    expect(fake.requests.filter((r) => r.method !== 'GET')).toHaveLength(0)
    expect(run.stdout).not.toContain(KEY)
  })

  it('ust net check probes the Sign host and the key; the key is never printed', async () => {
    const { dir } = await setup()
    const run = await runUst(['net', 'check', '-c', join(dir, 'sign-sync-config.yml'), '--json'], {
      cwd: dir,
      env: env(dir),
    })
    expect(run.code, run.stderr + run.stdout).toBe(0)
    expect(run.stdout).toContain('Acrobat Sign integration key')
    expect(`${run.stdout}${run.stderr}`).not.toContain(KEY)
  })

  it('secure_integration_key_key reads the key from the credential store (ust credentials set)', async () => {
    const { fake, dir } = await setup({
      connector: (t) => t.replace(`integration_key: ${KEY}`, 'secure_integration_key_key: ust-sign-key'),
    })
    const store = env(dir, { UST_CREDENTIAL_BACKEND: 'file', UST_CREDENTIALS_PASSPHRASE: 'pass-phrase-e2e' })
    const set = await runUst(
      [
        'credentials',
        'set',
        'ust-sign-key',
        '-u',
        'sign.owner@example.com',
        '--stdin',
        '-c',
        join(dir, 'sign-sync-config.yml'),
      ],
      { cwd: dir, env: store, stdin: `${KEY}\n` },
    )
    expect(set.code, set.stderr + set.stdout).toBe(0)
    const run = await runUst(['sign-sync', '-c', join(dir, 'sign-sync-config.yml'), '--allow-directory-drop'], {
      cwd: dir,
      env: store,
    })
    expect(run.code, run.stderr + run.stdout).toBe(0)
    expect(fake.account.describe('ann.lee@example.com').primary).toBe('Group 1')
    expect(`${run.stdout}${run.stderr}`).not.toContain(KEY)
  })

  it('the cache: a first run reads every user, a cached run only the lists and the users written to; files are 0600', async () => {
    const { fake, dir } = await setup()
    const first = await signSync(dir)
    expect(first.code, first.stderr).toBe(0)
    // 6 Sign users besides the key owner: 2 reads each; baseUris, one users page, one groups page.
    const firstReads = fake.counts()
    expect(firstReads.baseUris).toBe(1)
    expect(firstReads.listUsers).toBe(1)
    expect(firstReads.listGroups).toBe(1)
    expect(firstReads.getUserGroups).toBeGreaterThanOrEqual(6)
    const cacheDir = join(dir, 'cache/sign/primary')
    const [file] = await readdir(cacheDir)
    expect(((await stat(join(cacheDir, file ?? ''))).mode & 0o777).toString(8)).toBe('600')
    fake.resetCounts()
    const second = await signSync(dir)
    expect(second.code, second.stderr).toBe(0)
    expect(signSummary(second.stdout).get('Number of Sign users updated')).toBe('0')
    const cached = fake.counts()
    // Users written to in the first run (ann, bob, carl, dana, ivy, zed) are read again; the rest come from the cache.
    expect(cached.baseUris).toBe(1)
    expect(cached.listUsers).toBe(1)
    fake.resetCounts()
    const third = await signSync(dir)
    expect(third.code).toBe(0)
    const third_ = fake.counts()
    expect(third_.getUser ?? 0).toBe(0)
    expect(third_.getUserGroups ?? 0).toBe(0)
    expect(fake.total()).toBe(3)
  })
})
