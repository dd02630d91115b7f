import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { TargetDefinition } from '@ust-sync/api'
import { checkPluginPackage, checkTarget } from '@ust-sync/plugin-testkit'
import register from '../src/register.js'
import { sampleOrg } from './fixtures.js'

const PLUGIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dir = await mkdtemp(path.join(tmpdir(), 'ust-sandbox-kit-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('the sandbox plugin keeps the ust plugin contract (@ust-sync/plugin-testkit)', () => {
  it('package and registration', async () => {
    const report = await checkPluginPackage(PLUGIN, { register })
    expect(report.contributions.map((c) => [c.kind, c.id])).toEqual([['target', 'sandbox']])
  })

  it('target: snapshot, one result per command, test mode changes nothing, idempotent second run', async () => {
    const [definition] = (await checkPluginPackage(PLUGIN, { register })).contributions
    const report = await checkTarget(definition as TargetDefinition, {
      fresh: async () => {
        await writeFile(path.join(dir, 'org.json'), JSON.stringify(sampleOrg()))
        return { org_file: 'org.json' }
      },
      configDir: dir,
    })
    expect(report.passed).toContain('test mode changes nothing')
    expect(report.passed).toContain('a second run changes nothing (idempotent)')
  })
})
