import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import type { IdentitySourceDefinition } from '@ust-sync/api'
import { checkIdentitySource, checkPluginPackage } from '@ust-sync/plugin-testkit'
import register from '../src/register.js'
import { scratchDir } from './helpers.js'

const PLUGIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const scratch = await scratchDir()
afterAll(() => scratch.remove())

describe('the csv plugin keeps the ust plugin contract (@ust-sync/plugin-testkit)', () => {
  it('package and registration', async () => {
    const report = await checkPluginPackage(PLUGIN, { register })
    expect(report.contributions.map((c) => [c.kind, c.id])).toEqual([['identitySource', 'csv']])
  })

  it('identity source: valid users, deterministic, a missing file throws, nothing leaks', async () => {
    const file = path.join(scratch.dir, 'users.csv')
    await writeFile(file, 'firstname,lastname,email,country,groups\nAnn,Lee,ann@example.com,US,"Design,Web"\n')
    const [definition] = (await checkPluginPackage(PLUGIN, { register })).contributions
    const report = await checkIdentitySource(definition as IdentitySourceDefinition, {
      config: { file_path: file },
      failingConfig: { file_path: path.join(scratch.dir, 'missing.csv') },
      configDir: scratch.dir,
    })
    expect(report.skipped).toEqual([])
  })
})
