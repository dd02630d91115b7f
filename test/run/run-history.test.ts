import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { formatMetrics, writeMetricsFile } from '../../src/run/metrics-file.js'
import { newRunId, RunHistory } from '../../src/run/run-history.js'
import type { RunRecord } from '../../src/run/run-record.types.js'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ust-history-'))
  dirs.push(dir)
  return dir
}

const record = (id: string, extra: Partial<RunRecord> = {}): RunRecord => ({
  id,
  command: 'sync',
  mode: 'live',
  status: 'ok',
  startedAt: '2025-01-02T03:04:05.000Z',
  pid: process.pid,
  ustVersion: '1.0.0',
  ...extra,
})

/** A pid that is surely gone: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

describe('run history', () => {
  it('ids sort by start time', () => {
    expect(newRunId(Date.UTC(2025, 0, 2, 3, 4, 5))).toMatch(/^20250102T030405Z-[0-9a-f]{6}$/)
  })

  it('a run in progress lists as running; finished, its record replaces the marker; the file is 0600', async () => {
    const history = new RunHistory(await tempDir())
    await history.begin(record('a', { status: 'running' }))
    expect((await history.list()).map((r) => [r.id, r.status])).toEqual([['a', 'running']])
    await history.finish(record('a', { exitCode: 0 }))
    expect((await history.list()).map((r) => [r.id, r.status])).toEqual([['a', 'ok']])
    const dir = dirs[0] as string
    expect((await stat(join(dir, 'history/runs.jsonl'))).mode & 0o777).toBe(0o600)
  })

  it('a run whose process died is recorded once as crashed', async () => {
    const dir = await tempDir()
    const history = new RunHistory(dir)
    await history.begin(record('gone', { status: 'running', pid: deadPid() }))
    expect((await history.list()).map((r) => [r.id, r.status])).toEqual([['gone', 'crashed']])
    expect((await new RunHistory(dir).list()).map((r) => r.status)).toEqual(['crashed'])
  })

  it('keeps the newest records within the count and size limits', async () => {
    const dir = await tempDir()
    const history = new RunHistory(dir, { maxRecords: 3, maxBytes: 100_000 })
    for (const id of ['1', '2', '3', '4', '5']) await history.finish(record(id))
    expect((await history.list()).map((r) => r.id)).toEqual(['3', '4', '5'])
    const small = new RunHistory(dir, { maxRecords: 100, maxBytes: 450 })
    await small.finish(record('6'))
    const kept = (await small.list()).map((r) => r.id)
    expect(kept.at(-1)).toBe('6')
    expect((await readFile(join(dir, 'history/runs.jsonl'))).length).toBeLessThanOrEqual(450)
    expect(kept).toEqual(['4', '5', '6'])
  })
})

describe('metrics file', () => {
  const metrics = {
    endedAt: 1_700_000_000_500,
    exitCode: 0,
    durationMs: 12_345,
    users: { created: 3, updated: 1 },
    requests: { primary: 7 },
    rateLimitWaitMs: 1500,
  }

  it('is Prometheus text exposition format', () => {
    expect(formatMetrics(metrics, 1_700_000_000.5)).toBe(
      [
        '# HELP ust_sync_last_run_timestamp When the last ust sync run ended (seconds since the epoch).',
        '# TYPE ust_sync_last_run_timestamp gauge',
        'ust_sync_last_run_timestamp 1700000000.5',
        '# HELP ust_sync_last_success_timestamp When the last ust sync run that exited 0 ended (seconds since the epoch).',
        '# TYPE ust_sync_last_success_timestamp gauge',
        'ust_sync_last_success_timestamp 1700000000.5',
        '# HELP ust_sync_exit_code Exit code of the last ust sync run (0: success).',
        '# TYPE ust_sync_exit_code gauge',
        'ust_sync_exit_code 0',
        '# HELP ust_sync_users Users per action in the last ust sync run.',
        '# TYPE ust_sync_users gauge',
        'ust_sync_users{action="created"} 3',
        'ust_sync_users{action="updated"} 1',
        '# HELP ust_sync_requests_total Requests the last ust sync run sent to each target.',
        '# TYPE ust_sync_requests_total counter',
        'ust_sync_requests_total{target="primary"} 7',
        '# HELP ust_sync_duration_seconds Duration of the last ust sync run.',
        '# TYPE ust_sync_duration_seconds gauge',
        'ust_sync_duration_seconds 12.345',
        '# HELP ust_sync_rate_limit_wait_seconds Time the last ust sync run waited for rate limits.',
        '# TYPE ust_sync_rate_limit_wait_seconds gauge',
        'ust_sync_rate_limit_wait_seconds 1.5',
        '',
      ].join('\n'),
    )
  })

  it('a failed run keeps the previous success time; the file is replaced whole, 0644', async () => {
    const path = join(await tempDir(), 'ust.prom')
    await writeMetricsFile(path, metrics)
    await writeMetricsFile(path, { ...metrics, endedAt: 1_700_000_100_000, exitCode: 8 })
    const text = await readFile(path, 'utf8')
    expect(text).toContain('\nust_sync_last_run_timestamp 1700000100\n')
    expect(text).toContain('\nust_sync_last_success_timestamp 1700000000.5\n')
    expect(text).toContain('\nust_sync_exit_code 8\n')
    expect((await stat(path)).mode & 0o777).toBe(0o644)
  })

  it('no success ever: no success timestamp at all', async () => {
    const path = join(await tempDir(), 'ust.prom')
    await writeFile(path, 'garbage\n')
    await writeMetricsFile(path, { ...metrics, exitCode: 2 })
    expect(await readFile(path, 'utf8')).not.toContain('ust_sync_last_success_timestamp')
  })
})
