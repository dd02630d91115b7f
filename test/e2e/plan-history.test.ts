import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { HistoryListResult } from '../../src/services/history-service.js'
import type { PlanShowResult } from '../../src/services/plan-service.js'
import type { RunRecord } from '../../src/run/run-record.types.js'
import { jsonOf, runCli, type CliRun } from './run-cli.js'
import { freshCopy, QUICKSTART } from './sync-helpers.js'

const README_FLAGS = ['--process-groups', '--adobe-only-user-action', 'remove']
const copies: string[] = []
afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })))
})

async function quickstart(): Promise<string> {
  const dir = await freshCopy(QUICKSTART, 'ust-e2e-plan-')
  copies.push(dir)
  return dir
}

function ust(dir: string, args: string[]): Promise<CliRun> {
  return runCli(args, { cwd: dir, env: { UST_DATA_DIR: join(dir, '.ust-data'), NO_COLOR: '1' } })
}
const sync = (dir: string, args: string[]) => ust(dir, ['sync', '-c', join(dir, 'user-sync-config.yml'), ...args])

describe.concurrent('ust plan show, ust history, --metrics-file', () => {
  it('--plan-out prints the plan for a person; plan show gives the same view, --only and --json', async () => {
    const dir = await quickstart()
    const out = await sync(dir, [...README_FLAGS, '--plan-out', 'plan.json'])
    expect(out.code, out.stderr).toBe(0)
    const headline = 'This plan REMOVES: 6 users from the organisation, 3 group memberships'
    expect(out.stdout).toContain(`\n${headline}\n`)

    const shown = await ust(dir, ['plan', 'show', 'plan.json'])
    expect(shown.code, shown.stderr).toBe(0)
    const lines = shown.stdout.split('\n')
    expect(lines[0]).toBe(headline)
    expect(lines.slice(3, 6)).toEqual([
      'Counts',
      '  Users created:                                  17',
      '  Users updated (attributes):                     2',
    ])
    expect(shown.stdout).toContain('\n  ~ tom.becker@northwind.example  firstname: "Thomas" → "Tom"\n')
    // Group names as written in the config, not as the plan's commands spell them (lower-cased).
    expect(shown.stdout).toContain('\n  Creative Cloud - Design  +6 −1\n')
    expect(shown.stdout).toContain('\n  − karen.webb@northwind.example  removed from the organisation\n')
    expect(shown.stdout).not.toContain('\x1b[')
    expect(out.stdout).toContain(shown.stdout.trimEnd())

    const removals = jsonOf<PlanShowResult>(
      await ust(dir, ['plan', 'show', 'plan.json', '--only', 'removals', '--json']),
    )
    expect(removals.headline).toBe(headline)
    expect(removals.view.creates).toEqual([])
    expect(removals.view.removals.map((r) => r.action)).toEqual(Array(6).fill('removed'))
    expect(removals.view.counts).toMatchObject({ usersCreated: 17, membershipsRemoved: 3, adobeOnlyRemoved: 6 })
  })

  it('plan show refuses an edited plan and a missing file, with --json errors', async () => {
    const dir = await quickstart()
    expect((await sync(dir, [...README_FLAGS, '--plan-out', 'plan.json'])).code).toBe(0)
    const text = await readFile(join(dir, 'plan.json'), 'utf8')
    await writeFile(join(dir, 'plan.json'), text.replace('tom.becker', 'tim.becker'))
    const edited = await ust(dir, ['plan', 'show', 'plan.json', '--json'])
    expect(edited.code).not.toBe(0)
    expect(jsonOf<{ error: { code: string } }>(edited).error.code).toBe('config.plan-tampered')
    const missing = await ust(dir, ['plan', 'show', 'nope.json'])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain('Cannot read the plan file nope.json: no such file')
  })

  it('every run is recorded (modes, counts, digest; no personal data) and the metrics file follows the runs', async () => {
    const dir = await quickstart()
    const metrics = join(dir, 'ust.prom')
    const planOut = await sync(dir, [...README_FLAGS, '--plan-out', 'plan.json', '--metrics-file', metrics, '--json'])
    expect(planOut.code, planOut.stderr).toBe(0)
    const digest = jsonOf<{ planDigest: string }>(planOut).planDigest
    expect(digest).toMatch(/^[0-9a-f]{64}$/)
    expect((await sync(dir, [...README_FLAGS, '-t', '--metrics-file', metrics])).code).toBe(0)
    expect((await sync(dir, [...README_FLAGS, '--plan', 'plan.json', '--metrics-file', metrics])).code).toBe(0)
    const firstSuccess = /^ust_sync_last_success_timestamp (\S+)$/m.exec(await readFile(metrics, 'utf8'))?.[1]
    const failed = await sync(dir, [...README_FLAGS, '--plan', 'plan.json', '--metrics-file', metrics])
    expect(failed.code).toBe(7)

    const list = jsonOf<HistoryListResult>(await ust(dir, ['history', '--json']))
    expect(list.records.map((r) => [r.mode, r.status, r.exitCode])).toEqual([
      ['plan-out', 'ok', 0],
      ['test', 'ok', 0],
      ['plan', 'ok', 0],
      ['plan', 'failed', 7],
    ])
    expect(list.records[0]?.planDigest).toBe(digest)
    expect(list.records[2]?.planDigest).toBe(digest)
    expect(list.records[3]?.errorCode).toBe('target.plan-drift')
    expect(list.records[2]?.counts?.usersCreated).toBe(17)
    expect(list.records[0]?.options).toEqual({
      connector: 'csv',
      strategy: 'sync',
      users: 'mapped',
      adobeUsers: 'all',
      adobeOnlyUserAction: 'remove',
      processGroups: true,
      updateUserInfo: true,
      testMode: false,
    })
    expect(jsonOf<HistoryListResult>(await ust(dir, ['history', '--last', '1', '--json'])).records).toHaveLength(1)

    const file = join(dir, '.ust-data/history/runs.jsonl')
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(await readFile(file, 'utf8')).not.toMatch(/northwind|Becker|Design Team/i)

    const id = list.records[2]?.id as string
    const show = await ust(dir, ['history', 'show', id])
    expect(show.code, show.stderr).toBe(0)
    expect(show.stdout).toContain(`Run:          ${id}\nStatus:       ok\nMode:         plan\n`)
    expect(show.stdout).toContain('Number of new Adobe users added: 17')
    expect(jsonOf<RunRecord>(await ust(dir, ['history', 'show', id, '--json'])).id).toBe(id)
    const unknown = await ust(dir, ['history', 'show', 'nope', '--json'])
    expect(jsonOf<{ error: { code: string } }>(unknown).error.code).toBe('config.unknown-run')

    const text = await readFile(metrics, 'utf8')
    expect(text).toContain('\nust_sync_exit_code 7\n')
    expect(text).toContain(`\nust_sync_last_success_timestamp ${firstSuccess}\n`)
    expect(text).toMatch(/\nust_sync_last_run_timestamp \d+(\.\d+)?\n/)
  })

  it('metrics_file in the main config is used without the flag', async () => {
    const dir = await quickstart()
    const config = join(dir, 'user-sync-config.yml')
    await writeFile(config, `${await readFile(config, 'utf8')}\nmetrics_file: out/ust.prom\n`)
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'out')))
    const run = await sync(dir, [...README_FLAGS, '-t', '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(jsonOf<{ metricsFile: string }>(run).metricsFile).toBe(join(dir, 'out/ust.prom'))
    const text = await readFile(join(dir, 'out/ust.prom'), 'utf8')
    expect(text).toContain('\nust_sync_users{action="created"} 17\n')
    expect(text).toContain('\nust_sync_requests_total{target="primary"} 0\n')
  })
})
