import type { RunRecord } from './run-record.types.js'

const duration = (ms: number | undefined): string => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`)

/** `ust history`'s lines: a header and one row per run. */
export function historyTable(records: readonly RunRecord[]): string[] {
  if (records.length === 0) return ['No sync run recorded yet']
  const rows = records.map((r) => [
    r.id,
    r.startedAt,
    r.mode,
    r.status,
    r.exitCode === undefined ? '-' : String(r.exitCode),
    duration(r.durationMs),
    r.counts ? String(r.counts.usersCreated) : '-',
    r.counts ? String(r.counts.usersUpdated) : '-',
    r.counts ? String(r.counts.adobeOnlyProcessed) : '-',
  ])
  const header = ['ID', 'STARTED', 'MODE', 'STATUS', 'EXIT', 'TIME', 'CREATED', 'UPDATED', 'ADOBE-ONLY']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)]
}

/** `ust history show`'s lines: the record's facts, then its action summary. */
export function runDetails(r: RunRecord): string[] {
  const facts: Array<[string, string | undefined]> = [
    ['Run', r.id],
    ['Status', r.status === 'crashed' ? 'crashed (the process ended without recording its end)' : r.status],
    ['Mode', r.mode],
    ['Started', r.startedAt],
    ['Ended', r.endedAt],
    ['Duration', r.durationMs === undefined ? undefined : duration(r.durationMs)],
    ['Exit code', r.exitCode === undefined ? undefined : String(r.exitCode)],
    ['Error', r.errorCode],
    ['ust version', r.ustVersion],
    ['Config', r.configFile],
    [
      'Options',
      r.options
        ? Object.entries(r.options)
            .map(([k, v]) => `${k}=${String(v)}`)
            .join(' ')
        : undefined,
    ],
    ['Plan file', r.planFile],
    ['Plan digest', r.planDigest],
    ['Report', r.reportFile],
    ['Metrics file', r.metricsFile],
  ]
  const shown = facts.filter((f): f is [string, string] => f[1] !== undefined)
  const width = Math.max(...shown.map(([k]) => k.length))
  return [...shown.map(([k, v]) => `${`${k}:`.padEnd(width + 1)} ${v}`), ...(r.summary ? ['', ...r.summary] : [])]
}
