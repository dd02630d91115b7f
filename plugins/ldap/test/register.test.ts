import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkPluginPackage } from '@ust-sync/plugin-testkit'
import register from '../src/register.js'

const PLUGIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

// The package as ust loads it; the source's read() behaviour is tested against a real slapd elsewhere.
describe('the ldap plugin keeps the ust plugin contract (@ust-sync/plugin-testkit)', () => {
  it('package and registration', async () => {
    const report = await checkPluginPackage(PLUGIN, { register })
    expect(report.contributions.map((c) => [c.kind, c.id])).toEqual([['identitySource', 'ldap']])
  })
})
