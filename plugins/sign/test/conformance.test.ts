import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkPluginPackage } from '@ust-sync/plugin-testkit'
import { describe, expect, it } from 'vitest'
import register from '../src/register.js'

// The testkit's default target script assumes several groups per user; a Sign user has exactly one
// primary group (and the Default Group when no other), so the target is tested against the fake Sign
// server in sign-target.test.ts instead.
describe('the sign plugin keeps the ust plugin contract (@ust-sync/plugin-testkit)', () => {
  it('package and registration', async () => {
    const plugin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
    const { contributions } = await checkPluginPackage(plugin, { register })
    expect(contributions.map((c) => `${c.kind}:${c.id}`)).toEqual(['target:sign'])
  })
})
