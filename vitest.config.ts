import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'test/**/*.test.ts',
      'plugins/*/test/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/plugins/*/test/**/*.test.{ts,js}',
    ],
    setupFiles: ['test/setup.ts'],
    // Generous: e2e tests spawn the built CLI; a loaded 2-core machine makes each spawn several times slower.
    testTimeout: 90_000,
    hookTimeout: 180_000,
  },
})
