import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, noexecTmp, runInKeyringSession, startFakeUmapi, type TestCa } from '@ust-sync/test-servers'
import { expectQuickstartSynced, pathWithout, QUICKSTART_FLAGS, quickstartCopy, runProgram } from './install-helpers.js'
import { jsonOf, ROOT } from './run-cli.js'
import { E2E_FIXTURES, freshCopy, summaryOf, writeUmapiConnector } from './sync-helpers.js'

/**
 * The self-contained build (`npm run package`, linux-x64) on a server without Node: unpacked into a fresh
 * directory and run with a PATH that has no `node` and TMPDIR on a noexec mount (when this machine allows
 * one). Set UST_PACKAGE_ARCHIVE to test an archive built earlier instead of building one (~1-3 min).
 */
const VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version
const NODE_VERSION = (await import('../../node_modules/node/package.json', { with: { type: 'json' } })).default.version
/** What the tests need besides ust: a shell for the launcher, D-Bus + gnome-keyring + secret-tool for the keyring. */
const TOOLS = ['sh', 'readlink', 'dbus-run-session', 'dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'].concat([
  'grep',
  'sleep',
  'cat',
  'secret-tool',
])
const tmp = noexecTmp()
/** `ust credentials` is in this build (its own helper lands it; until then that check is skipped). */
const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, unknown>
}
const hasCredentials = 'credentials:set' in MANIFEST.commands && 'credentials:get' in MANIFEST.commands

let work: string
let ust: string
let env: NodeJS.ProcessEnv
let ca: TestCa
/** The archive this suite built (removed afterwards; one given in UST_PACKAGE_ARCHIVE is kept). */
let built: string | undefined

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ust-package-'))
  const tmpDir = tmp.dir ?? join(work, 'tmp')
  execFileSync('mkdir', ['-p', tmpDir, join(work, 'server')])
  let archive = process.env.UST_PACKAGE_ARCHIVE
  if (!archive) {
    const out = execFileSync(process.execPath, ['scripts/package.ts', '--no-build'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TMPDIR: tmpDir },
    })
    archive = out.trim().split('\n').pop()!
    built = archive
  }
  expect(archive).toMatch(new RegExp(`ust-v${VERSION.replaceAll('.', '\\.')}-\\w+-linux-x64\\.tar\\.gz$`))
  execFileSync('tar', ['-xzf', archive, '-C', join(work, 'server')])
  ust = join(work, 'server/ust/bin/ust')
  const path = await pathWithout(TOOLS)
  env = {
    PATH: path,
    HOME: join(work, 'home'),
    TMPDIR: tmpDir,
    UST_DATA_DIR: join(work, 'data'),
    XDG_CACHE_HOME: join(work, 'cache'),
    XDG_CONFIG_HOME: join(work, 'config'),
  }
  ca = createTestCa()
}, 600_000)

afterAll(async () => {
  if (built) await rm(built, { force: true })
  tmp.release?.()
  if (ca) await rm(ca.dir, { recursive: true, force: true })
  if (work) await rm(work, { recursive: true, force: true })
})

describe('the self-contained build on a server without Node', () => {
  it('has no node on PATH, and ust --version runs on the bundled Node 24', async () => {
    expect(spawnSync('sh', ['-c', 'command -v node'], { env }).status).not.toBe(0)
    const run = await runProgram(ust, ['--version'], { env })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout.trim()).toBe(`ust-sync/${VERSION} linux-x64 node-v${NODE_VERSION}`)
  })

  it('runs through a symlink on PATH, as after `ln -s /opt/ust/bin/ust /usr/local/bin/ust`', async () => {
    const bin = join(work, 'usr-local-bin')
    execFileSync('mkdir', ['-p', bin])
    execFileSync('ln', ['-s', ust, join(bin, 'ust')])
    const run = await runProgram('ust', ['--version'], { env: { ...env, PATH: `${bin}:${env.PATH}` } })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(`ust-sync/${VERSION}`)
  })

  it('syncs the quickstart into the sandbox org', async () => {
    const dir = await quickstartCopy('ust-package-qs-')
    try {
      const run = await runProgram(ust, ['sync', '-c', join(dir, 'user-sync-config.yml'), ...QUICKSTART_FLAGS], {
        env,
        cwd: dir,
      })
      expectQuickstartSynced(run)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('reads a secure_X_key secret from the OS keyring through the bundled native addon', async () => {
    const secret = `pkg-Keyr1ng-${randomBytes(12).toString('hex')}`
    const fake = await startFakeUmapi({ tls: { key: ca.keyPem, cert: ca.certPem }, clientSecret: secret })
    const dir = await freshCopy(join(E2E_FIXTURES, 'sync-umapi'), 'ust-package-keyring-')
    try {
      fake.org.addProductProfile('Creative Cloud - Design', { productName: 'Creative Cloud' })
      fake.org.addUserGroup('Design Team')
      // the fixture's 4 directory users are all new to this org
      await writeUmapiConnector(dir, fake, 'secure_client_secret_key: ust-package')
      const store = `printf %s "$E2E_SECRET" | secret-tool store --label 'UST client secret' service ust-package username "$E2E_ACCOUNT"`
      const cli = [ust, 'sync', '-c', join(dir, 'user-sync-config.yml'), '--process-groups', '-t']
      const run = await runInKeyringSession(['sh', '-c', `${store} && unset E2E_SECRET && exec "$@"`, 'sh', ...cli], {
        cwd: dir,
        env: {
          ...env,
          HOME: undefined,
          NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
          NO_PROXY: '127.0.0.1,localhost',
          HTTPS_PROXY: undefined,
          https_proxy: undefined,
          E2E_SECRET: secret,
          E2E_ACCOUNT: fake.orgId,
        },
      })
      expect(run.code, run.stderr).toBe(0)
      expect(summaryOf(run.stdout).get('Number of new Adobe users added')).toBe('4')
      for (const text of [run.stdout, run.stderr]) expect(text).not.toContain(secret)
      // The addon is the build's own, for this platform; nothing native was put in TMPDIR.
      const addons = await readdir(join(work, 'server/ust/lib/node_modules/@napi-rs'))
      expect(addons).toContain('keyring-linux-x64-gnu')
      expect((await readdir(env.TMPDIR!, { recursive: true })).filter((f) => f.endsWith('.node'))).toEqual([])
    } finally {
      await fake.close()
      await rm(dir, { recursive: true, force: true })
    }
  })

  it.skipIf(!hasCredentials)(
    `ust credentials set/get go through the keyring's bundled native addon${hasCredentials ? '' : ' (skipped: this build has no ust credentials command yet)'}`,
    async () => {
      const secret = `pkg-Cred-${randomBytes(12).toString('hex')}`
      const set = `printf %s "$E2E_SECRET" | "$UST" credentials set ust-package --username acct-1 --stdin --backend keyring`
      const get = '"$UST" credentials get ust-package --username acct-1 --backend keyring --reveal'
      const run = await runInKeyringSession(['sh', '-c', `${set} >&2 && unset E2E_SECRET && ${get}`], {
        env: { ...env, HOME: undefined, UST: ust, E2E_SECRET: secret },
      })
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toContain(secret)
      expect(run.stderr).not.toContain(secret)
    },
  )

  it('installs a plugin with the bundled npm and Node', async () => {
    const plugin = join(work, 'plugin-demo')
    await cp(join(ROOT, 'test/fixtures/plugins/demo'), plugin, { recursive: true })
    const tgz = execFileSync('npm', ['pack', '--silent'], { cwd: plugin, encoding: 'utf8' }).trim().split('\n').pop()!
    const install = await runProgram(ust, ['plugins', 'install', `file:${join(plugin, tgz)}`], {
      env: { ...env, UST_NPM_REGISTRY: 'http://127.0.0.1:9/' },
    })
    expect(install.code, install.stderr).toBe(0)
    const info = jsonOf<{ plugins: { name: string; type: string }[] }>(
      await runProgram(ust, ['info', '--json'], { env }),
    )
    expect(info.plugins.find((p) => p.name === '@ustx/plugin-demo')).toMatchObject({ type: 'user' })
  })

  it.skipIf(tmp.skip !== undefined)(
    `ran with TMPDIR on a noexec mount${tmp.skip ? ` (skipped: ${tmp.skip})` : ''}`,
    () => {
      const probe = join(env.TMPDIR!, 'probe.sh')
      execFileSync('sh', ['-c', `printf '#!/bin/sh\\nexit 0\\n' > "${probe}" && chmod +x "${probe}"`])
      expect(() => execFileSync(probe)).toThrow(/EACCES/)
    },
  )
})
