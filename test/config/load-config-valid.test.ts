import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { fakeSchemas } from './fake-schemas.js'

const fixture = (name: string) => resolve(import.meta.dirname, '../fixtures/config', name)

describe('loadConfig on a realistic UST configuration', () => {
  it('loads the main file, the list-merged umapi files, a secondary org and the ldap file', async () => {
    const dir = fixture('valid')
    const { config, warnings } = await loadConfig({ cwd: dir, schemas: fakeSchemas })

    expect(config.file).toBe(join(dir, 'user-sync-config.yml'))
    expect(config.files).toEqual(
      [
        'user-sync-config.yml',
        'connector-umapi.yml',
        'connector-umapi-overrides.yml',
        'connector-org2.yml',
        'connector-ldap.yml',
      ].map((f) => join(dir, f)),
    )
    const [primary, org2] = config.adobeUsers.targets
    expect(config.adobeUsers.targets).toHaveLength(2)
    expect(primary!.name).toBe('primary')
    expect(primary!.pluginId).toBe('umapi')
    // combine_dicts: `server` from both files merged one level, later file adds `retries`.
    expect(primary!.values.server).toEqual({ host: 'usermanagement.adobe.io', timeout: 120, retries: 5 })
    // The keyring reference replaces the secret; neither the secure key nor a plain value remains.
    expect(primary!.values.enterprise).toEqual({
      org_id: '0123456789ABCDEF01234567@AdobeOrg',
      client_id: '4f0c2b0a9a6c4b7d8e1f',
    })
    expect(primary!.secrets).toEqual([
      {
        key: 'enterprise.client_secret',
        service: 'ust-umapi-client-secret',
        account: '0123456789ABCDEF01234567@AdobeOrg',
        file: join(dir, 'connector-umapi.yml'),
        line: 8,
      },
    ])
    expect(org2!.name).toBe('org2')
    expect(org2!.files).toEqual([join(dir, 'connector-org2.yml')])
    expect(org2!.secrets).toEqual([])

    const ldap = config.directoryUsers.connectors.ldap!
    expect(ldap.values).toMatchObject({
      host: 'ldaps://ldap.example.com:636',
      require_tls_cert: true,
      search_page_size: 500,
    })
    expect(ldap.values).not.toHaveProperty('secure_password_key')
    expect(ldap.secrets).toEqual([
      {
        key: 'password',
        service: 'ust-ldap-password',
        account: 'cn=ust,ou=service,dc=example,dc=com',
        file: join(dir, 'connector-ldap.yml'),
        line: 4,
      },
    ])
    expect(Object.keys(config.directoryUsers.connectors)).toEqual(['ldap'])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /user-sync-config\.yml:21:5: directory_users\.connectors\.okta: connector "okta" not installed: `ust plugins install @ust-sync\/plugin-okta`; it is ignored unless selected$/,
    )
  })

  it('normalises the main file as UST reads it', async () => {
    const dir = fixture('valid')
    const { config } = await loadConfig({ cwd: dir, schemas: fakeSchemas })

    // A scalar where a list is expected is a one-element list; identity types match case-insensitively.
    expect(config.adobeUsers.excludeIdentityTypes).toEqual(['adobeID'])
    expect(config.directoryUsers.userIdentityType).toBe('federatedID')
    expect(config.adobeUsers.excludeAdobeGroups).toEqual(['_org_admin', 'admins'])
    expect(config.adobeUsers.excludeUsers[0]!.test('SVC-backup')).toBe(true)
    expect(config.adobeUsers.excludeUsers[0]!.test('jsvc-backup')).toBe(false)
    expect(config.adobeUsers.updateAttributes).toEqual(['firstname', 'lastname', 'email'])
    expect(config.directoryUsers.groups).toEqual([
      {
        directoryGroup: 'Acrobat_DC_Pro_Users',
        adobeGroups: [
          { target: 'primary', name: 'Acrobat DC Pro Users' },
          { target: 'org2', name: 'Acrobat Pro Trustee' },
        ],
      },
      { directoryGroup: 'Photoshop_Users', adobeGroups: [{ target: 'primary', name: 'Photoshop Users' }] },
      { directoryGroup: 'No_Product', adobeGroups: [] },
    ])
    const [acl, team] = config.directoryUsers.additionalGroups
    expect(acl!.target).toBe('ACL-Grp-\\1')
    expect(acl!.source.sub(acl!.target, 'ACL-Sales')).toBe('ACL-Grp-Sales')
    expect(acl!.source.test('xACL-Sales')).toBe(false)
    expect(team!.source.sub('\\g<team>', 'Web-Designers')).toBe('Web')
    // YAML 1.1 booleans (yes/on/off/no) as PyYAML reads them.
    expect(config.directoryUsers.autoCreateGroups).toBe(true)
    expect(config.logging.logToFile).toBe(true)
    expect(config.limits).toEqual({
      maxAdobeOnlyUsers: { kind: 'percent', value: 10 },
      groupRemovalsOnly: false,
      firstRunRemovalPercent: 10,
    })
    expect(config.logging).toEqual({
      logToFile: true,
      fileLogDirectory: join(dir, 'logs'),
      fileLogNameFormat: '{:%Y-%m-%d}.log',
      fileLogLevel: 'debug',
      consoleLogLevel: 'info',
      logProgress: true,
    })
    expect(config.invocationDefaults).toEqual({
      adobe_only_user_action: ['write-file', 'adobe-only.csv'],
      users: 'mapped',
      process_groups: true,
      test_mode: false,
      connector: 'ldap',
    })
  })

  it('applies UST defaults to a minimal config and accepts another registered target (sandbox)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ust-config-'))
    await writeFile(
      join(dir, 'ust.config.yml'),
      'adobe_users:\n  connectors:\n    sandbox: sandbox.yml\nlimits:\n  max_adobe_only_users: 200\n',
    )
    await writeFile(join(dir, 'sandbox.yml'), 'state_file: state/sandbox.json\n')
    const { config, warnings } = await loadConfig({ cwd: dir, schemas: fakeSchemas })
    expect(warnings).toEqual([])
    expect(config.adobeUsers.targets).toEqual([
      {
        pluginId: 'sandbox',
        name: 'primary',
        files: [join(dir, 'sandbox.yml')],
        values: { state_file: join(dir, 'state/sandbox.json') },
        secrets: [],
      },
    ])
    expect(config.adobeUsers.excludeIdentityTypes).toEqual([])
    expect(config.adobeUsers.updateAttributes).toEqual(['firstname', 'lastname', 'email'])
    expect(config.directoryUsers).toEqual({
      userIdentityType: 'enterpriseID',
      connectors: {},
      groups: [],
      additionalGroups: [],
      autoCreateGroups: false,
    })
    expect(config.limits.maxAdobeOnlyUsers).toEqual({ kind: 'count', value: 200 })
    expect(config.logging.logProgress).toBe(true)
    expect(config.invocationDefaults).toEqual({})
  })

  it('warns once, at load, of an exclude_users pattern whose top-level | UST reads surprisingly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ust-config-'))
    await writeFile(
      join(dir, 'ust.config.yml'),
      'adobe_users:\n  connectors:\n    sandbox: sandbox.yml\n  exclude_users:\n    - "SVC|bot"\n    - "(a|b)@x"\nlimits:\n  max_adobe_only_users: 200\n',
    )
    await writeFile(join(dir, 'sandbox.yml'), 'state_file: state/sandbox.json\n')
    const { config, warnings } = await loadConfig({ cwd: dir, schemas: fakeSchemas })
    expect(warnings).toEqual([
      `${join(dir, 'ust.config.yml')}:5:7: adobe_users.exclude_users[0]: exclude_users pattern 'SVC|bot' is applied as UST applies it (\\A + pattern + \\Z, no group): it matches usernames that start with 'SVC' or are 'bot' (ignoring case); if each alternative was meant as a whole username, write '(SVC|bot)'`,
    ])
    expect(config.adobeUsers.excludeUsers.map((p) => p.test('svc-backup@x'))).toEqual([true, false])
  })

  it('reads files in the --config-file-encoding given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ust-config-'))
    const main =
      'adobe_users:\n  connectors:\n    sandbox: sandbox.yml\ndirectory_users:\n  groups:\n    - directory_group: Équipe\n      adobe_groups: Café Users\nlimits:\n  max_adobe_only_users: 5\n'
    await writeFile(join(dir, 'user-sync-config.yml'), Buffer.from(main, 'latin1'))
    await writeFile(join(dir, 'sandbox.yml'), '')
    const { config } = await loadConfig({ cwd: dir, schemas: fakeSchemas, encoding: 'latin1' })
    expect(config.directoryUsers.groups).toEqual([
      { directoryGroup: 'Équipe', adobeGroups: [{ target: 'primary', name: 'Café Users' }] },
    ])
  })
})
