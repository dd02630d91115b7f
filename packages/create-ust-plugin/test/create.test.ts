import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InfoResult } from '../../../src/services/info-service.js'
import { jsonOf, ROOT, runCli } from '../../../test/e2e/run-cli.js'
import { main } from '../src/cli.js'
import { KINDS, LANGUAGES } from '../src/options.js'
import { VERSIONS } from '../src/versions.js'

const run = promisify(execFile)
const NODE_MODULES = path.join(ROOT, 'node_modules')
const PROVIDES = {
  source: 'identitySources',
  target: 'targets',
  backend: 'credentialBackends',
  'mapping-hook': 'mappingHooks',
} as const

let work: string
let home: string
const quiet = { interactive: false, out: () => {}, err: () => {} }
/** A child process environment without this vitest's own variables. */
const childEnv = () => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS')),
  NO_COLOR: '1',
  FORCE_COLOR: '0',
})

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'create-ust-plugin-'))
  home = await mkdtemp(path.join(tmpdir(), 'ust-home-'))
  // What `npm install` gives a generated plugin, from this repository instead of a registry.
  const modules = path.join(work, 'node_modules')
  await mkdir(path.join(modules, '@ust-sync'), { recursive: true })
  await mkdir(path.join(modules, '@types'), { recursive: true })
  const links: Record<string, string> = {
    '@ust-sync/api': path.join(ROOT, 'packages/api'),
    '@ust-sync/plugin-testkit': path.join(ROOT, 'packages/testkit'),
    '@types/node': path.join(NODE_MODULES, '@types/node'),
    typescript: path.join(NODE_MODULES, 'typescript'),
    vitest: path.join(NODE_MODULES, 'vitest'),
  }
  for (const [name, target] of Object.entries(links)) await symlink(target, path.join(modules, name), 'dir')
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
  await rm(home, { recursive: true, force: true })
})

const cases = KINDS.flatMap((kind) => LANGUAGES.map((lang) => ({ kind, lang, id: `gen-${kind}-${lang}` })))

describe('npm create ust-plugin', () => {
  it.each(cases)('writes a $lang $kind that builds and passes the conformance kit', async ({ kind, lang, id }) => {
    const dir = path.join(work, id)
    const argv = ['--kind', kind, '--lang', lang, '--name', `@gen/ust-plugin-${id}`, '--id', id, '--dir', dir]
    expect(await main(argv, quiet)).toBe(0)
    const pjson = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'))
    expect(pjson.ust).toEqual({ apiVersion: 1, provides: { [PROVIDES[kind]]: [id] } })
    if (lang === 'ts') await run(process.execPath, [path.join(NODE_MODULES, 'typescript/bin/tsc'), '-p', dir])
    const test = await run(process.execPath, [path.join(NODE_MODULES, 'vitest/vitest.mjs'), 'run', '--root', dir], {
      cwd: dir,
      env: childEnv(),
    }).catch((error: { stdout: string; stderr: string }) => error)
    expect(test.stdout, test.stderr).toMatch(/Tests\s+1 passed \(1\)/)
  })

  it('each generated plugin links into ust, and ust info lists its contribution', async () => {
    const env = {
      HOME: home,
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      UST_DATA_DIR: '',
    }
    for (const { id } of cases) {
      const dir = path.join(work, id)
      const linked = await runCli(['plugins', 'link', dir, '--no-install'], { env })
      expect(linked.code, linked.stderr).toBe(0)
      expect(linked.stderr.trim()).toBe(`ust-sync: Linking plugin ${dir}... done`)
    }
    const info = jsonOf<InfoResult>(await runCli(['info', '--json'], { env }))
    const ours = info.plugins
      .filter((p) => p.name.startsWith('@gen/'))
      .map((p) => [p.name, p.type, p.contributes])
      .sort()
    expect(ours).toEqual(
      cases
        .map(({ kind, id }) => [
          `@gen/ust-plugin-${id}`,
          'link',
          {
            identitySources: [],
            targets: [],
            credentialBackends: [],
            mappingHooks: [],
            [PROVIDES[kind]]: [id],
          },
        ])
        .sort(),
    )
    expect(info.failures).toEqual([])
  }, 300_000)

  it('without a terminal, names the flags it needs; refuses a directory in the way', async () => {
    const lines: string[] = []
    const io = { interactive: false, out: () => {}, err: (l: string) => lines.push(l) }
    expect(await main(['--kind', 'target'], io)).toBe(2)
    expect(lines).toEqual([
      'create-ust-plugin: Not on a terminal: give --lang, --name',
      '  → e.g. npm create ust-plugin -- --kind target --lang ts --name ust-plugin-acme',
    ])
    lines.length = 0
    const dir = path.join(work, 'in-the-way')
    await mkdir(dir)
    await writeFile(path.join(dir, 'notes.txt'), 'mine\n')
    expect(await main(['--kind', 'source', '--lang', 'js', '--name', 'x', '--dir', dir], io)).toBe(2)
    expect(lines).toEqual([
      `create-ust-plugin: ${dir} exists and is not empty`,
      '  → Choose another directory with --dir, or remove this one',
    ])
    lines.length = 0
    expect(await main(['--kind', 'gizmo', '--lang', 'js', '--name', 'x'], io)).toBe(2)
    expect(lines).toEqual(['create-ust-plugin: --kind gizmo is not one of source, target, backend, mapping-hook'])
  })

  it('on a terminal, asks for what the flags leave out (an empty answer takes the default)', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    const answers = ['Target', '', '@acme/ust-plugin-scim']
    const asked: string[] = []
    let shown = ''
    output.on('data', (chunk: Buffer) => {
      shown += chunk.toString()
      if (!shown.endsWith(': ')) return
      asked.push(shown)
      shown = ''
      input.write(`${answers.shift()}\n`)
    })
    const dir = path.join(work, 'prompted')
    const code = await main(['--dir', dir], { interactive: true, input, output, out: () => {}, err: () => {} })
    expect(code).toBe(0)
    expect(asked).toEqual([
      'Kind (source, target, backend, mapping-hook) [source]: ',
      'Language (ts, js) [ts]: ',
      'npm package name [ust-plugin-target]: ',
    ])
    const pjson = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'))
    expect([pjson.name, pjson.ust.provides, pjson.oclif.hooks]).toEqual([
      '@acme/ust-plugin-scim',
      { targets: ['scim'] },
      { 'ust:register': './dist/register.js' },
    ])
  })

  it('declares the versions ust itself builds with', async () => {
    const root = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'))
    const version = async (dir: string) =>
      `^${JSON.parse(await readFile(path.join(ROOT, dir, 'package.json'), 'utf8')).version}`
    expect(VERSIONS).toEqual({
      api: await version('packages/api'),
      testkit: await version('packages/testkit'),
      typescript: root.devDependencies.typescript,
      vitest: root.devDependencies.vitest,
      typesNode: root.devDependencies['@types/node'],
    })
  })
})
