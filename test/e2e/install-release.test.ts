import { execFile } from 'node:child_process'
import { cp, glob, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from './run-cli.js'

const run = promisify(execFile)

/** Directories of the root package and every workspace, as npm sees them. */
async function packageDirs(root: string): Promise<string[]> {
  const dirs = [root]
  for (const pattern of ['packages/*/package.json', 'plugins/*/package.json']) {
    for await (const file of glob(pattern, { cwd: root })) dirs.push(join(root, dirname(file)))
  }
  return dirs
}

interface PackJson {
  name: string
  version: string
  files: { path: string }[]
}

describe('what npm publishes', () => {
  it('each package ships built code and its manifest, never sources, tests or source maps', async () => {
    // A private package (the test servers) is never published.
    const all = await Promise.all(
      (await packageDirs(ROOT)).map(async (dir) => ({
        dir,
        pjson: JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')),
      })),
    )
    expect(all.filter((p) => p.pjson.private).map((p) => p.pjson.name)).toEqual(['@ust-sync/test-servers'])
    const published = all.filter((p) => !p.pjson.private)
    expect(published.map((p) => p.pjson.name).sort()).toEqual([
      '@ust-sync/api',
      ...['csv', 'entra', 'env', 'file', 'keyring', 'ldap', 'okta', 'sandbox', 'sign', 'testkit', 'umapi'].map(
        (n) => `@ust-sync/plugin-${n}`,
      ),
      'create-ust-plugin',
      'ust-sync',
    ])
    const dirs = published.map((p) => p.dir)
    const packs = await Promise.all(
      dirs.map(async (dir) => {
        const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir })
        return { dir, pack: (JSON.parse(stdout) as PackJson[])[0]! }
      }),
    )
    for (const { dir, pack } of packs) {
      const files = pack.files.map((f) => f.path)
      const pjson = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))
      expect(files, pack.name).toContain('package.json')
      const junk = files.filter((f) => /\.map$|\.tsbuildinfo$|^src\/|^test\/|(^|\/)tsconfig[^/]*\.json$/.test(f))
      expect(junk, `${pack.name} ships ${junk.join(', ')}`).toEqual([])
      const hook = pjson.oclif?.hooks?.['ust:register']
      if (hook) expect(files, pack.name).toContain(hook.replace(/^\.\//, ''))
      if (dir === ROOT) {
        expect(files).toEqual(expect.arrayContaining(['bin/run.js', 'oclif.manifest.json', 'dist/api/index.d.ts']))
        expect(files).not.toContain('bin/dev.js')
      }
    }
  }, 120_000)
})

describe('npm run version:set', () => {
  it('the repository is in step (else: npm run version:set -- X.Y.Z after adding a package)', async () => {
    const check = await run(process.execPath, ['scripts/version-set.ts', '--check'], { cwd: ROOT }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    )
    expect(check.code, check.stderr).toBe(0)
  })

  let copy: string

  beforeAll(async () => {
    // The scripts on a copy of every package.json (without a lockfile: no npm install runs).
    copy = await mkdtemp(join(tmpdir(), 'ust-version-set-'))
    await cp(join(ROOT, 'scripts'), join(copy, 'scripts'), { recursive: true })
    for (const dir of await packageDirs(ROOT)) {
      const target = join(copy, dir.slice(ROOT.length))
      await mkdir(target, { recursive: true })
      await cp(join(dir, 'package.json'), join(target, 'package.json'))
    }
  })
  afterAll(async () => {
    await rm(copy, { recursive: true, force: true })
  })

  const versionSet = (...args: string[]) =>
    run(process.execPath, ['scripts/version-set.ts', ...args], { cwd: copy }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    )

  it('sets every package and every range between them to one version', async () => {
    const result = await versionSet('2.3.4-rc.1')
    expect(result.code, result.stderr).toBe(0)
    const dirs = await packageDirs(copy)
    const names = new Set<string>()
    const pjsons = await Promise.all(dirs.map(async (d) => JSON.parse(await readFile(join(d, 'package.json'), 'utf8'))))
    for (const p of pjsons) names.add(p.name)
    for (const p of pjsons) {
      expect(p.version, p.name).toBe('2.3.4-rc.1')
      for (const section of ['dependencies', 'peerDependencies', 'devDependencies']) {
        for (const [name, range] of Object.entries(p[section] ?? {})) {
          if (names.has(name)) expect(range, `${p.name} ${section}.${name}`).toBe('^2.3.4-rc.1')
        }
      }
    }
    expect(pjsons.find((p) => p.name === 'ust-sync').dependencies['@oclif/core']).toMatch(/^\^5/)
    expect((await versionSet('--check')).stdout).toContain(`${dirs.length} packages at 2.3.4-rc.1`)
  })

  it('--check names a package that is out of step, and exits 1', async () => {
    await versionSet('2.3.4')
    const file = join(copy, 'plugins/csv/package.json')
    const pjson = JSON.parse(await readFile(file, 'utf8'))
    await writeFile(file, JSON.stringify({ ...pjson, version: '2.3.3' }))
    const result = await versionSet('--check')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('@ust-sync/plugin-csv is at 2.3.3, not 2.3.4')
    expect(result.stderr).toContain('npm run version:set -- X.Y.Z')
  })

  it('refuses a version that is not X.Y.Z, changing nothing', async () => {
    const before = await readFile(join(copy, 'package.json'), 'utf8')
    const result = await versionSet('2.4')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('usage: npm run version:set -- X.Y.Z   (got "2.4")')
    expect(await readFile(join(copy, 'package.json'), 'utf8')).toBe(before)
  })
})
