import { spawn } from 'node:child_process'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, ROOT, runCli } from './run-cli.js'
import { freshCopy, QUICKSTART } from './sync-helpers.js'

describe("UST's command line habits", () => {
  it('sync is the default command: `ust -t --process-groups -c FILE` runs a sync', async () => {
    const dir = await freshCopy(QUICKSTART, 'ust-e2e-default-')
    const before = await readFile(join(dir, 'org.json'))
    const run = await runCli(['-t', '--process-groups', '-c', join(dir, 'user-sync-config.yml')], { cwd: dir })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('- Action Summary (TEST MODE) -')
    expect(await readFile(join(dir, 'org.json'))).toEqual(before)
    await rm(dir, { recursive: true, force: true })
  })

  it('-v and --version print the version; no arguments prints help', async () => {
    for (const flag of ['-v', '--version']) {
      const run = await runCli([flag])
      expect(run.code).toBe(0)
      expect(run.stdout).toMatch(/^ust-sync\/\d+\.\d+\.\d+ /)
    }
    const help = await runCli([])
    expect(help.stdout).toContain('sync')
    expect(help.stdout).toContain('USAGE')
  })
})

describe('a reader that closes the pipe early (ust info | head -1)', () => {
  it('ends quietly with the command exit code: no crash, no "unsettled top-level await"', async () => {
    for (const args of [['info'], ['sync', '--help'], ['info', '--json']]) {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      child.stdout.destroy() // the reader is gone before the first line
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' })
    }
  })
})
