import { randomBytes } from 'node:crypto'
import { closeSync, writeSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { openPrivateAppendSync, replaceFileAtomic, writePrivateFile } from '../fs/private-file.js'
import type { RunRecord } from './run-record.types.js'

/** How much history is kept: the newest records within both limits. */
export interface HistoryLimits {
  maxRecords: number
  maxBytes: number
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { maxRecords: 1000, maxBytes: 2 * 1024 * 1024 }

/** A new run id, sortable by time: `20250102T030405Z-1a2b3c`. */
export function newRunId(now: number): string {
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The run history in the data dir: `history/runs.jsonl`, one JSON record a line, 0600, the oldest
 * dropped past {@link HistoryLimits}. A run in progress has a marker `history/running/<id>.json`; a
 * marker whose process is gone becomes a `crashed` record (claimed by rename, so only once).
 */
export class RunHistory {
  private readonly dir: string
  private readonly file: string
  private readonly running: string

  constructor(
    dataDir: string,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
  ) {
    this.dir = join(dataDir, 'history')
    this.file = join(this.dir, 'runs.jsonl')
    this.running = join(this.dir, 'running')
  }

  /** Notes that a run started (its marker); earlier crashed runs are recorded first. */
  async begin(record: RunRecord): Promise<void> {
    await mkdir(this.running, { recursive: true, mode: 0o700 })
    await this.recordCrashed()
    await writePrivateFile(this.markerOf(record.id), JSON.stringify(record))
  }

  /** Appends a finished run's record and removes its marker. */
  async finish(record: RunRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    await this.append([record])
    await rm(this.markerOf(record.id), { force: true })
  }

  /** Every run, oldest first: the recorded ones, then those still running. */
  async list(): Promise<RunRecord[]> {
    await this.recordCrashed()
    const records = await this.readRecords()
    for (const marker of await this.markers()) {
      const record = await this.readMarker(marker)
      if (record) records.push({ ...record, status: 'running' })
    }
    return records
  }

  private markerOf(id: string): string {
    return join(this.running, `${id}.json`)
  }

  private async markers(): Promise<string[]> {
    const names = await readdir(this.running).catch(() => [] as string[])
    return names.filter((n) => n.endsWith('.json')).map((n) => join(this.running, n))
  }

  private async readMarker(path: string): Promise<RunRecord | undefined> {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as RunRecord
    } catch {
      return undefined
    }
  }

  /** Markers of processes that are gone become `crashed` records. */
  private async recordCrashed(): Promise<void> {
    const crashed: RunRecord[] = []
    for (const marker of await this.markers()) {
      const record = await this.readMarker(marker)
      if (record && alive(record.pid)) continue
      const claimed = `${marker}.${process.pid}.claimed`
      if (
        !(await rename(marker, claimed).then(
          () => true,
          () => false,
        ))
      )
        continue
      if (record) crashed.push({ ...record, status: 'crashed' })
      await rm(claimed, { force: true })
    }
    if (crashed.length > 0) await this.append(crashed)
  }

  private async readRecords(): Promise<RunRecord[]> {
    const text = await readFile(this.file, 'utf8').catch(() => '')
    const records: RunRecord[] = []
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      try {
        records.push(JSON.parse(line) as RunRecord)
      } catch {
        // A line cut short by a full disk is skipped; the others stay readable.
      }
    }
    return records
  }

  /** Appends records (0600), then keeps only the newest within the limits. */
  private async append(records: RunRecord[]): Promise<void> {
    const fd = openPrivateAppendSync(this.file)
    try {
      writeSync(fd, records.map((r) => `${JSON.stringify(r)}\n`).join(''))
    } finally {
      closeSync(fd)
    }
    const { size } = await stat(this.file)
    const lines = (await readFile(this.file, 'utf8')).split('\n').filter((l) => l.trim())
    if (size <= this.limits.maxBytes && lines.length <= this.limits.maxRecords) return
    const kept: string[] = []
    let bytes = 0
    for (let i = lines.length - 1; i >= 0 && kept.length < this.limits.maxRecords; i--) {
      const line = lines[i] as string
      bytes += Buffer.byteLength(line) + 1
      if (bytes > this.limits.maxBytes) break
      kept.unshift(line)
    }
    await replaceFileAtomic(this.file, kept.map((l) => `${l}\n`).join(''))
  }
}
