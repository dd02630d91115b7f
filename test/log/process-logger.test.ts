import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '@ust-sync/api'
import type { UstConfig } from '../../src/config/types.js'
import { logFileName, logFileSink } from '../../src/log/log-file.js'
import { ProcessLogger, type LogSink } from '../../src/log/process-logger.js'
import { Redactor } from '../../src/log/redactor.js'

function memorySink(level: LogSink['level']): LogSink & { lines: string[] } {
  const lines: string[] = []
  return { level, lines, write: (line) => lines.push(line) }
}

describe('ProcessLogger', () => {
  it("writes UST's line format and masks every secret the redactor knows, in every sink", () => {
    const redactor = new Redactor()
    redactor.add('s3cr3t-client-secret')
    const console = memorySink('info')
    const logger = ProcessLogger.create(redactor, [console])
    const file = memorySink('debug')
    logger.addSink(file)
    logger.child('umapi').warn('token request failed for client_secret=s3cr3t-client-secret')
    logger.debug('details only for the file')
    expect(console.lines).toHaveLength(1)
    expect(console.lines[0]).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \d+ WARNING umapi - token request failed for client_secret=\*\*\*$/,
    )
    expect(file.lines.join('\n')).not.toContain('s3cr3t')
    expect(file.lines).toHaveLength(2)
  })

  it('silent prints nothing', () => {
    const sink = memorySink('silent')
    ProcessLogger.create(new Redactor(), [sink]).error('boom')
    expect(sink.lines).toEqual([])
  })
})

describe('log file (UST logging: section)', () => {
  it("expands UST's file_log_name_format", () => {
    expect(logFileName('{:%Y-%m-%d}.log', new Date(2026, 10, 27, 9, 5, 7))).toBe('2026-11-27.log')
    expect(logFileName('ust-{:%Y%m%d-%H%M%S}.log', new Date(2026, 0, 2, 3, 4, 5))).toBe('ust-20260102-030405.log')
  })

  it('appends at file_log_level into file_log_directory, creating it', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'ust-logs-')), 'logs')
    const config = {
      file: '/c/user-sync-config.yml',
      logging: {
        logToFile: true,
        fileLogDirectory: dir,
        fileLogNameFormat: '{:%Y-%m-%d}.log',
        fileLogLevel: 'warning',
      },
    } as UstConfig
    const sink = logFileSink(config, new Date(2026, 10, 27))!
    expect(sink.level).toBe('warn')
    const logger = ProcessLogger.create(new Redactor(), [sink])
    logger.info('not written')
    logger.warn('written')
    expect(await readdir(dir)).toEqual(['2026-11-27.log'])
    expect(await readFile(join(dir, '2026-11-27.log'), 'utf8')).toMatch(/WARNING ust - written\n$/)
  })

  it('is off unless log_to_file is set; an uncreatable directory is a ConfigError naming the key', async () => {
    expect(logFileSink({ logging: { logToFile: false } } as UstConfig, new Date())).toBeUndefined()
    const aFile = join(await mkdtemp(join(tmpdir(), 'ust-logs-')), 'not-a-dir')
    await writeFile(aFile, '')
    const bad = {
      file: '/c/u.yml',
      logging: {
        logToFile: true,
        fileLogDirectory: join(aFile, 'logs'),
        fileLogNameFormat: 'x.log',
        fileLogLevel: 'info',
      },
    } as UstConfig
    expect(() => logFileSink(bad, new Date())).toThrow(ConfigError)
    expect(() => logFileSink(bad, new Date())).toThrow(/logging.file_log_directory/)
  })
})

describe('log file hardening', () => {
  it('a file_log_name_format that would leave file_log_directory is a config error', () => {
    for (const format of ['../{:%Y-%m-%d}.log', '/etc/{:%Y}.log', 'sub/x.log', '..']) {
      const config = {
        file: '/c/user-sync-config.yml',
        logging: { logToFile: true, fileLogDirectory: tmpdir(), fileLogNameFormat: format, fileLogLevel: 'info' },
      } as UstConfig
      expect(() => logFileSink(config, new Date(2026, 10, 27)), format).toThrow(ConfigError)
    }
  })

  it('CRITICAL is its own level, above ERROR', () => {
    const error = memorySink('error')
    const critical = memorySink('critical')
    const logger = ProcessLogger.create(new Redactor(), [error, critical])
    logger.error('e')
    logger.critical('limit exceeded')
    expect(error.lines).toHaveLength(2)
    expect(critical.lines).toEqual([expect.stringMatching(/ CRITICAL ust - limit exceeded$/)])
  })
})
