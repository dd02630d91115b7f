import { execFileSync } from 'node:child_process'
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type LocalRegistry, noexecTmp, type NoexecTmp, startRegistry } from '@ust-sync/test-servers'
import { expectQuickstartSynced, QUICKSTART_FLAGS, quickstartCopy, runProgram } from './install-helpers.js'
import { jsonOf, ROOT } from './run-cli.js'

/**
 * `npm install -g ust-sync` and `npx ust-sync` from a registry: every package is published to a throwaway
 * verdaccio by `npm run release` (the npm registry proxied for third-party dependencies), installed
 * globally into a throwaway prefix, and used as an administrator would: a sandbox sync and a plugin
 * install from the same registry. TMPDIR is a noexec mount when this machine allows one.
 */
const VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version
/** node (24), npm and npx of the repository. */
const BIN_DIR = join(ROOT, 'node_modules/.bin')
const tmp: NoexecTmp = noexecTmp()

let registry: LocalRegistry
let work: string
let prefix: string
let env: NodeJS.ProcessEnv

beforeAll(async () => {
  const upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim()
  registry = await startRegistry({ uplink: upstream })
  work = await mkdtemp(join(tmpdir(), 'ust-install-registry-'))
  prefix = join(work, 'prefix')
  env = {
    // Node 24 for `#!/usr/bin/env node` (npm's global bin), then the global prefix's bin.
    PATH: [BIN_DIR, join(prefix, 'bin'), process.env.PATH].join(':'),
    HOME: join(work, 'home'),
    TMPDIR: tmp.dir ?? join(work, 'tmp'),
    XDG_DATA_HOME: join(work, 'home/data'),
    XDG_CONFIG_HOME: join(work, 'home/config'),
    XDG_CACHE_HOME: join(work, 'home/cache'),
    npm_config_registry: registry.url,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
  }
  execFileSync('mkdir', ['-p', env.HOME!, env.TMPDIR!])
  execFileSync(
    process.execPath,
    ['scripts/publish.ts', '--no-build', '--registry', registry.url, '--userconfig', registry.userconfig],
    { cwd: ROOT, stdio: 'pipe', env: { ...process.env, TMPDIR: env.TMPDIR } },
  )
  const demo = join(work, 'plugin-demo')
  await cp(join(ROOT, 'test/fixtures/plugins/demo'), demo, { recursive: true })
  await registry.publish(demo)
}, 300_000)

afterAll(async () => {
  await registry?.stop()
  tmp.release?.()
  if (work) await rm(work, { recursive: true, force: true })
})

describe('installing ust from a registry', () => {
  it('npm install -g ust-sync puts `ust` on PATH with every first-party plugin', async () => {
    const install = await runProgram(join(BIN_DIR, 'npm'), ['install', '-g', '--prefix', prefix, 'ust-sync'], { env })
    expect(install.code, install.stderr).toBe(0)
    const version = await runProgram('ust', ['--version'], { env })
    expect(version.code, version.stderr).toBe(0)
    expect(version.stdout).toContain(`ust-sync/${VERSION}`)

    const info = await runProgram('ust', ['info', '--json'], { env })
    const plugins = jsonOf<{ plugins: { name: string; type: string; version: string }[] }>(info).plugins
    const ours = await readdir(join(ROOT, 'plugins'))
    for (const dir of ours) {
      const name = `@ust-sync/plugin-${dir}`
      expect(plugins.find((p) => p.name === name)).toMatchObject({ type: 'core', version: VERSION })
    }
    // Shell completion comes with it (@oclif/plugin-autocomplete).
    const completion = await runProgram('ust', ['autocomplete', 'script', 'bash'], { env })
    expect(completion.code, completion.stderr).toBe(0)
    expect(completion.stdout).toContain('ust/autocomplete/bash_setup')
  }, 300_000)

  it('the installed ust syncs the quickstart into the sandbox org', async () => {
    const dir = await quickstartCopy('ust-install-registry-qs-')
    try {
      const run = await runProgram('ust', ['sync', '-c', join(dir, 'user-sync-config.yml'), ...QUICKSTART_FLAGS], {
        env,
        cwd: dir,
      })
      expectQuickstartSynced(run)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('ust plugins install fetches a third-party plugin from the same registry', async () => {
    const install = await runProgram('ust', ['plugins', 'install', '@ustx/plugin-demo'], {
      env: { ...env, UST_NPM_REGISTRY: registry.url },
    })
    expect(install.code, install.stderr).toBe(0)
    const info = jsonOf<{ plugins: { name: string; type: string; contributes: object }[] }>(
      await runProgram('ust', ['info', '--json'], { env }),
    )
    expect(info.plugins.find((p) => p.name === '@ustx/plugin-demo')).toMatchObject({
      type: 'user',
      contributes: { identitySources: ['demo'] },
    })
  }, 300_000)

  it('npx ust-sync runs without a global install', async () => {
    const run = await runProgram(join(BIN_DIR, 'npx'), ['--yes', 'ust-sync', '--version'], {
      env: { ...env, PATH: [BIN_DIR, process.env.PATH].join(':'), npm_config_prefix: join(work, 'npx') },
      cwd: work,
    })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain(`ust-sync/${VERSION}`)
  }, 300_000)

  it.skipIf(tmp.skip !== undefined)(
    `ran with TMPDIR on a noexec mount${tmp.skip ? ` (skipped: ${tmp.skip})` : ''}`,
    () => {
      // The environment really forbids executing from TMPDIR: a script there cannot run.
      const probe = join(env.TMPDIR!, 'probe.sh')
      execFileSync('sh', ['-c', `printf '#!/bin/sh\\nexit 0\\n' > "${probe}" && chmod +x "${probe}"`])
      expect(() => execFileSync(probe)).toThrow(/EACCES/)
    },
  )
})
