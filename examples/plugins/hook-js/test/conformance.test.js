import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkMappingHook, checkPluginPackage } from '@ust-sync/plugin-testkit'
import { expect, it } from 'vitest'
import { companyGroups } from '../register.js'

// UST's examples/csv inputs - user and remove lists/users-file-with-custom-attributes-and-mappings.csv,
// as UST's hook sees each row: country US, no mapped groups, username = email, no domain.
const row = (email, bc, subco) => ({
  sourceAttributes: { email, country: 'US', bc, subco },
  targetAttributes: { email, username: email, domain: undefined, country: 'US' },
  targetGroups: [],
})

it('keeps the ust plugin contract and gives the groups of UST example extension', async () => {
  await checkPluginPackage(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'))
  const report = await checkMappingHook(companyGroups, {
    users: [
      row('hook1@example.net', 'JP1234567', 'Company 1'),
      row('hook2@example.net', 'GB0070008', 'Company 2'),
      row('hook3@example.net', 'FR4444444', 'Company 3'),
      row('none@example.net', undefined, undefined),
    ],
  })
  expect(report.skipped).toEqual([])
  expect(report.outcomes.map((o) => [o.targetAttributes.country, o.targetGroups])).toEqual([
    ['JP', ['Company 1 Users']],
    ['GB', ['Company 2 Users']],
    ['FR', []],
    ['US', []],
  ])
})
