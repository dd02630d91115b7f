import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkPluginPackage, checkTarget } from '@ust-sync/plugin-testkit'
import { afterAll, expect, it } from 'vitest'
import register, { scimFileTarget } from '../src/register.js'

const dir = await mkdtemp(path.join(tmpdir(), 'scimfile-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

it('keeps the ust plugin contract', async () => {
  await checkPluginPackage(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), { register })
  const report = await checkTarget(scimFileTarget, {
    configDir: dir,
    fresh: async () => {
      await writeFile(path.join(dir, 'scim.json'), JSON.stringify({ token: 'T0ken-for-tests', groups: [], users: [] }))
      return { file: 'scim.json', account: 'ops', token: 'T0ken-for-tests' }
    },
  })
  expect(report.skipped).toEqual([])
})
