// Runs @ust-sync/plugin-testkit's checkCredentialBackend against the keyring backend (TypeScript sources)
// and prints {passed, skipped} or {violation}. Run inside a Secret Service session (keyring-conformance.test.ts).
import { checkCredentialBackend } from '@ust-sync/plugin-testkit'
import { keyringBackendDefinition } from '../src/definition.ts'

try {
  const report = await checkCredentialBackend(keyringBackendDefinition)
  process.stdout.write(JSON.stringify({ passed: report.passed, skipped: report.skipped }))
} catch (error) {
  process.stdout.write(JSON.stringify({ violation: error.message }))
}
