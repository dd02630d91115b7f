import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError } from '@ust-sync/api'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { csvConnectorSchema } from '../../plugins/csv/src/connector-schema.js'
import { signConnectorSchema } from '../../plugins/sign/src/config/connector-schema.js'
import { loadConfig } from '../../src/config/load-config.js'
import type { SchemaLookup } from '../../src/config/schema-lookup.js'

const schemas: SchemaLookup = {
  target: (id) => (id === 'sign' ? signConnectorSchema : undefined),
  source: (id) => (id === 'csv' ? csvConnectorSchema : undefined),
  targetIds: () => ['sign'],
  sourceIds: () => ['csv'],
}

const MAIN = `sign_orgs:
  primary: connector-sign.yml
  europe: connector-sign.yml
identity_source:
  type: csv
  connector: connector-csv.yml
user_sync:
  sign_only_limit: 10%
  sign_only_user_action: remove_roles
cache:
  path: cache/sign
connection:
  timeout: 30
  request_concurrency: 0
user_management:
  - directory_group: Sales
    sign_group: Sales Team
  - directory_group: Admins
    account_admin: True
  - directory_group: Sales
    sign_group: europe::Vente
    group_admin: True
  - directory_group: Sales
    sign_group: primary::sales team
invocation_defaults:
  users: all
`

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ust-sign-config-'))
  await writeFile(join(dir, 'connector-csv.yml'), 'file_path: users.csv\n')
  await writeFile(
    join(dir, 'connector-sign.yml'),
    'host: api.echosign.com\nintegration_key: k\nadmin_email: owner@example.com\ncreate_users: False\ndeactivate_users: True\n',
  )
})
afterEach(() => rm(dir, { recursive: true, force: true }))

async function load(main: string) {
  await writeFile(join(dir, 'sign-sync-config.yml'), main)
  return loadConfig({ configFile: join(dir, 'sign-sync-config.yml'), cwd: dir, schemas })
}

describe("UST's sign-sync-config.yml", () => {
  it('loads orgs, the source, merged mappings, the limit, the cache and connection defaults', async () => {
    const { config } = await load(MAIN)
    expect(config.adobeUsers.targets.map((t) => [t.name, t.pluginId])).toEqual([
      ['primary', 'sign'],
      ['europe', 'sign'],
    ])
    expect(config.adobeUsers.targets[1]?.values).toMatchObject({
      cache_path: join(dir, 'cache/sign/europe'),
      timeout: 30,
    })
    expect(config.adobeUsers.targets[0]?.values.request_concurrency).toBeUndefined()
    expect(config.sign?.orgs).toEqual([
      { name: 'primary', createUsers: false, deactivateUsers: true },
      { name: 'europe', createUsers: false, deactivateUsers: true },
    ])
    expect(config.sign?.mappings).toEqual([
      {
        directoryGroup: 'Sales',
        priority: 0,
        groups: [
          { target: 'primary', name: 'Sales Team' },
          { target: 'europe', name: 'Vente' },
        ],
        groupAdmin: true,
        accountAdmin: false,
      },
      { directoryGroup: 'Admins', priority: 1, groups: [], groupAdmin: false, accountAdmin: true },
    ])
    expect(config.sign?.signOnlyLimit).toEqual({ kind: 'percent', value: 10 })
    expect(config.invocationDefaults).toEqual({ connector: ['csv'], users: 'all' })
    expect(Object.keys(config.directoryUsers.connectors)).toEqual(['csv'])
  })

  it('is strict as UST: unknown keys, no primary org, an empty group name, a wrong action', async () => {
    const bad = MAIN.replace('  primary: connector-sign.yml\n', '')
      .replace('cache:\n', 'log_progress: true\ncache:\n')
      .replace('sign_group: Sales Team', 'sign_group: "europe::"')
      .replace('remove_roles', 'delete')
    const error = (await load(bad).catch((e: unknown) => e)) as ConfigError
    expect(error).toBeInstanceOf(ConfigError)
    const text = error.issues.map((i) => `${i.path}: ${i.message}`).join('\n')
    expect(text).toContain('log_progress')
    expect(text).toContain('sign_orgs')
    expect(text).toContain('sign_only_user_action')
  })
})
