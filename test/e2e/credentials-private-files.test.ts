import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { filesUnder, modeOf, runUst } from './credentials-helpers.js'
import { freshCopy, QUICKSTART } from './sync-helpers.js'

const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('files ust writes are readable by their owner only, whatever the umask', () => {
  it('write-file output, log files and plan files are 0600 under umask 000', async () => {
    const dir = await freshCopy(QUICKSTART, 'ust-e2e-private-')
    dirs.push(dir)
    const main = join(dir, 'user-sync-config.yml')
    const config = await readFile(main, 'utf8')
    await writeFile(main, config.replace('  log_to_file: False', '  log_to_file: True\n  file_log_directory: logs'))
    const env = { UST_DATA_DIR: join(dir, 'data') }

    const plan = await runUst(['sync', '-c', main, '--plan-out', join(dir, 'plan.json')], { env, cwd: dir })
    expect(plan.code, plan.stderr).toBe(0)
    expect(await modeOf(join(dir, 'plan.json'))).toBe(0o600)

    const csv = join(dir, 'adobe-only.csv')
    const run = await runUst(['sync', '-c', main, '--adobe-only-user-action', 'write-file', csv], { env, cwd: dir })
    expect(run.code, run.stderr).toBe(0)
    expect(await readFile(csv, 'utf8')).toContain('@')
    expect(await modeOf(csv)).toBe(0o600)
    const logs = await filesUnder(join(dir, 'logs'))
    expect(logs).toHaveLength(1)
    expect(logs[0]!.mode).toBe(0o600)
    expect(logs[0]!.text).toContain('Action Summary')
  }, 120_000)
})
