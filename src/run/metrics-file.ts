import { readFile } from 'node:fs/promises'
import { replaceFileAtomic } from '../fs/private-file.js'

/** What one run tells monitoring (Prometheus text exposition, node_exporter's textfile collector). */
export interface RunMetrics {
  /** When the run ended, ms since the epoch. */
  endedAt: number
  exitCode: number
  durationMs: number
  /** Users per action (`created`, `updated`, …); absent for a run that stopped before counting. */
  users?: Record<string, number>
  /** Requests sent per target. */
  requests: Record<string, number>
  rateLimitWaitMs: number
}

const seconds = (ms: number): string => String(ms / 1000)
const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')

/**
 * The metrics file's text (pure). `lastSuccess` (seconds) is this run's end when it succeeded (exit 0),
 * else the previous file's value, absent when no run ever succeeded.
 */
export function formatMetrics(metrics: RunMetrics, lastSuccess: number | undefined): string {
  const lines: string[] = []
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: Array<[string, string]>) => {
    if (samples.length === 0) return
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`)
  }
  const labelled = (label: string, values: Record<string, number>): Array<[string, string]> =>
    Object.entries(values).map(([key, value]) => [`{${label}="${escapeLabel(key)}"}`, String(value)])
  metric('ust_sync_last_run_timestamp', 'gauge', 'When the last ust sync run ended (seconds since the epoch).', [
    ['', seconds(metrics.endedAt)],
  ])
  metric(
    'ust_sync_last_success_timestamp',
    'gauge',
    'When the last ust sync run that exited 0 ended (seconds since the epoch).',
    lastSuccess === undefined ? [] : [['', String(lastSuccess)]],
  )
  metric('ust_sync_exit_code', 'gauge', 'Exit code of the last ust sync run (0: success).', [
    ['', String(metrics.exitCode)],
  ])
  metric(
    'ust_sync_users',
    'gauge',
    'Users per action in the last ust sync run.',
    labelled('action', metrics.users ?? {}),
  )
  metric(
    'ust_sync_requests_total',
    'counter',
    'Requests the last ust sync run sent to each target.',
    labelled('target', metrics.requests),
  )
  metric('ust_sync_duration_seconds', 'gauge', 'Duration of the last ust sync run.', [
    ['', seconds(metrics.durationMs)],
  ])
  metric('ust_sync_rate_limit_wait_seconds', 'gauge', 'Time the last ust sync run waited for rate limits.', [
    ['', seconds(metrics.rateLimitWaitMs)],
  ])
  return `${lines.join('\n')}\n`
}

/** `ust_sync_last_success_timestamp` of an existing metrics file, if any. */
async function previousSuccess(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '')
  const match = /^ust_sync_last_success_timestamp (\S+)$/m.exec(text)
  const value = match ? Number(match[1]) : Number.NaN
  return Number.isFinite(value) ? value : undefined
}

/**
 * Writes the metrics file atomically (a collector never reads half of it), 0644: it holds counts only and
 * the collector may run as another user.
 */
export async function writeMetricsFile(path: string, metrics: RunMetrics): Promise<void> {
  const lastSuccess = metrics.exitCode === 0 ? metrics.endedAt / 1000 : await previousSuccess(path)
  await replaceFileAtomic(path, formatMetrics(metrics, lastSuccess), 0o644)
}
