import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
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
  'src/services/svc.ts': "import { c } from '../config/thing.js'\nexport const s = c\n",
  'plugins/p/src/index.ts': "import { c } from '../../../src/config/thing.js'\nexport const p = c\n",
  'plugins/q/src/index.ts':
    "import { p } from '../../p/src/index.js'\nimport { q2 } from './own.js'\nexport const q = p + q2\n",
  'plugins/q/src/own.ts': 'export const q2 = 1\n',
  'packages/api/src/index.ts': "import { s } from '../../../src/services/svc.js'\nexport const a = s\n",
  'src/log/a.ts': "import { b } from './b.js'\nexport const a = () => b\n",
  'src/log/b.ts': "import { a } from './a.js'\nexport const b = () => a\n",
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
      run(process.execPath, [...args, outputType, 'src', 'plugins', 'packages'], { cwd: dir }).then(
        (r) => ({ code: 0, stdout: r.stdout, output: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({
          code: e.code,
          stdout: e.stdout,
          output: e.stdout + e.stderr,
        }),
      )
    // `npm run lint` uses the default (err) output, whose exit code counts the errors; json gives the details.
    const [lint, json] = await Promise.all([cruise('err'), cruise('json')])
    expect(lint.code).not.toBe(0)
    expect(lint.output).toMatch(/x 7 dependency violations \(7 errors, 0 warnings\)/)
    const violations = (JSON.parse(json.stdout).summary.violations as Violation[]).map(
      (v) => `${v.rule.name}: ${v.from} -> ${v.to}`,
    )
    expect(violations.sort()).toEqual(
      [
        'api-is-standalone: packages/api/src/index.ts -> src/services/svc.ts',
        'commands-are-thin: src/commands/bad.ts -> src/config/thing.ts',
        'engine-below-orchestration: src/sync/uses-run.ts -> src/run/runner.ts',
        'engine-is-pure: src/sync/reads-files.ts -> fs',
        'no-cycles: src/log/a.ts -> src/log/b.ts',
        'plugins-use-the-contract-package: plugins/p/src/index.ts -> src/config/thing.ts',
        'plugin-sources-stay-in-their-plugin: plugins/q/src/index.ts -> plugins/p/src/index.ts',
      ].sort(),
    )
  }, 240_000)
})
