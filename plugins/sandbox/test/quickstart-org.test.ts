import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readOrgFile } from '../src/org-file.js'
import { snapshotOf } from '../src/org-model.js'

const quickstart = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples/quickstart')

describe('examples/quickstart org files', () => {
  it('org.initial.json is a valid sandbox org with 36 users, 2 of them excluded by the quickstart config', async () => {
    const org = await readOrgFile(path.join(quickstart, 'org.initial.json'))
    expect(org.users).toHaveLength(36)
    expect(org.users.filter((user) => user.identityType === 'adobeID')).toHaveLength(1)
    expect(snapshotOf(org, { groups: ['_org_admin'], includeGroups: false }).users.map((user) => user.email)).toEqual([
      'it.admin@northwind.example',
    ])
    expect(org.groups.map((group) => group.name)).not.toContain('Contractors')
  })
})
