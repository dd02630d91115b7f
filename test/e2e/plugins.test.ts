import { execFile } from 'node:child_process'
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InfoResult } from '../../src/services/info-service.js'
import { type LocalRegistry, startRegistry } from '@ust-sync/test-servers'
import { jsonOf, ROOT, runCli } from './run-cli.js'

const run = promisify(execFile)
const FIXTURES = join(ROOT, 'test/fixtures/plugins')

/** A fresh, isolated data/config/cache home per suite, like a new user account. */
async function isolatedHome() {
  const home = await mkdtemp(join(tmpdir(), 'ust-home-'))
  return {
    home,
    env: {
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      UST_DATA_DIR: '',
    },
  }
}

/** Copies a fixture plugin to a scratch dir (linking or packing must not touch the repo). */
async function scratchCopy(name: string): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'ust-plugin-')), name)
  await cp(join(FIXTURES, name), dir, { recursive: true })
  return dir
}

async function info(env: NodeJS.ProcessEnv): Promise<InfoResult> {
  const result = await runCli(['info', '--json'], { env })
  expect(result.code, result.stderr).toBe(0)
  return jsonOf<InfoResult>(result)
}

function demoOf(result: InfoResult) {
  return result.plugins.find((p) => p.name === '@ustx/plugin-demo')
}

describe('third-party plugins against the built ust', () => {
  let env: NodeJS.ProcessEnv
  let home: string

  beforeAll(async () => {
    ;({ env, home } = await isolatedHome())
  })
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it('lists the first-party plugins and their contributions as core plugins', async () => {
    const result = await info(env)
    const byName = new Map(result.plugins.map((p) => [p.name, p]))
    expect(byName.get('@ust-sync/plugin-csv')).toMatchObject({
      type: 'core',
      contributes: { identitySources: ['csv'] },
    })
    expect(byName.get('@ust-sync/plugin-sandbox')).toMatchObject({
      type: 'core',
      contributes: { targets: ['sandbox'] },
    })
    expect(byName.get('@ust-sync/plugin-umapi')).toMatchObject({ type: 'core', contributes: { targets: ['umapi'] } })
    expect(result.failures).toEqual([])
    expect(result.dataDir).toBe(join(home, 'data', 'ust'))
  })

  it('the data dir follows UST_DATA_DIR, else XDG_DATA_HOME', async () => {
    const custom = join(home, 'custom-data')
    expect((await info({ ...env, UST_DATA_DIR: custom })).dataDir).toBe(custom)
    expect((await info(env)).dataDir).toBe(join(home, 'data', 'ust'))
  })

  it('ust plugins link DIR adds the identity source; uninstall removes it', async () => {
    const dir = await scratchCopy('demo')
    const linked = await runCli(['plugins', 'link', dir, '--no-install'], { env })
    expect(linked.code, linked.stderr).toBe(0)
    expect(linked.stderr).not.toContain('cannot be used')
    expect(demoOf(await info(env))).toMatchObject({ type: 'link', contributes: { identitySources: ['demo'] } })

    const removed = await runCli(['plugins', 'uninstall', '@ustx/plugin-demo'], { env })
    expect(removed.code, removed.stderr).toBe(0)
    expect(demoOf(await info(env))).toBeUndefined()
  })

  it('ust plugins install file:/abs/path.tgz works offline', async () => {
    const dir = await scratchCopy('demo')
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: dir })
    const tgz = join(dir, stdout.trim().split('\n').pop()!)
    const installed = await runCli(['plugins', 'install', `file:${tgz}`], {
      env: { ...env, UST_NPM_REGISTRY: 'http://127.0.0.1:9/' },
    })
    expect(installed.code, installed.stderr).toBe(0)
    expect(demoOf(await info(env))).toMatchObject({
      type: 'user',
      version: '1.0.0',
      contributes: { identitySources: ['demo'] },
    })

    expect((await runCli(['plugins', 'uninstall', '@ustx/plugin-demo'], { env })).code).toBe(0)
    expect(demoOf(await info(env))).toBeUndefined()
  })

  it("a plugin's npm install scripts do not run unless UST_PLUGIN_INSTALL_SCRIPTS allows them", async () => {
    const dir = await scratchCopy('install-script')
    const { stdout } = await run('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: dir })
    const tgz = join(dir, stdout.trim().split('\n').pop()!)
    const spy = join(dir, 'spy.log')
    const offline = { ...env, UST_NPM_REGISTRY: 'http://127.0.0.1:9/', UST_TEST_SPY_FILE: spy }
    const installed = await runCli(['plugins', 'install', `file:${tgz}`], { env: offline })
    expect(installed.code, installed.stderr).toBe(0)
    await expect(readFile(spy, 'utf8')).rejects.toThrow(/ENOENT/)
    expect((await runCli(['plugins', 'uninstall', '@ustx/plugin-install-script'], { env })).code).toBe(0)

    const allowed = await runCli(['plugins', 'install', `file:${tgz}`], {
      env: { ...offline, UST_PLUGIN_INSTALL_SCRIPTS: `file:${tgz}` },
    })
    expect(allowed.code, allowed.stderr).toBe(0)
    expect(await readFile(spy, 'utf8')).toBe('postinstall ran\n')
    expect((await runCli(['plugins', 'uninstall', '@ustx/plugin-install-script'], { env })).code).toBe(0)
  })

  describe('from a local npm registry', () => {
    let registry: LocalRegistry

    beforeAll(async () => {
      registry = await startRegistry()
      await registry.publish(await scratchCopy('demo'))
    }, 90_000)
    afterAll(async () => {
      await registry?.stop()
    })

    it('ust plugins install @scope/name installs the published plugin', async () => {
      const installed = await runCli(['plugins', 'install', '@ustx/plugin-demo'], {
        env: { ...env, UST_NPM_REGISTRY: registry.url },
      })
      expect(installed.code, installed.stderr).toBe(0)
      expect(demoOf(await info(env))).toMatchObject({
        type: 'user',
        version: '1.0.0',
        contributes: { identitySources: ['demo'] },
      })

      expect((await runCli(['plugins', 'uninstall', '@ustx/plugin-demo'], { env })).code).toBe(0)
      expect(demoOf(await info(env))).toBeUndefined()
    }, 90_000)
  })
})

describe('misbehaving plugins are reported by name and skipped', () => {
  let env: NodeJS.ProcessEnv
  let home: string

  beforeAll(async () => {
    ;({ env, home } = await isolatedHome())
    // Each stays linked (exit 0: linking is the development loop), and the link says at once why it cannot be used.
    const why: Record<string, RegExp> = {
      broken: /@ustx\/plugin-broken failed while registering: cannot reach licence server/,
      duplicate: /@ust-sync\/plugin-csv and @ustx\/plugin-duplicate both register the identitySource "csv"/,
      'old-api': /@ustx\/plugin-old-api was built for ust plugin contract version 0/,
    }
    for (const [name, reason] of Object.entries(why)) {
      const linked = await runCli(['plugins', 'link', await scratchCopy(name), '--no-install'], { env })
      expect(linked.code, linked.stderr).toBe(0)
      const warning = linked.stderr.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ')
      expect(warning).toContain('The plugin was linked but cannot be used yet:')
      expect(warning).toMatch(reason)
    }
  }, 90_000)
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it('ust info still works and names each culprit with the reason', async () => {
    const result = await info(env)
    const failure = (name: string) => result.failures.find((f) => f.plugin === name)?.message
    expect(failure('@ustx/plugin-broken')).toContain('cannot reach licence server (fixture failure)')
    expect(result.conflicts).toEqual([
      { kind: 'identitySource', id: 'csv', plugins: ['@ust-sync/plugin-csv', '@ustx/plugin-duplicate'] },
    ])
    expect(failure('@ustx/plugin-old-api')).toMatch(/contract version 0.*implements version 1/)
    // Listed under its first owner, but unusable until one of the two is uninstalled (plugins-safety.test.ts).
    expect(result.plugins.find((p) => p.name === '@ust-sync/plugin-csv')?.contributes.identitySources).toEqual(['csv'])
  })

  it('human output warns with the plugin names and exits 0', async () => {
    const result = await runCli(['info'], { env })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('@ustx/plugin-broken')
    expect(result.stderr).toContain('@ustx/plugin-duplicate')
  })
})
