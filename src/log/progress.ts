import type { Clock, Progress, ProgressTask } from '@ust-sync/api'

/** Where the status line is drawn: stderr, or a test double. */
export interface StatusStream {
  isTTY?: boolean
  columns?: number
  write(text: string): unknown
}

/** How often the line is redrawn at most (ms). */
const REDRAW_MS = 100

/** `mm:ss` or `h:mm:ss`. */
function clockTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const hh = Math.floor(s / 3600)
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hh ? 2 : 1, '0')
  const ss = String(s % 60).padStart(2, '0')
  return hh ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`
}

/** Local wall-clock time `HH:MM:SS` of an epoch-ms instant. */
function timeOfDay(ms: number): string {
  const d = new Date(ms)
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')
}

interface TaskState {
  label: string
  total?: number
  done: number
  started: number
  /** Set while the task waits for a rate limit; reset to undefined by the next tick (no `delete` on the hot path). */
  waitingUntil?: number | undefined
}

/** The pieces of a task's line; absent pieces are not shown. */
interface LineParts {
  label: string
  count: string
  percent?: string
  rate?: string
  wait?: string
  eta?: string
  elapsed?: string
}

function partsOf(task: TaskState, now: number): LineParts {
  const elapsed = (now - task.started) / 1000
  const rate = elapsed > 0 ? task.done / elapsed : 0
  const parts: LineParts = {
    label: task.label,
    count: task.total === undefined ? `${task.done}` : `${task.done}/${task.total}`,
    elapsed: clockTime(elapsed),
  }
  if (task.total) parts.percent = `(${Math.floor((task.done / task.total) * 100)}%)`
  if (task.done > 0 && elapsed >= 0.5) parts.rate = `${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s`
  if (task.waitingUntil !== undefined && task.waitingUntil > now)
    parts.wait = `waiting for the rate limit until ${timeOfDay(task.waitingUntil)}`
  if (task.total !== undefined && task.done > 0 && task.done < task.total && elapsed >= 0.5)
    parts.eta = `ETA ${clockTime((task.total - task.done) / rate)}`
  return parts
}

function render(p: LineParts): string {
  const count = p.percent ? `${p.count} ${p.percent}` : p.count
  return `${p.label}: ${[count, p.rate, p.wait, p.eta, p.elapsed].filter(Boolean).join(' · ')}`
}

/** The shortest a label is cut to (with `…`) before the ETA and the percentage go. */
const MIN_LABEL = 16

/** `text` cut to `max` characters, the cut marked with `…`. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`
}

/**
 * How a line too wide for the terminal is shortened, least important first: the elapsed time, the rate,
 * the wording of a rate-limit wait (its end time stays), the label (cut to {@link MIN_LABEL}), the ETA,
 * the percentage. The count and a wait's end time stay to the last.
 */
const SHORTEN: ((p: LineParts, width: number) => void)[] = [
  (p) => delete p.elapsed,
  (p) => delete p.rate,
  (p) => {
    if (p.wait) p.wait = p.wait.replace('waiting for the rate limit until', 'rate limit until')
  },
  (p, width) => {
    p.label = cut(p.label, Math.max(MIN_LABEL, width - (render(p).length - p.label.length)))
  },
  (p) => delete p.eta,
  (p) => delete p.percent,
]

/**
 * The text of a task's line: `label: done/total (pct) · rate/s · ETA mm:ss · elapsed`, or the wait it is
 * in, shortened to fit `width` columns (see {@link SHORTEN}); cut with `…` only when nothing else is left.
 */
export function describeTask(task: TaskState, now: number, width = Number.POSITIVE_INFINITY): string {
  const parts = partsOf(task, now)
  let line = render(parts)
  for (const shorten of SHORTEN) {
    if (line.length <= width) return line
    shorten(parts, width)
    line = render(parts)
  }
  return cut(line, width).replace(/[ ·]+…$/, '…')
}

/**
 * Progress on one status line of a terminal, redrawn at most every {@link REDRAW_MS}: the most recently
 * started unfinished task is shown. Log lines go through {@link StatusLineProgress.print}, which clears the
 * line, writes the log line and redraws, so logs and progress never mix. When `enabled()` is false (not a
 * TTY, `--json`, log level above info) nothing is ever drawn.
 */
export class StatusLineProgress implements Progress {
  private readonly tasks: TaskState[] = []
  private shown = false
  private lastDraw = 0

  constructor(
    private readonly stream: StatusStream,
    private readonly enabled: () => boolean,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  start(label: string, total?: number): ProgressTask {
    const task: TaskState = { label, done: 0, started: this.clock.now(), ...(total === undefined ? {} : { total }) }
    this.tasks.push(task)
    this.draw(true)
    return {
      tick: (n, newTotal) => {
        task.done += n
        if (newTotal !== undefined) task.total = newTotal
        task.waitingUntil = undefined
        this.draw(false)
      },
      waiting: (until) => {
        task.waitingUntil = until
        this.draw(true)
      },
      end: () => {
        const i = this.tasks.indexOf(task)
        if (i >= 0) this.tasks.splice(i, 1)
        this.draw(true)
      },
    }
  }

  /**
   * Writes a log line (with its newline) to `out` (default: the status line's stream) without breaking the
   * status line: it is cleared first and redrawn after, also when the log goes to stdout.
   */
  print(line: string, out: { write(text: string): unknown } = this.stream): void {
    if (this.shown) this.stream.write('\r\x1b[2K')
    out.write(`${line}\n`)
    this.shown = false
    if (this.tasks.length > 0) this.draw(true)
  }

  private draw(force: boolean): void {
    if (!this.stream.isTTY || !this.enabled()) return
    const now = this.clock.now()
    if (!force && now - this.lastDraw < REDRAW_MS) return
    this.lastDraw = now
    const task = this.tasks[this.tasks.length - 1]
    if (!task) {
      if (this.shown) this.stream.write('\r\x1b[2K')
      this.shown = false
      return
    }
    // The terminal's width now (it may have been resized); one column spare so the line never wraps.
    const width = Math.max(20, (this.stream.columns || 80) - 1)
    this.stream.write(`\r\x1b[2K${describeTask(task, now, width)}`)
    this.shown = true
  }
}
