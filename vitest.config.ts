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
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
