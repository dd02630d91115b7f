import type { SyncCounts } from '../sync/summary.js'

/** What kind of sync run a record is about. */
export type RunMode = 'live' | 'test' | 'plan-out' | 'plan'

/**
 * How a run ended: `ok` (exit 0), `partial` (something asked was not done), `limit` (a safety limit
 * stopped Adobe-only handling), `failed` (it stopped with an error), `crashed` (the process died without
 * recording its end), `running` (still going).
 */
export type RunStatus = 'ok' | 'partial' | 'limit' | 'failed' | 'crashed' | 'running'

/** The options of a run, as kinds and switches only: no group names, filters or user data. */
export interface RunOptionsRecord {
  connector: string
  strategy: 'sync' | 'push'
  users: string
  adobeUsers: string
  adobeOnlyUserAction: string
  processGroups: boolean
  updateUserInfo: boolean
  testMode: boolean
}

/**
 * One run in the history (`ust history`). No personal data: counts, options as kinds, paths, digests, the
 * summary lines (numbers only) and an error's code.
 */
export interface RunRecord {
  /** Unique, sortable by start: `20250102T030405Z-1a2b3c`. */
  id: string
  command: 'sync'
  mode: RunMode
  status: RunStatus
  startedAt: string
  endedAt?: string
  durationMs?: number
  pid: number
  ustVersion: string
  configFile?: string
  options?: RunOptionsRecord
  exitCode?: number
  counts?: SyncCounts
  summary?: string[]
  /** The error code of a failed run (its message may name users, so it is not kept). */
  errorCode?: string
  planFile?: string
  planDigest?: string
  reportFile?: string
  metricsFile?: string
}
