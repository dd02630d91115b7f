import { readFileSync } from 'node:fs'

/** This package's version: `@ust-sync/api` and the testkit are released in step with it. */
const OWN_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version

/**
 * Dependency ranges a generated plugin declares: `@ust-sync/api` and `@ust-sync/plugin-testkit` of this
 * release (released in step with this generator), and the TypeScript, vitest and Node types ust itself
 * builds and tests with (a test keeps them in step with the repository).
 */
export const VERSIONS = {
  api: `^${OWN_VERSION}`,
  testkit: `^${OWN_VERSION}`,
  typescript: '~6.0.3',
  vitest: '^5.1.2',
  typesNode: '^24.0.0',
} as const
