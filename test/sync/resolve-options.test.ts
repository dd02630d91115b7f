import { describe, expect, it } from 'vitest'
import { ConfigError, ExitCode } from '@ust-sync/api'
import { resolveSyncOptions, type RawSyncFlags } from '../../src/sync/resolve-options.js'
import { makeConfig } from './helpers.js'

const config = makeConfig({ secondaries: ['org2'], mappings: { staff: ['Staff'] } })
const resolve = (flags: RawSyncFlags, defaults: Record<string, unknown> = {}) =>
  resolveSyncOptions(flags, defaults, config)

function configError(run: () => unknown): ConfigError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('resolveSyncOptions', () => {
  it("UST's built-in defaults", () => {
    expect(resolve({})).toEqual({
      testMode: false,
      users: { kind: 'all' },
      adobeUsers: { kind: 'all' },
      adobeOnlyUserAction: { kind: 'preserve' },
      processGroups: false,
      updateUserInfo: false,
      strategy: 'sync',
      connector: { id: 'ldap' },
      excludeUnmappedUsers: false,
      sslCertVerify: true,
      allowDirectoryDrop: false,
    })
  })

  it('precedence: defaults < invocation_defaults < flags', () => {
    const defaults = {
      process_groups: true,
      users: 'mapped',
      test_mode: 'yes',
      adobe_only_user_action: 'remove',
      ssl_cert_verify: false,
    }
    const options = resolve({ users: ['group', 'a, b'], testMode: false }, defaults)
    expect(options).toMatchObject({
      processGroups: true,
      users: { kind: 'group', groups: ['a', 'b'] },
      testMode: false,
      adobeOnlyUserAction: { kind: 'remove' },
      sslCertVerify: false,
    })
  })

  it('two-token forms: keywords trimmed and lower-cased, arguments kept', () => {
    const options = resolve({
      users: [' Group ', 'Design Team,Writers'],
      connector: ['CSV', 'Users.csv'],
      adobeOnlyUserAction: ['Write-File', 'Out.csv'],
      adobeUsers: ['group', 'Staff, org2::Team'],
    })
    expect(options.users).toEqual({ kind: 'group', groups: ['Design Team', 'Writers'] })
    expect(options.connector).toEqual({ id: 'csv', path: 'Users.csv' })
    expect(options.adobeOnlyUserAction).toEqual({ kind: 'write-file', path: 'Out.csv' })
    expect(options.adobeUsers).toEqual({
      kind: 'group',
      groups: [
        { target: 'primary', name: 'Staff' },
        { target: 'org2', name: 'Team' },
      ],
    })
  })

  it('invocation_defaults may write two-token values as one string, quotes grouping', () => {
    expect(resolve({}, { users: 'group "Design Team,Writers"' }).users).toEqual({
      kind: 'group',
      groups: ['Design Team', 'Writers'],
    })
  })

  it('--users file PATH switches to the csv connector; together with --connector csv it is an error', () => {
    expect(resolve({ users: ['file', 'people.csv'] }).connector).toEqual({ id: 'csv', path: 'people.csv' })
    const error = configError(() => resolve({ users: ['file', 'a.csv'], connector: ['csv', 'b.csv'] }))
    expect(error.issues[0]).toMatchObject({ file: 'command line', path: '--users' })
    expect(error.exitCode).toBe(ExitCode.config)
  })

  it('connectors: csv needs exactly one file, ldap takes none, an unconfigured connector is an error', () => {
    expect(configError(() => resolve({ connector: ['csv'] })).message).toMatch(
      /--connector: 'csv' needs exactly one file path/,
    )
    expect(configError(() => resolve({ connector: ['ldap', 'x.yml'] })).message).toMatch(/'ldap' takes no argument/)
    expect(configError(() => resolve({ connector: ['okta'] })).message).toMatch(
      /no 'okta' connector is configured under directory_users.connectors/,
    )
  })

  it('csv without a path is accepted when connector-csv.yml gives file_path (ust extension)', () => {
    const csv = makeConfig({
      directoryUsers: {
        ...makeConfig().directoryUsers,
        connectors: {
          csv: { pluginId: 'csv', files: ['/c/connector-csv.yml'], values: { file_path: '/c/users.csv' }, secrets: [] },
        },
      },
    })
    expect(resolveSyncOptions({}, { connector: 'csv' }, csv).connector).toEqual({ id: 'csv' })
    expect(resolveSyncOptions({ connector: ['csv', 'other.csv'] }, {}, csv).connector).toEqual({
      id: 'csv',
      path: 'other.csv',
    })
  })

  it('--users all with okta reads every user (UST refused it; the okta source lists them)', () => {
    const okta = makeConfig({
      directoryUsers: {
        ...makeConfig().directoryUsers,
        connectors: { okta: { pluginId: 'okta', files: [], values: {}, secrets: [] } },
      },
    })
    expect(resolveSyncOptions({ connector: ['okta'] }, {}, okta).users).toEqual({ kind: 'all' })
    expect(resolveSyncOptions({ connector: ['okta'], users: ['mapped'] }, {}, okta).connector).toEqual({ id: 'okta' })
  })

  it('--strategy push drops the Adobe-only action (logged)', () => {
    const logged: string[] = []
    const logger = { debug: () => {}, info: (m: string) => logged.push(m), warn: () => {}, error: () => {} }
    const options = resolveSyncOptions({ strategy: 'PUSH', adobeOnlyUserAction: ['delete'] }, {}, config, logger)
    expect(options).toMatchObject({ strategy: 'push', adobeOnlyUserAction: { kind: 'preserve' } })
    expect(logged[0]).toMatch(/ignoring --adobe-only-user-action delete/)
  })

  it('UST defect fixed: push with --adobe-only-user-list is a configuration error (non-zero exit)', () => {
    const error = configError(() => resolve({ strategy: 'push', adobeOnlyUserList: 'strays.csv' }))
    expect(error.exitCode).toBe(ExitCode.config)
    expect(error.issues[0]).toMatchObject({ file: 'command line', path: '--adobe-only-user-list' })
  })

  it('--adobe-only-user-list clears --users and --user-filter, and conflicts with write-file', () => {
    const options = resolve({
      adobeOnlyUserList: 'strays.csv',
      users: ['mapped'],
      userFilter: 'a.*',
      adobeOnlyUserAction: ['remove'],
    })
    expect(options.users).toEqual({ kind: 'all' })
    expect(options.userFilter).toBeUndefined()
    expect(options.adobeOnlyUserList).toBe('strays.csv')
    expect(() => resolve({ adobeOnlyUserList: 'strays.csv', adobeOnlyUserAction: ['write-file', 'x.csv'] })).toThrow(
      /cannot be combined with --adobe-only-user-action write-file/,
    )
  })

  it('--user-filter is \\A…\\Z, case-insensitive, searched as UST does; an invalid one is an error', () => {
    const filter = resolve({ userFilter: 'b.*@x\\.com' }).userFilter
    expect(filter?.test('BOB@x.com')).toBe(true)
    expect(filter?.test('xbob@x.com')).toBe(false)
    // A top-level | splits UST's anchors: the last alternative only has to end the username.
    const warnings: string[] = []
    const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => warnings.push(m) }
    expect(resolveSyncOptions({ userFilter: 'amy@x|ben@x' }, {}, config, logger).userFilter?.test('reuben@x')).toBe(
      true,
    )
    expect(warnings).toEqual([
      "--user-filter: user_filter pattern 'amy@x|ben@x' is applied as UST applies it (\\A + pattern + \\Z, no group): it matches usernames that start with 'amy@x' or end with 'ben@x' (ignoring case); if each alternative was meant as a whole username, write '(amy@x|ben@x)'",
    ])
    expect(() => resolve({ userFilter: '(' })).toThrow(/--user-filter: invalid regular expression/)
  })

  it('--adobe-users group naming an unknown org is an error', () => {
    expect(() => resolve({ adobeUsers: ['group', 'org3::Team'] })).toThrow(/names target 'org3'/)
  })

  it('unknown values, missing arguments and unknown invocation defaults are errors naming where', () => {
    const error = configError(() =>
      resolve(
        { users: ['some'], adobeOnlyUserAction: ['write-file'], strategy: 'pull' },
        { process_group: true, update_user_info: 'maybe' },
      ),
    )
    expect(error.issues.map((i) => `${i.file} ${i.path}`)).toEqual([
      '/etc/ust/user-sync-config.yml invocation_defaults.process_group',
      'command line --users',
      'command line --adobe-only-user-action',
      'command line --strategy',
      '/etc/ust/user-sync-config.yml invocation_defaults.update_user_info',
    ])
    expect(error.message).toMatch(/unknown value 'some' \(use all, mapped, file PATH or group "g1,g2"\)/)
  })
})

describe('--allow-directory-drop', () => {
  it('is a per-run flag only: off by default, on with the flag, never an invocation default', () => {
    const config = makeConfig()
    expect(resolveSyncOptions({}, {}, config).allowDirectoryDrop).toBe(false)
    expect(resolveSyncOptions({ allowDirectoryDrop: true }, {}, config).allowDirectoryDrop).toBe(true)
    expect(() => resolveSyncOptions({}, { allow_directory_drop: true }, config)).toThrow(/unknown invocation default/)
  })
})
