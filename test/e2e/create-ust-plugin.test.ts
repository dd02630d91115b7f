import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../packages/create-ust-plugin/src/cli.js'
import type { InfoResult } from '../../src/services/info-service.js'
import { type LocalRegistry, startRegistry } from '@ust-sync/test-servers'
import { jsonOf, ROOT, runCli } from './run-cli.js'

const quiet = { interactive: false, out: () => {}, err: () => {} }

describe('a plugin made by npm create ust-plugin is published and installed with ust plugins install', () => {
  let work: string
  let home: string
  let registry: LocalRegistry

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'create-ust-plugin-e2e-'))
    home = await mkdtemp(join(tmpdir(), 'ust-home-'))
    // The build tools `npm install` would give the plugin (npm publish runs its prepack: tsc).
    await mkdir(join(work, 'node_modules/.bin'), { recursive: true })
    await mkdir(join(work, 'node_modules/@types'), { recursive: true })
    await mkdir(join(work, 'node_modules/@ust-sync'), { recursive: true })
    await symlink(join(ROOT, 'node_modules/typescript'), join(work, 'node_modules/typescript'), 'dir')
    await symlink(join(ROOT, 'node_modules/@types/node'), join(work, 'node_modules/@types/node'), 'dir')
    await symlink(join(ROOT, 'packages/api'), join(work, 'node_modules/@ust-sync/api'), 'dir')
    await symlink(join(ROOT, 'node_modules/typescript/bin/tsc'), join(work, 'node_modules/.bin/tsc'))
    for (const [kind, lang] of [
      ['target', 'ts'],
      ['source', 'js'],
    ])
      expect(
        await main(
          [
            '--kind',
            kind!,
            '--lang',
            lang!,
            '--name',
            `@gen/ust-plugin-${kind}-${lang}`,
            '--dir',
            join(work, `${kind}-${lang}`),
          ],
          quiet,
        ),
      ).toBe(0)
    registry = await startRegistry()
    await registry.publish(join(ROOT, 'packages/api'))
    await registry.publish(join(work, 'target-ts'))
    await registry.publish(join(work, 'source-js'))
  }, 180_000)
  afterAll(async () => {
    await registry?.stop()
    await rm(work, { recursive: true, force: true })
    await rm(home, { recursive: true, force: true })
  })

  it('installs from the registry and ust info lists what each contributes', async () => {
    const env = {
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      UST_DATA_DIR: '',
    }
    const installed = await runCli(['plugins', 'install', '@gen/ust-plugin-target-ts', '@gen/ust-plugin-source-js'], {
      env: { ...env, UST_NPM_REGISTRY: registry.url },
      timeoutMs: 400_000,
    })
    expect(installed.code, installed.stderr).toBe(0)
    const info = jsonOf<InfoResult>(await runCli(['info', '--json'], { env }))
    expect(info.failures).toEqual([])
    const of = (name: string) => info.plugins.find((p) => p.name === name)
    expect(of('@gen/ust-plugin-target-ts')).toMatchObject({ type: 'user', contributes: { targets: ['target-ts'] } })
    expect(of('@gen/ust-plugin-source-js')).toMatchObject({
      type: 'user',
      contributes: { identitySources: ['source-js'] },
    })
  }, 420_000)
})
