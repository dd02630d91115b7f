import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import {
  ARCHITECTURE_DOC_PATH,
  cruiseParts,
  partOf,
  renderDiagram,
  withDiagram,
} from '../../scripts/architecture-doc.js'

describe('docs/architecture.md', () => {
  it('shows the dependency graph of the code as it is (`npm run docs:architecture` redraws it)', async () => {
    const committed = await readFile(ARCHITECTURE_DOC_PATH, 'utf8')
    expect(committed).toBe(withDiagram(committed, renderDiagram(cruiseParts())))
  }, 120_000)

  it('folds files and imports to their part, and leaves npm and node: out', () => {
    expect(
      [
        'src/run/lock.ts',
        'src/tokens.ts',
        'packages/api/dist/index.d.ts',
        '@ust-sync/api',
        'plugins/ldap/src/x.ts',
        '@ust-sync/plugin-csv',
        'node_modules/yaml/dist/index.js',
        'yaml',
        'fs',
      ].map(partOf),
    ).toEqual([
      'src/run',
      'src/tokens',
      '@ust-sync/api',
      '@ust-sync/api',
      'plugins/ldap',
      'plugins/csv',
      undefined,
      undefined,
      undefined,
    ])
  })
})
