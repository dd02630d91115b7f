import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkIdentitySource, checkPluginPackage } from '@ust-sync/plugin-testkit'
import { afterAll, expect, it } from 'vitest'
import { peopleSource } from '../register.js'

const dir = await mkdtemp(path.join(tmpdir(), 'people-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

it('keeps the ust plugin contract', async () => {
  await checkPluginPackage(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'))
  await writeFile(path.join(dir, 'people.json'), JSON.stringify([{ email: 'ann@example.com', groups: ['Design'] }]))
  const report = await checkIdentitySource(peopleSource, {
    configDir: dir,
    config: { file: 'people.json' },
    failingConfig: { file: 'missing.json' },
  })
  expect(report.skipped).toEqual([])
})
