import { execFileSync, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { BIN } from './run-cli.js'

/** A `node` older than 24 on this machine (the system one), if any. */
function oldNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const version = execFileSync(candidate, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim()
      if (Number(version.split('.')[0]) < 24) return candidate
    } catch {}
  }
  return undefined
}

const old = oldNode()

describe('bin/run.js on an older Node', () => {
  it.skipIf(old === undefined)('refuses to start with a clear message and exit 1', () => {
    const run = spawnSync(old!, [BIN, '--version'], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stderr).toMatch(/^Error: ust needs Node\.js 24 or later; this is Node\.js v\d+\./)
    expect(run.stderr).toContain('Install Node.js 24 LTS')
    expect(run.stdout).toBe('')
  })
})
