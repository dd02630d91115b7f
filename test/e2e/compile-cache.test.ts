import { spawnSync } from 'node:child_process'
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// bin/compile-cache.js: Node's compile cache in a directory only the user can write, or no cache at all.
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

function version(cacheDir: string) {
  const { NODE_DISABLE_COMPILE_CACHE: _, ...env } = process.env
  const run = spawnSync(process.execPath, [BIN, '--version'], {
    env: { ...env, UST_COMPILE_CACHE_DIR: cacheDir },
    encoding: 'utf8',
  })
  expect(run.status, run.stderr).toBe(0)
  expect(run.stdout).toMatch(/^ust-sync\/\S+ /)
  return run
}

describe('the compile cache', () => {
  const work = mkdtempSync(join(tmpdir(), 'ust-compile-cache-'))

  it('is created private (0700) and filled on first run', () => {
    const dir = join(work, 'fresh', 'compile-cache')
    version(dir)
    if (process.platform !== 'win32') expect(lstatSync(dir).mode & 0o777).toBe(0o700)
    expect(readdirSync(dir).length).toBeGreaterThan(0)
  })

  it.skipIf(process.platform === 'win32')(
    'is not used in a directory others can write; the command still works',
    () => {
      const dir = join(work, 'shared')
      mkdirSync(dir)
      chmodSync(dir, 0o777)
      version(dir)
      expect(readdirSync(dir)).toEqual([])
    },
  )

  it.skipIf(process.platform === 'win32')('is not used through a symbolic link', () => {
    const target = join(work, 'elsewhere')
    mkdirSync(target, { mode: 0o700 })
    const link = join(work, 'link')
    symlinkSync(target, link)
    version(link)
    expect(readdirSync(target)).toEqual([])
  })

  it('is skipped when its directory cannot be created', () => {
    const file = join(work, 'a-file')
    writeFileSync(file, 'not a directory')
    version(join(file, 'compile-cache'))
  })
})
