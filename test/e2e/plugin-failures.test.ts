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
    for (const name of ['flaky-target', 'crashing-source']) {
      const plugin = join(home, name)
      await cp(join(ROOT, 'test/fixtures/plugins', name), plugin, { recursive: true })
      const linked = await runCli(['plugins', 'link', plugin, '--no-install'], { env })
      expect(linked.code, linked.stderr).toBe(0)
    }
  }, 60_000)
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it("a source's TypeError in read() is a plugin error (exit 5) naming package@version and the method; debug shows where", async () => {
    const dir = await freshCopy(QUICKSTART, 'ust-e2e-crash-')
    const main = join(dir, 'user-sync-config.yml')
    await writeFile(
      main,
      (await readFile(main, 'utf8'))
        .replace('csv: connector-csv.yml', 'crashing: connector-crashing.yml')
        .replace('connector: csv', 'connector: crashing'),
    )
    await writeFile(join(dir, 'connector-crashing.yml'), '{}\n')
    const before = await readFile(join(dir, 'org.json'))
    const run = await runCli(['sync', '-c', main], { env, cwd: dir })
    expect(run.code, run.stderr).toBe(5)
    expect(run.stderr).toContain(
      'Error: Plugin @ustx/plugin-crashing-source@2.3.4 failed in identity source "crashing" read(): TypeError: Cannot read properties of undefined (reading \'map\')',
    )
    expect(run.stderr).not.toContain('at readPeople')
    const debug = await runCli(['sync', '-c', main, '--log-level', 'debug'], { env, cwd: dir })
    expect(debug.code).toBe(5)
    expect(debug.stderr).toMatch(
      /Caused by: TypeError: Cannot read properties of undefined \(reading 'map'\)\n\s+at readPeople \(.*crashing-source\/hooks\/register\.js:3:/,
    )
    expect(await readFile(join(dir, 'org.json'))).toEqual(before)
    await rm(dir, { recursive: true, force: true })
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
      'Plugin @ustx/plugin-flaky-target@1.0.0 failed to create its target "flaky": cannot parse licence file',
    )
    expect(run.stdout).not.toContain('Action Summary')
    expect(await readFile(join(dir, 'org.json'))).toEqual(before)
    await rm(dir, { recursive: true, force: true })
  })
})
