import { mkdirSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import { openPrivateAppendSync } from '../fs/private-file.js'
import type { LogLevel, LogSink } from './process-logger.js'

/** UST's level names (Python logging) → ours. */
const LEVELS: Record<string, LogLevel> = {
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  warn: 'warn',
  error: 'error',
  critical: 'critical',
}

/** Maps a UST `*_log_level` value (`info`, `WARNING`, …) to a log level; unknown values are a ConfigError. */
export function levelOf(value: string, key: string, file: string): LogLevel {
  const level = LEVELS[value.trim().toLowerCase()]
  if (!level)
    throw new ConfigError(`${file}: ${key}: unknown log level "${value}"`, {
      suggestions: ['Use debug, info, warning, error or critical'],
    })
  return level
}

/**
 * Expands UST's `file_log_name_format` (Python `str.format` on `datetime.now()`, e.g. `{:%Y-%m-%d}.log`)
 * for the strftime fields UST's examples use: %Y %m %d %H %M %S and %%.
 */
export function logFileName(format: string, date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const fields: Record<string, string> = {
    Y: String(date.getFullYear()),
    m: pad(date.getMonth() + 1),
    d: pad(date.getDate()),
    H: pad(date.getHours()),
    M: pad(date.getMinutes()),
    S: pad(date.getSeconds()),
    '%': '%',
  }
  return format.replace(/\{:([^}]*)\}/g, (_, spec: string) => spec.replace(/%(.)/g, (m, f: string) => fields[f] ?? m))
}

/**
 * The log file sink of `logging:` (`log_to_file`, `file_log_directory` relative to the main config,
 * `file_log_name_format`, `file_log_level`); undefined when logging to file is off. The file is created
 * 0600 (only the owner reads it: it holds names and emails), whatever the umask. Lines are appended
 * synchronously so nothing is lost when the process exits on an error.
 */
export function logFileSink(config: UstConfig, now: Date): LogSink | undefined {
  const { logging } = config
  if (!logging.logToFile) return undefined
  const name = logFileName(logging.fileLogNameFormat, now)
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    // The name must stay a file inside file_log_directory (no path of its own, no way out of it).
    throw new ConfigError(
      `${config.file}: logging.file_log_name_format: "${logging.fileLogNameFormat}" gives "${name}", which is not a file name inside file_log_directory`,
      { suggestions: ['Use a plain file name such as {:%Y-%m-%d}.log; set the directory with file_log_directory'] },
    )
  }
  const path = join(logging.fileLogDirectory, name)
  try {
    mkdirSync(logging.fileLogDirectory, { recursive: true })
  } catch (error) {
    throw new ConfigError(
      `${config.file}: logging.file_log_directory: cannot create ${logging.fileLogDirectory}: ${(error as Error).message}`,
      {
        suggestions: ['Point file_log_directory at a writable directory, or set log_to_file: False'],
      },
    )
  }
  const level = levelOf(logging.fileLogLevel, 'logging.file_log_level', config.file)
  let fd: number
  try {
    fd = openPrivateAppendSync(path)
  } catch (error) {
    throw new ConfigError(`${config.file}: logging: cannot create the log file ${path}: ${(error as Error).message}`, {
      suggestions: ['Point file_log_directory at a writable directory, or set log_to_file: False'],
    })
  }
  return {
    level,
    kept: true,
    write: (line) => writeSync(fd, `${line}\n`),
  }
}
