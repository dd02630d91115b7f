import { execFile } from 'node:child_process'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InfoResult } from '../../src/services/info-service.js'
import { jsonOf, ROOT, runCli } from './run-cli.js'
import { freshCopy, QUICKSTART } from './sync-helpers.js'

const exec = promisify(execFile)
const FIXTURES = join(ROOT, 'test/fixtures/plugins')

async function isolatedHome() {
  const home = await mkdtemp(join(tmpdir(), 'ust-home-'))
  const env: NodeJS.ProcessEnv = {
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    UST_DATA_DIR: '',
    UST_PLUGIN_ALLOW: undefined,
  }
  return { home, env }
}

async function link(name: string, home: string, env: NodeJS.ProcessEnv): Promise<void> {
  const dir = join(home, 'src', name)
  await cp(join(FIXTURES, name), dir, { recursive: true })
  const linked = await runCli(['plugins', 'link', dir, '--no-install'], { env })
  expect(linked.code, linked.stderr).toBe(0)
}

/** stderr with oclif's warning wrapping (` ›   ` and line breaks) undone. */
function flat(stderr: string): string {
  return stderr.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ')
}

/** A quickstart copy whose main config has `replace` applied. */
async function quickstart(replace: (text: string) => string = (t) => t): Promise<{ dir: string; main: string }> {
  const dir = await freshCopy(QUICKSTART, 'ust-e2e-safety-')
  const main = join(dir, 'user-sync-config.yml')
  await writeFile(main, replace(await readFile(main, 'utf8')))
  return { dir, main }
}

describe('broken or duplicated plugins cannot change what a sync does', () => {
  let home: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    ;({ home, env } = await isolatedHome())
    for (const name of ['dup-a', 'dup-b', 'live-only', 'bad-output', 'wrong-provides', 'exit-init'])
      await link(name, home, env)
  }, 120_000)
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it('a duplicated id used by the command stops it (exit 2) naming both plugins and how to uninstall one', async () => {
    const { dir, main } = await quickstart((t) =>
      t.replace('csv: connector-csv.yml', 'jsonl: connector-jsonl.yml').replace('connector: csv', 'connector: jsonl'),
    )
    await writeFile(join(dir, 'connector-jsonl.yml'), '{}\n')
    const before = await readFile(join(dir, 'org.json'))
    const run = await runCli(['sync', '-c', main], { env, cwd: dir })
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toContain(
      '2 plugins register the identity source "jsonl": @ustx/plugin-dup-a, @ustx/plugin-dup-b',
    )
    expect(run.stderr).toContain('ust plugins uninstall @ustx/plugin-dup-a or ust plugins uninstall @ustx/plugin-dup-b')
    expect(await readFile(join(dir, 'org.json'))).toEqual(before)
  })

  it('a duplicated id the command does not use is only a warning', async () => {
    const { dir, main } = await quickstart()
    const run = await runCli(['config', 'validate', '-c', main], { env, cwd: dir })
    expect(run.code, run.stderr).toBe(0)
    expect(flat(run.stderr)).toContain(
      'identity source "jsonl" is registered by @ustx/plugin-dup-a and @ustx/plugin-dup-b',
    )
  })

  it('-t against a target without test mode is refused (exit 2) before anything is read', async () => {
    const { dir, main } = await quickstart((t) =>
      t.replace('sandbox: connector-sandbox.yml', 'liveonly: connector-live.yml'),
    )
    await writeFile(join(dir, 'connector-live.yml'), 'org_file: org.json\n')
    for (const extra of [[], ['--plan-out', join(dir, 'plan.json')]]) {
      const run = await runCli(['sync', '-c', main, '-t', ...extra], { env, cwd: dir })
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toContain(
        'Test mode (-t) was asked, but the target "liveonly" (@ustx/plugin-live-only) has no test mode',
      )
    }
    expect((await readdir(dir)).filter((f) => f.endsWith('.marker') || f === 'plan.json')).toEqual([])
  })

  it('a source returning a user without groups is a plugin error (exit 5) naming the plugin; nothing changes', async () => {
    const { dir, main } = await quickstart((t) =>
      t
        .replace('csv: connector-csv.yml', 'badout: connector-badout.yml')
        .replace('connector: csv', 'connector: badout'),
    )
    await writeFile(join(dir, 'connector-badout.yml'), '{}\n')
    const before = await readFile(join(dir, 'org.json'))
    const run = await runCli(['sync', '-c', main, '--users', 'all'], { env, cwd: dir })
    expect(run.code, run.stderr).toBe(5)
    expect(run.stderr).toContain('Plugin @ustx/plugin-bad-output@1.0.0 broke the plugin contract')
    expect(run.stderr).toContain('users[0].groups: expected an array of strings')
    expect(await readFile(join(dir, 'org.json'))).toEqual(before)
  })

  it('ust info reports a provides mismatch and names the oclif hooks ust does not run', async () => {
    const run = await runCli(['info', '--json'], { env })
    expect(run.code, run.stderr).toBe(0)
    const info = jsonOf<InfoResult>(run)
    expect(info.failures.find((f) => f.plugin === '@ustx/plugin-wrong-provides')?.message).toBe(
      'does not match its package.json "ust.provides": declares target declared but did not register it; registered target other without declaring it',
    )
    expect(info.plugins.find((p) => p.name === '@ustx/plugin-exit-init')?.ignoredHooks).toEqual(['init'])
    expect(info.warnings).toContainEqual(
      expect.stringContaining('@ustx/plugin-exit-init declares oclif hooks ust does not run: init'),
    )
  })

  it("a plugin's init hook calling process.exit(0) does not stop plugins uninstall", async () => {
    const gone = await runCli(['plugins', 'uninstall', '@ustx/plugin-exit-init'], { env })
    expect(gone.code, gone.stderr).toBe(0)
    const info = jsonOf<InfoResult>(await runCli(['info', '--json'], { env }))
    expect(info.plugins.map((p) => p.name)).not.toContain('@ustx/plugin-exit-init')
  })
})

describe('plugins that fail to load are named where it matters', () => {
  let home: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    ;({ home, env } = await isolatedHome())
  })
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it('plugins install exits 5 naming the plugin just installed; config validate and sync name it too', async () => {
    const dir = join(home, 'src', 'scim-broken')
    await cp(join(FIXTURES, 'scim-broken'), dir, { recursive: true })
    const { stdout } = await exec('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: dir })
    const tgz = join(dir, stdout.trim().split('\n').pop()!)
    const installed = await runCli(['plugins', 'install', `file:${tgz}`], {
      env: { ...env, UST_NPM_REGISTRY: 'http://127.0.0.1:9/' },
    })
    expect(installed.code, installed.stderr).toBe(5)
    expect(installed.stderr).toContain('@ustx/plugin-scim-broken failed while registering')
    expect(installed.stderr).toContain('ust-sync-package-that-is-not-a-dependency')
    expect(installed.stderr).toContain('ust plugins uninstall @ustx/plugin-scim-broken')

    const { dir: qs, main } = await quickstart((t) =>
      t.replace('sandbox: connector-sandbox.yml', 'scim: connector-sandbox.yml'),
    )
    const validate = await runCli(['config', 'validate', '-c', main], { env, cwd: qs })
    expect(validate.code, validate.stderr).toBe(2)
    expect(validate.stderr).toContain(
      'the plugin that provides target "scim" failed to load: @ustx/plugin-scim-broken failed while registering',
    )
    const sync = await runCli(['sync', '-c', main], { env, cwd: qs })
    expect(sync.code, sync.stderr).toBe(2)
    expect(sync.stderr).toContain('@ustx/plugin-scim-broken failed while registering')
  }, 120_000)

  it('a register hook that never finishes is cut off and named; other commands keep working', async () => {
    await link('hangs', home, env)
    // A hook left waiting would hold the process forever: runCli's kill timeout is the hang guard (exit -1).
    const run = await runCli(['info', '--json'], { env: { ...env, UST_PLUGIN_REGISTER_TIMEOUT_MS: '700' } })
    expect(run.code, run.stderr).toBe(0)
    expect(jsonOf<InfoResult>(run).failures).toContainEqual({
      plugin: '@ustx/plugin-hangs',
      message: 'failed while registering: its ust:register hook did not finish within 700 ms',
    })
  })

  it('the allow-list (UST_PLUGIN_ALLOW, plugins.allow) keeps other plugins from loading; core plugins always load', async () => {
    await link('demo', home, env)
    const names = (info: InfoResult) =>
      info.plugins.filter((p) => p.contributes.identitySources.length).map((p) => p.name)
    const allowed = jsonOf<InfoResult>(
      await runCli(['info', '--json'], { env: { ...env, UST_PLUGIN_ALLOW: '@ustx/plugin-d*' } }),
    )
    expect(names(allowed)).toEqual(expect.arrayContaining(['@ust-sync/plugin-csv', '@ustx/plugin-demo']))
    expect(allowed.skipped.map((s) => s.plugin)).toContain('@ustx/plugin-hangs')
    expect(allowed.skipped.map((s) => s.plugin)).not.toContain('@ustx/plugin-demo')

    const { dir, main } = await quickstart((t) => `${t}\nplugins:\n  allow: ["@acme/*"]\n`)
    const run = await runCli(['info', '--json', '-c', main], { env, cwd: dir })
    const denied = jsonOf<InfoResult>(run)
    expect(names(denied).filter((n) => !n.startsWith('@ust-sync/'))).toEqual([])
    expect(names(denied)).toContain('@ust-sync/plugin-csv')
    expect(denied.skipped).toContainEqual({
      plugin: '@ustx/plugin-demo',
      reason: 'not on the plugin allow-list (plugins.allow / UST_PLUGIN_ALLOW: @acme/*)',
    })
    const validate = await runCli(['config', 'validate', '-c', main], { env, cwd: dir })
    expect(validate.code, validate.stderr).toBe(0)
    expect(flat(validate.stderr)).toContain('plugin @ustx/plugin-demo was not loaded: not on the plugin allow-list')
  })

  it('the allow-list fails closed: a config that cannot be parsed (a key written twice, a wrong encoding) runs no plugin code', async () => {
    await link('spy', home, env)
    const spy = join(home, 'spy.log')
    const spyEnv = { ...env, UST_TEST_SPY_FILE: spy }
    const valid = await quickstart((t) => `${t}\nplugins:\n  allow: ["@acme/*"]\n`)
    // The spy is on no allow-list: it never runs with a valid file.
    expect((await runCli(['sync', '-c', valid.main, '-t'], { env: spyEnv, cwd: valid.dir })).code).toBe(0)
    // Without an allow-list its register hook runs (the fixture works); its command file is never loaded.
    const open = await quickstart()
    expect((await runCli(['config', 'validate', '-c', open.main], { env: spyEnv, cwd: open.dir })).code).toBe(0)
    expect(await readFile(spy, 'utf8')).toBe(`ran in: config validate -c ${open.main}\n`)
    await rm(spy)

    const { dir, main } = await quickstart(
      (t) => `${t}\nplugins:\n  allow: ["@acme/*"]\nlogging:\n  log_to_file: false\n`,
    )
    const before = await readFile(join(dir, 'org.json'))
    const run = await runCli(['sync', '-c', main], { env: spyEnv, cwd: dir })
    expect(run.code, run.stderr).toBe(2)
    expect(run.stderr).toMatch(/user-sync-config\.yml:\d+:\d+: logging: this key is written twice in the same mapping/)
    expect(await readFile(join(dir, 'org.json'))).toEqual(before)

    const info = jsonOf<InfoResult>(await runCli(['info', '--json', '-c', main], { env: spyEnv, cwd: dir }))
    expect(info.skipped).toContainEqual({
      plugin: '@ustx/plugin-spy',
      reason:
        'the main config file could not be read or parsed, so its plugins.allow is unknown: only plugins shipped with ust load until the file is fixed',
    })
    const utf16 = await runCli(['sync', '-c', valid.main, '--config-file-encoding', 'utf-16'], {
      env: spyEnv,
      cwd: valid.dir,
    })
    expect(utf16.code, utf16.stderr).toBe(2)
    expect(utf16.stderr).toContain('the file does not contain settings')
    await expect(readFile(spy, 'utf8')).rejects.toThrow(/ENOENT/)
  })
})

describe('a command ends when its work is done, whatever a plugin left open', () => {
  let home: string
  let env: NodeJS.ProcessEnv
  beforeAll(async () => {
    ;({ home, env } = await isolatedHome())
    await link('leaves-handles', home, env)
  }, 120_000)
  afterAll(() => rm(home, { recursive: true, force: true }))

  // A run that hangs is killed after a minute (code -1); each command here does its work in a few seconds.
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}, cwd?: string) =>
    runCli(args, { env: { ...env, ...extra }, timeoutMs: 60_000, ...(cwd ? { cwd } : {}) })

  it('sync (ending with its exit code), info, config validate and plugins link', async () => {
    const { dir, main } = await quickstart()
    const sync = await run(['sync', '-c', main], {}, dir)
    expect(sync.code, sync.stderr).toBe(0)
    expect(sync.stdout).toContain('End Run')
    const failing = await run(['sync', '-c', main, '--users', 'group'], {}, dir)
    expect(failing.code, failing.stderr).toBe(2)
    expect((await run(['info'])).code).toBe(0)
    expect((await run(['config', 'validate', '-c', main], {}, dir)).code).toBe(0)
    const dest = join(home, 'src', 'demo')
    await cp(join(FIXTURES, 'demo'), dest, { recursive: true })
    expect((await run(['plugins', 'link', dest, '--no-install'])).code).toBe(0)
  })

  it('a register hook cut off by the time limit', async () => {
    const info = await run(['info', '--json'], { UST_TEST_HOOK_NEVER_ENDS: '1', UST_PLUGIN_REGISTER_TIMEOUT_MS: '500' })
    expect(info.code, info.stderr).toBe(0)
    expect(jsonOf<InfoResult>(info).failures).toContainEqual({
      plugin: '@ustx/plugin-leaves-handles',
      message: 'failed while registering: its ust:register hook did not finish within 500 ms',
      provides: {},
    })
  })
})
