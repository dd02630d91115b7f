import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT, runCli } from './run-cli.js'
import { freshCopy, QUICKSTART } from './sync-helpers.js'

describe('a plugin failing at run time', () => {
  let home: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ust-home-'))
    env = {
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
    }
    const plugin = join(home, 'flaky-target')
    await cp(join(ROOT, 'test/fixtures/plugins/flaky-target'), plugin, { recursive: true })
    const linked = await runCli(['plugins', 'link', plugin, '--no-install'], { env })
    expect(linked.code, linked.stderr).toBe(0)
  }, 60_000)
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it("a target's plain Error in create() is a plugin error (exit 5) naming the plugin; nothing is changed", async () => {
    const dir = await freshCopy(QUICKSTART, 'ust-e2e-flaky-')
    const main = join(dir, 'user-sync-config.yml')
    await writeFile(
      main,
      (await readFile(main, 'utf8')).replace('sandbox: connector-sandbox.yml', 'flaky: connector-sandbox.yml'),
    )
    const before = await readFile(join(dir, 'org.json'))
    const run = await runCli(['sync', '-c', main], { env, cwd: dir })
    expect(run.code, run.stderr).toBe(5)
    expect(run.stderr).toContain(
      'Plugin @ustx/plugin-flaky-target failed to create its target "flaky": cannot parse licence file',
    )
    expect(run.stdout).not.toContain('Action Summary')
    expect(await readFile(join(dir, 'org.json'))).toEqual(before)
    await rm(dir, { recursive: true, force: true })
  })
})
