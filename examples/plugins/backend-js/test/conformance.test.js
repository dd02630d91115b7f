import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkCredentialBackend, checkPluginPackage } from '@ust-sync/plugin-testkit'
import { afterAll, expect, it } from 'vitest'
import { vaultBackend } from '../register.js'

const dir = await mkdtemp(path.join(tmpdir(), 'vault-'))
process.env.UST_EXAMPLE_VAULT_FILE = path.join(dir, 'vault.json')
afterAll(() => rm(dir, { recursive: true, force: true }))

it('keeps the ust plugin contract', async () => {
  await checkPluginPackage(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'))
  const report = await checkCredentialBackend(vaultBackend)
  expect(report.skipped).toEqual([])
})
