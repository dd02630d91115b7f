import type { Logger } from '@ust-sync/api'
import type { Redactor } from './redactor.js'

/** Log levels in increasing severity; `silent` prints nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'critical', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** A destination of log lines with its own threshold. */
export interface LogSink {
  level: LogLevel
  write(line: string): void
  /** A file kept for later (the log file), as opposed to the console. */
  kept?: boolean
}

/** State shared by a logger and its children: the redactor and the sinks. */
interface LogCore {
  redactor: Redactor
  sinks: LogSink[]
}

/** Writes to stderr (the console with `--json`: stdout is the JSON document only); through `print` when a status line is shown. */
export function stderrSink(level: LogLevel, print?: (line: string) => void): LogSink {
  return { level, write: print ?? ((line) => process.stderr.write(`${line}\n`)) }
}

/** Whether a sink at `level` shows `info` lines (progress is shown only then). */
export function showsInfo(level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf('info')
}

/**
 * Writes to stdout: the console as UST logs it (so `ust … > sync.log` captures the log); through `print`
 * when a status line is shown on stderr.
 */
export function stdoutSink(level: LogLevel, print?: (line: string) => void): LogSink {
  return { level, write: print ?? ((line) => process.stdout.write(`${line}\n`)) }
}

/**
 * The process logger, in UST's line format (`YYYY-MM-DD HH:MM:SS PID LEVEL name - message`), so scripts
 * that grep UST logs keep working. Every line goes through the redactor before any sink sees it.
 * Children share the sinks, so a sink added later (the log file) receives every component's lines.
 */
export class ProcessLogger implements Logger {
  private constructor(
    private readonly core: LogCore,
    private readonly name: string,
  ) {}

  static create(redactor: Redactor, sinks: LogSink[]): ProcessLogger {
    return new ProcessLogger({ redactor, sinks }, 'ust')
  }

  /** A logger for a component (a plugin id), sharing this one's sinks. */
  child(name: string): ProcessLogger {
    return new ProcessLogger(this.core, name)
  }

  /** Adds a destination (e.g. the log file configured in `logging:`). */
  addSink(sink: LogSink): void {
    this.core.sinks.push(sink)
  }

  /** Sinks, for changing a threshold once the configuration is known. */
  get sinks(): readonly LogSink[] {
    return this.core.sinks
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
  /** UST's CRITICAL level: the safety limit, and errors that end the run. */
  critical(message: string): void {
    this.write('critical', message)
  }

  /**
   * A line for the log file only (the console already showed it another way), e.g. the "→ what to do"
   * lines of the error that ended a run, for whoever reads the log the next morning.
   */
  keep(level: Exclude<LogLevel, 'silent'>, message: string): void {
    this.write(level, message, (sink) => sink.kept === true)
  }

  private write(level: Exclude<LogLevel, 'silent'>, message: string, only?: (sink: LogSink) => boolean): void {
    const rank = LOG_LEVELS.indexOf(level)
    const sinks = this.core.sinks.filter((s) => rank >= LOG_LEVELS.indexOf(s.level) && (!only || only(s)))
    if (sinks.length === 0) return
    const now = new Date()
    const pad = (n: number) => String(n).padStart(2, '0')
    const stamp = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`
    const label = level === 'warn' ? 'WARNING' : level.toUpperCase()
    for (const line of this.core.redactor.redact(message).split('\n')) {
      const text = `${stamp} ${process.pid} ${label} ${this.name} - ${line}`
      for (const sink of sinks) sink.write(text)
    }
  }
}
