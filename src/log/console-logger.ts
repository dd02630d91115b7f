import type { Logger } from '../api/index.js'
import type { Redactor } from './redactor.js'

/** Log levels in increasing severity; `silent` prints nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

type Sink = (line: string) => void

/**
 * The process logger: UST's line format (`YYYY-MM-DD HH:MM:SS PID LEVEL name - message`) on stderr, so
 * stdout stays free for `--json` results. Every line goes through the redactor.
 */
export class ConsoleLogger implements Logger {
  constructor(
    private readonly redactor: Redactor,
    private readonly level: LogLevel = 'info',
    private readonly name = 'ust',
    private readonly sink: Sink = (line) => process.stderr.write(`${line}\n`),
  ) {}

  /** A logger with the same settings and another component name. */
  child(name: string): ConsoleLogger {
    return new ConsoleLogger(this.redactor, this.level, name, this.sink)
  }

  debug(message: string): void {
    this.write('debug', message)
  }
  info(message: string): void {
    this.write('info', message)
  }
  warn(message: string): void {
    this.write('warn', message)
  }
  error(message: string): void {
    this.write('error', message)
  }

  private write(level: Exclude<LogLevel, 'silent'>, message: string): void {
    if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(this.level)) return
    const now = new Date()
    const pad = (n: number) => String(n).padStart(2, '0')
    const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`
    const label = level === 'warn' ? 'WARNING' : level.toUpperCase()
    for (const line of this.redactor.redact(message).split('\n')) this.sink(`${stamp} ${process.pid} ${label} ${this.name} - ${line}`)
  }
}
