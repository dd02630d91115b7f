import { API_VERSION } from '@ust-sync/api'

/**
 * Dependency ranges a generated plugin declares. `@ust-sync/api` follows the contract version this
 * generator was built with; the others match what ust itself builds and tests with (a test keeps them in
 * step with the repository).
 */
export const VERSIONS = {
  api: `^${API_VERSION}.0.0`,
  testkit: '^1.0.0',
  typescript: '~6.0.3',
  vitest: '^5.1.2',
  typesNode: '^24.0.0',
} as const
