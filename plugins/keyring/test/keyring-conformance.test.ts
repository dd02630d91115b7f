import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runInKeyringSession } from '@ust-sync/test-servers'

const HERE = path.dirname(fileURLToPath(import.meta.url))

describe('the keyring backend keeps the credential backend contract (@ust-sync/plugin-testkit)', () => {
  it('passes checkCredentialBackend against a real Secret Service', async () => {
    const run = await runInKeyringSession([
      process.execPath,
      '--import',
      path.join(HERE, 'ts-resolve.mjs'),
      path.join(HERE, 'drive-conformance.mjs'),
    ])
    expect(run.code, run.stderr).toBe(0)
    const outcome = JSON.parse(run.stdout) as { passed?: string[]; violation?: string }
    expect(outcome.violation).toBeUndefined()
    expect(outcome.passed).toContain('get() returns what set() stored')
    expect(outcome.passed).toContain('delete() of an absent secret is false')
  })
})
