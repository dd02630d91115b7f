import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  ConfigError,
  CredentialError,
  EXIT_CODE_CATALOGUE,
  ExitCode,
  type ExitCodeEntry,
  LockError,
  NetworkError,
  PluginError,
  SourceError,
  TargetError,
} from '@ust-sync/api'
import { describe, expect, it } from 'vitest'

const EXIT_CODES_DOC = resolve(import.meta.dirname, '../docs/admin/exit-codes.md')

/** The rows of the "Exit codes" table of docs/admin/exit-codes.md: `| code | retry | meaning |`. */
async function documentedExitCodes(): Promise<Array<{ exitCode: number; retry: string; meaning: string }>> {
  const text = await readFile(EXIT_CODES_DOC, 'utf8')
  const section = text.split(/^## The codes$/m)[1]?.split(/^#/m)[0] ?? ''
  return [...section.matchAll(/^\|\s*(\d+)\s*\|\s*(\S+)\s*\|\s*(.*?)\s*\|$/gm)].map((m) => ({
    exitCode: Number(m[1]),
    retry: m[2] ?? '',
    meaning: m[3] ?? '',
  }))
}

describe('exit-code catalogue', () => {
  it('is the exit-code table of docs/admin/exit-codes.md, row for row', async () => {
    const rows = await documentedExitCodes()
    expect(rows).toEqual(EXIT_CODE_CATALOGUE.map((e) => ({ exitCode: e.exitCode, retry: e.retry, meaning: e.meaning })))
  })

  it('says which codes a scheduler retries: the transient ones; a held lock is success', () => {
    const byRetry = (retry: string) => EXIT_CODE_CATALOGUE.filter((e) => e.retry === retry).map((e) => e.exitCode)
    expect(byRetry('yes')).toEqual([4, 6, 7])
    expect(byRetry('no')).toEqual([1, 2, 3, 5, 8, 9])
    expect(byRetry('success')).toEqual([0, 10])
  })

  it('exit codes and names are unique, and ExitCode names them', () => {
    const codes = EXIT_CODE_CATALOGUE.map((e) => e.exitCode)
    expect(new Set(codes).size).toBe(codes.length)
    for (const e of EXIT_CODE_CATALOGUE) expect(ExitCode[e.name]).toBe(e.exitCode)
  })

  it('every error class exits with the code the catalogue gives it, with its error code', () => {
    const classes = [ConfigError, CredentialError, NetworkError, PluginError, SourceError, TargetError, LockError]
    const byClass = new Map(
      (EXIT_CODE_CATALOGUE as readonly ExitCodeEntry[]).filter((e) => e.errorClass).map((e) => [e.errorClass, e]),
    )
    expect([...byClass.keys()].sort()).toEqual(classes.map((c) => c.name).sort())
    for (const ErrorClass of classes) {
      const error = new ErrorClass('x')
      const entry = byClass.get(ErrorClass.name)
      expect({ class: ErrorClass.name, exitCode: error.exitCode, code: error.code }).toEqual({
        class: ErrorClass.name,
        exitCode: entry?.exitCode,
        code: entry?.errorCode,
      })
    }
  })
})
