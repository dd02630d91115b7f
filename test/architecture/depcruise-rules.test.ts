import { execFile } from 'node:child_process'
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const run = promisify(execFile)

/** A throwaway tree laid out like the repository: each file breaks (or keeps) one architecture rule. */
const TREE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
  'src/sync/reads-files.ts': "import { readFileSync } from 'node:fs'\nexport const f = readFileSync\n",
  'src/sync/uses-run.ts': "import { r } from '../run/runner.js'\nexport const u = r\n",
  'src/run/runner.ts': 'export const r = 1\n',
  'src/config/thing.ts': 'export const c = 1\nexport type C = number\n',
  'src/commands/bad.ts': "import { c } from '../config/thing.js'\nexport const b = c\n",
  'src/commands/good.ts':
    "import type { C } from '../config/thing.js'\nimport { s } from '../services/svc.js'\nexport const g: C = s\n",
  'src/services/svc.ts': "import { c } from '../config/thing.js'\nexport const s = c\nexport type S = number\n",
  'plugins/p/src/index.ts': "import { c } from '../../../src/config/thing.js'\nexport const p = c\n",
  'plugins/q/src/index.ts':
    "import { p } from '../../p/src/index.js'\nimport { q2 } from './own.js'\nexport const q = p + q2\n",
  'plugins/q/src/own.ts': 'export const q2 = 1\n',
  'packages/api/src/index.ts': "import { s } from '../../../src/services/svc.js'\nexport const a = s\n",
  'src/log/a.ts': "import { b } from './b.js'\nexport const a = () => b\n",
  'src/log/b.ts': "import { a } from './a.js'\nexport const b = () => a\n",
  // npm packages are seen: undeclared in a plugin, and any package at all in the contract
  'node_modules/yaml/package.json': JSON.stringify({ name: 'yaml', version: '2.0.0', main: 'index.js' }),
  'node_modules/yaml/index.js': 'export const parse = 1\n',
  'node_modules/ldapts/package.json': JSON.stringify({ name: 'ldapts', version: '8.0.0', main: 'index.js' }),
  'node_modules/ldapts/index.js': 'export const Client = 1\n',
  'plugins/r/package.json': JSON.stringify({ name: '@acme/plugin-r', dependencies: { ldapts: '^8.0.0' } }),
  'plugins/r/src/index.ts':
    "import { parse } from 'yaml'\nimport { Client } from 'ldapts'\nexport const r = [parse, Client]\n",
  'packages/api/src/uses-package.ts': "import { Client } from 'ldapts'\nexport const l = Client\n",
  // lower layers do not reach up to services, container tokens, the composition root or commands
  'src/tokens.ts': 'export const Tokens = {}\n',
  'src/composition-root.ts': "import { s } from './services/svc.js'\nexport const root = s\n",
  'src/credentials/admin.ts': "import { s } from '../services/svc.js'\nexport const admin = s\n",
  'src/init/check.ts': "import type { S } from '../services/svc.js'\nexport const check = (x: S) => x\n",
  'src/config/uses-root.ts': "import { root } from '../composition-root.js'\nexport const u = root\n",
  'src/network/uses-tokens.ts': "import { Tokens } from '../tokens.js'\nexport const t = Tokens\n",
  'src/run/uses-command.ts': "import { g } from '../commands/good.js'\nexport const rc = g\n",
  // src/log is below src/run; src/fs (used by every layer) imports nothing of the core
  'src/log/uses-run.ts': "import { r } from '../run/runner.js'\nexport const lr = r\n",
  'src/log/log-file.ts': "import { w } from '../fs/private-file.js'\nexport const lf = w\n",
  'src/fs/private-file.ts': 'export const w = 1\n',
  'src/fs/uses-config.ts': "import { c } from '../config/thing.js'\nexport const fc = c\n",
  // the test servers stand alone, and tests reach them by package name only
  'packages/test-servers/src/server.ts': "import { c } from '../../../src/config/thing.js'\nexport const ts = c\n",
  'plugins/p/test/by-path.test.ts':
    "import { ts } from '../../../packages/test-servers/src/server.js'\nexport const bp = ts\n",
  // bin imports of the built core: the hook policy only
  'dist/plugins/hook-policy.js': 'export const enforceHookPolicy = 1\n',
  'dist/commands/sync.js': 'export default 1\n',
  'bin/run.js': "await import('../dist/plugins/hook-policy.js')\n",
  'bin/reaches-in.js': "import sync from '../dist/commands/sync.js'\nexport default sync\n",
}

interface Violation {
  from: string
  to: string
  rule: { name: string }
}

const dirs: string[] = []
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describe('architecture rules (.dependency-cruiser.cjs, run by npm run lint)', () => {
  it('fail on each forbidden import and let the allowed ones through', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ust-depcruise-'))
    dirs.push(dir)
    for (const [path, text] of Object.entries(TREE)) {
      await mkdir(dirname(join(dir, path)), { recursive: true })
      await writeFile(join(dir, path), text)
    }
    const bin = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs')
    const args = [bin, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type']
    const cruise = (outputType: string) =>
      run(process.execPath, [...args, outputType, 'src', 'plugins', 'packages', 'bin'], { cwd: dir }).then(
        (r) => ({ code: 0, stdout: r.stdout, output: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          stdout: e.stdout,
          output: e.stdout + e.stderr,
        }),
      )
    // `npm run lint` uses the default (err) output, whose exit code counts the errors; json gives the details.
    const [lint, json] = await Promise.all([cruise('err'), cruise('json')])
    const expected = [
      'api-is-standalone: packages/api/src/index.ts -> src/services/svc.ts',
      'api-is-standalone: packages/api/src/uses-package.ts -> node_modules/ldapts/index.js',
      'bin-reaches-the-core-through-its-hook-policy: bin/reaches-in.js -> dist/commands/sync.js',
      'commands-are-thin: src/commands/bad.ts -> src/config/thing.ts',
      'engine-below-orchestration: src/sync/uses-run.ts -> src/run/runner.ts',
      'engine-is-pure: src/sync/reads-files.ts -> fs',
      'fs-is-neutral: src/fs/uses-config.ts -> src/config/thing.ts',
      'log-below-run: src/log/uses-run.ts -> src/run/runner.ts',
      'lower-layers-below-services: src/config/uses-root.ts -> src/composition-root.ts',
      'lower-layers-below-services: src/credentials/admin.ts -> src/services/svc.ts',
      'lower-layers-below-services: src/init/check.ts -> src/services/svc.ts',
      'lower-layers-below-services: src/network/uses-tokens.ts -> src/tokens.ts',
      'lower-layers-below-services: src/run/uses-command.ts -> src/commands/good.ts',
      'no-cycles: src/log/a.ts -> src/log/b.ts',
      'plugin-dependencies-are-declared: plugins/r/src/index.ts -> node_modules/yaml/index.js',
      'plugins-use-the-contract-package: plugins/p/src/index.ts -> src/config/thing.ts',
      'plugin-sources-stay-in-their-plugin: plugins/q/src/index.ts -> plugins/p/src/index.ts',
      'test-servers-by-name: plugins/p/test/by-path.test.ts -> packages/test-servers/src/server.ts',
      'test-servers-stand-alone: packages/test-servers/src/server.ts -> src/config/thing.ts',
    ]
    expect(lint.code).not.toBe(0)
    expect(lint.output).toContain(`x ${expected.length} dependency violations (${expected.length} errors, 0 warnings)`)
    const violations = (JSON.parse(json.stdout).summary.violations as Violation[]).map(
      (v) => `${v.rule.name}: ${v.from} -> ${v.to}`,
    )
    expect(violations.sort()).toEqual(expected.sort())
  }, 240_000)

  it('pass on this repository: npm run lint (Biome and dependency-cruiser) exits 0', async () => {
    const { stdout } = await run('npm', ['run', 'lint'], { cwd: ROOT })
    expect(stdout).toMatch(/no dependency violations found/)
  }, 240_000)

  it("see bin's imports of the built core, each built from a source file of src/", async () => {
    const bin = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs')
    const config = join(ROOT, '.dependency-cruiser.cjs')
    const { stdout } = await run(process.execPath, [bin, '--config', config, '--output-type', 'json', 'bin'], {
      cwd: ROOT,
    })
    const modules = JSON.parse(stdout).modules as Array<{ source: string; dependencies: Array<{ module: string }> }>
    const intoDist = modules
      .filter((m) => m.source.startsWith('bin/'))
      .flatMap((m) => m.dependencies.map((d) => `${m.source} -> ${d.module}`))
      .filter((edge) => edge.includes('/dist/'))
      .sort()
    expect(intoDist).toEqual([
      'bin/dev.js -> ../dist/plugins/hook-policy.js',
      'bin/run.js -> ../dist/plugins/hook-policy.js',
    ])
    await expect(access(join(ROOT, 'src/plugins/hook-policy.ts'))).resolves.toBeUndefined()
  }, 240_000)
})
