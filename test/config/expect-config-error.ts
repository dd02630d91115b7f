import { expect } from 'vitest'
import { ConfigError, ExitCode, type ConfigIssue } from '@ust-sync/api'

/** What a test expects of one issue; `file` is matched as a suffix of the absolute path. */
export interface ExpectedIssue {
  file: string
  line: number
  column: number
  path: string
  message: RegExp | string
  suggestion?: RegExp | string
}

/** Awaits a rejected load and returns its ConfigError after checking class and exit code. */
export async function configErrorOf(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  const configError = error as ConfigError
  expect(configError.exitCode).toBe(ExitCode.config)
  expect(configError.exitCode).toBe(2)
  return configError
}

/** Checks that `error` reports `expected` (position, key path, message) in its issues and in its message text. */
export function expectIssue(error: ConfigError, expected: ExpectedIssue): ConfigIssue {
  const issue = error.issues.find((i) => i.path === expected.path && i.file.endsWith(expected.file))
  expect(issue, `no issue for ${expected.path} in ${expected.file}; got ${error.message}`).toBeDefined()
  expect(issue!.line).toBe(expected.line)
  expect(issue!.column).toBe(expected.column)
  expect(issue!.message).toMatch(expected.message)
  if (expected.suggestion !== undefined) expect(issue!.suggestion).toMatch(expected.suggestion)
  expect(error.message).toContain(`${expected.file}:${expected.line}:${expected.column}: ${expected.path}:`)
  return issue!
}
