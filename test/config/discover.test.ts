import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { discoverConfigFile } from '../../src/config/discover.js'
import { loadConfig } from '../../src/config/load-config.js'
import { configErrorOf } from './expect-config-error.js'
import { fakeSchemas } from './fake-schemas.js'

/** A project root (package.json bounds the upward search) with a nested working directory. */
async function project(): Promise<{ root: string; nested: string }> {
  const root = await mkdtemp(join(tmpdir(), 'ust-discover-'))
  await writeFile(join(root, 'package.json'), '{}')
  const nested = join(root, 'ops', 'sync', 'daily')
  await mkdir(nested, { recursive: true })
  return { root, nested }
}
const minimal = 'adobe_users:\n  connectors:\n    sandbox: sandbox.yml\nlimits:\n  max_adobe_only_users: 3\n'

describe('config discovery', () => {
  it('walks up from a nested directory to the file in a parent', async () => {
    const { root, nested } = await project()
    await writeFile(join(root, 'ops', 'ust.config.yml'), minimal)
    await writeFile(join(root, 'ops', 'sandbox.yml'), '')
    expect(await discoverConfigFile(nested)).toBe(join(root, 'ops', 'ust.config.yml'))
    const { config } = await loadConfig({ cwd: nested, schemas: fakeSchemas })
    expect(config.file).toBe(join(root, 'ops', 'ust.config.yml'))
    expect(config.adobeUsers.targets[0]!.files).toEqual([join(root, 'ops', 'sandbox.yml')])
  })

  it("prefers UST's user-sync-config.yml, and finds .ustrc and empty files", async () => {
    const { root, nested } = await project()
    await writeFile(join(root, 'ust.config.yml'), minimal)
    await writeFile(join(root, 'user-sync-config.yml'), minimal)
    expect(await discoverConfigFile(root)).toBe(join(root, 'user-sync-config.yml'))
    await writeFile(join(nested, '.ustrc'), '')
    expect(await discoverConfigFile(nested)).toBe(join(nested, '.ustrc'))
  })

  it('uses -c/--config relative to cwd instead of searching', async () => {
    const { root, nested } = await project()
    await writeFile(join(root, 'user-sync-config.yml'), 'not: used\n')
    await mkdir(join(root, 'conf'))
    await writeFile(join(root, 'conf', 'prod.yml'), minimal)
    await writeFile(join(root, 'conf', 'sandbox.yml'), '')
    const { config } = await loadConfig({ cwd: nested, configFile: '../../../conf/prod.yml', schemas: fakeSchemas })
    expect(config.file).toBe(join(root, 'conf', 'prod.yml'))
  })

  it('a missing -c file is a config error naming the resolved path', async () => {
    const { root } = await project()
    const error = await configErrorOf(loadConfig({ cwd: root, configFile: 'nope.yml', schemas: fakeSchemas }))
    expect(error.message).toContain(`Config file not found: ${join(root, 'nope.yml')}`)
  })

  it('when nothing is found, says what was searched where and suggests -c or the quickstart example', async () => {
    const { nested } = await project()
    expect(await discoverConfigFile(nested)).toBeUndefined()
    const error = await configErrorOf(loadConfig({ cwd: nested, schemas: fakeSchemas }))
    expect(error.message).toContain(`No config file found: searched user-sync-config.yml, ust.config.yml`)
    expect(error.message).toContain(`in ${nested} and its parent directories`)
    expect(error.suggestions.join(' ')).toMatch(/-c\/--config FILE.*`ust init`/)
  })
})
