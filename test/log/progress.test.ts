import { describe, expect, it } from 'vitest'
import { describeTask, StatusLineProgress, type StatusStream } from '../../src/log/progress.js'

/** A terminal double: what was written, and a clock the test moves. */
function terminal(isTTY = true) {
  const writes: string[] = []
  const stream: StatusStream = { isTTY, columns: 120, write: (text: string) => writes.push(text) }
  let now = Date.UTC(2026, 0, 1, 12, 0, 0)
  const clock = { now: () => now }
  return { writes, stream, clock, advance: (ms: number) => (now += ms) }
}

describe('describeTask', () => {
  it('shows count, total, percentage, rate, ETA and elapsed time', () => {
    const started = 0
    expect(describeTask({ label: 'Sending', done: 500, total: 2000, started }, 10_000)).toBe(
      'Sending: 500/2000 (25%) · 50/s · ETA 0:30 · 0:10',
    )
  })

  it('shows the rate-limit wait with its end time, and no ETA without a total', () => {
    const until = new Date(2026, 0, 1, 12, 0, 40).getTime()
    const line = describeTask(
      { label: 'Sending', done: 10, started: until - 20_000, waitingUntil: until },
      until - 10_000,
    )
    expect(line).toBe('Sending: 10 · 1.0/s · waiting for the rate limit until 12:00:40 · 0:10')
  })
})

describe('describeTask fits the terminal width', () => {
  const until = new Date(2026, 0, 1, 12, 0, 40).getTime()
  const now = until - 10_000
  const task = {
    label: 'Sending commands to org 0123456789ABCDEF01234567@AdobeOrg',
    done: 1200,
    total: 5000,
    started: now - 100_000,
    waitingUntil: until,
  }

  it('shows everything when it fits', () => {
    expect(describeTask(task, now, 200)).toBe(
      'Sending commands to org 0123456789ABCDEF01234567@AdobeOrg: 1200/5000 (24%) · 12/s · waiting for the rate limit until 12:00:40 · ETA 5:17 · 1:40',
    )
  })

  it('at 80 columns drops the elapsed time and the rate, shortens the wait, then cuts the label; the wait stays', () => {
    expect(describeTask(task, now, 79)).toBe(
      'Sending commands to or…: 1200/5000 (24%) · rate limit until 12:00:40 · ETA 5:17',
    )
  })

  it('narrower still, the ETA and then the percentage go; the count and the end of the wait stay', () => {
    expect(describeTask(task, now, 70)).toBe('Sending command…: 1200/5000 (24%) · rate limit until 12:00:40')
    expect(describeTask(task, now, 59)).toBe('Sending command…: 1200/5000 · rate limit until 12:00:40')
    expect(describeTask(task, now, 30)).toBe('Sending command…: 1200/5000…')
  })
})

describe('StatusLineProgress', () => {
  it('draws the current task on one line, redraws it around log lines and clears it at the end', () => {
    const t = terminal()
    const progress = new StatusLineProgress(t.stream, () => true, t.clock)
    const task = progress.start('Reading users', 100)
    t.advance(1000)
    task.tick(40)
    expect(t.writes.at(-1)).toBe('\r\x1b[2KReading users: 40/100 (40%) · 40/s · ETA 0:02 · 0:01')
    progress.print('2026-01-01 12:00:01 1 INFO ust - hello')
    expect(t.writes.slice(-3)).toEqual([
      '\r\x1b[2K',
      '2026-01-01 12:00:01 1 INFO ust - hello\n',
      '\r\x1b[2KReading users: 40/100 (40%) · 40/s · ETA 0:02 · 0:01',
    ])
    task.end()
    expect(t.writes.at(-1)).toBe('\r\x1b[2K')
    progress.print('after')
    expect(t.writes.at(-1)).toBe('after\n')
  })

  it("fits the line to the terminal's width at each draw (stderr.columns), waits included", () => {
    const t = terminal()
    t.stream.columns = 80
    const progress = new StatusLineProgress(t.stream, () => true, t.clock)
    const task = progress.start('Sending commands to org 0123456789ABCDEF01234567@AdobeOrg', 5000)
    t.advance(100_000)
    task.tick(1200)
    task.waiting(t.clock.now() + 10_000)
    const wait = new Date(t.clock.now() + 10_000).toTimeString().slice(0, 8)
    expect(t.writes.at(-1)).toBe(
      `\r\x1b[2KSending commands to or…: 1200/5000 (24%) · rate limit until ${wait} · ETA 5:17`,
    )
    t.stream.columns = 60
    task.waiting(t.clock.now() + 10_000)
    expect(t.writes.at(-1)).toBe(`\r\x1b[2KSending command…: 1200/5000 · rate limit until ${wait}`)
  })

  it('redraws at most every 100 ms while ticking', () => {
    const t = terminal()
    const task = new StatusLineProgress(t.stream, () => true, t.clock).start('Sending', 1000)
    const before = t.writes.length
    for (let i = 0; i < 50; i++) task.tick(1)
    expect(t.writes.length).toBe(before)
    t.advance(150)
    task.tick(1)
    expect(t.writes.length).toBe(before + 1)
  })

  it('draws nothing when stderr is not a terminal or the log level hides info', () => {
    for (const [isTTY, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const t = terminal(isTTY)
      const progress = new StatusLineProgress(t.stream, () => enabled, t.clock)
      const task = progress.start('Sending', 10)
      t.advance(1000)
      task.tick(5)
      task.waiting(t.clock.now() + 5000)
      progress.print('a log line')
      task.end()
      expect(t.writes).toEqual(['a log line\n'])
    }
  })
})
