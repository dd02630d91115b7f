import type { DirectoryUser, IdentityType, TargetSnapshot, TargetUser, UserCommand } from '@ust-sync/api'
import type { AdobeGroupRef, UstConfig } from '../../src/config/types.js'
import { applyLimits } from '../../src/sync/limits.js'
import { mapDirectoryUsers } from '../../src/sync/mapping.js'
import type { MappingHookStep } from '../../src/sync/mapping-hook.js'
import type { SyncOptions } from '../../src/sync/options.types.js'
import type { Plan } from '../../src/sync/plan.types.js'
import { planSync } from '../../src/sync/planner.js'

/** {@link makeConfig} for a main file without `directory_users.default_country_code`. */
export function makeConfigWithoutDefaultCountry(patch: Parameters<typeof makeConfig>[0] = {}): UstConfig {
  const config = makeConfig(patch)
  delete config.directoryUsers.defaultCountryCode
  return config
}

/** Builds a normalised config as the loader would; `mappings` is `{directoryGroup: ['Adobe Group', 'org2::G']}`. */
export function makeConfig(
  patch: {
    mappings?: Record<string, string[]>
    secondaries?: string[]
    adobeUsers?: Partial<UstConfig['adobeUsers']>
    directoryUsers?: Partial<UstConfig['directoryUsers']>
    limits?: Partial<UstConfig['limits']>
    file?: string
    files?: string[]
  } = {},
): UstConfig {
  const names = ['primary', ...(patch.secondaries ?? [])]
  const ref = (qualified: string): AdobeGroupRef => {
    const sep = qualified.indexOf('::')
    return sep < 0
      ? { target: 'primary', name: qualified }
      : { target: qualified.slice(0, sep), name: qualified.slice(sep + 2) }
  }
  const file = patch.file ?? '/etc/ust/user-sync-config.yml'
  return {
    file,
    files: patch.files ?? [file],
    adobeUsers: {
      excludeIdentityTypes: [],
      excludeAdobeGroups: [],
      excludeUsers: [],
      updateAttributes: ['firstname', 'lastname', 'email'],
      ...patch.adobeUsers,
      targets: names.map((name) => ({ name, pluginId: 'sandbox', files: [], values: {}, secrets: [] })),
    },
    directoryUsers: {
      userIdentityType: 'federatedID',
      defaultCountryCode: 'US',
      connectors: { ldap: { pluginId: 'ldap', files: [], values: {}, secrets: [] } },
      additionalGroups: [],
      autoCreateGroups: false,
      ...patch.directoryUsers,
      groups: Object.entries(patch.mappings ?? {}).map(([directoryGroup, adobe]) => ({
        directoryGroup,
        adobeGroups: adobe.map(ref),
      })),
    },
    limits: {
      maxAdobeOnlyUsers: { kind: 'count', value: 200 },
      groupRemovalsOnly: false,
      firstRunRemovalPercent: 10,
      ...patch.limits,
    },
    logging: {
      logToFile: false,
      fileLogDirectory: 'logs',
      fileLogNameFormat: '{:%Y-%m-%d}.log',
      fileLogLevel: 'info',
      consoleLogLevel: 'info',
      logProgress: true,
    },
    credentials: {},
    invocationDefaults: {},
  }
}

/** Sync options with UST's defaults, patched. */
export function makeOptions(patch: Partial<SyncOptions> = {}): SyncOptions {
  return {
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
    ...patch,
  }
}

/** A directory user with an email and groups. */
export function dirUser(email: string, groups: string[] = [], extra: Partial<DirectoryUser> = {}): DirectoryUser {
  return { email, groups, firstname: 'First', lastname: 'Last', country: 'US', ...extra }
}

/** A target user; username/domain default to the email's. */
export function adobeUser(
  email: string,
  groups: string[] = [],
  extra: Partial<TargetUser> & { identityType?: IdentityType } = {},
): TargetUser {
  return {
    identityType: 'federatedID',
    email,
    username: email,
    domain: email.slice(email.indexOf('@') + 1),
    firstname: 'First',
    lastname: 'Last',
    country: 'US',
    groups,
    ...extra,
  }
}

/** Maps, plans and applies the limits, as a run does. */
export function planFor(input: {
  directory: DirectoryUser[]
  primary?: TargetUser[] | TargetSnapshot
  secondaries?: Record<string, TargetUser[] | TargetSnapshot>
  config?: UstConfig
  options?: Partial<SyncOptions>
  hook?: MappingHookStep
}): Plan {
  const config = input.config ?? makeConfig()
  const options = makeOptions(input.options)
  const snap = (s: TargetUser[] | TargetSnapshot | undefined): TargetSnapshot =>
    Array.isArray(s) ? { users: s } : (s ?? { users: [] })
  const snapshots = new Map<string, TargetSnapshot>([['primary', snap(input.primary)]])
  for (const [name, s] of Object.entries(input.secondaries ?? {})) snapshots.set(name, snap(s))
  const desired = mapDirectoryUsers(input.directory, config, options, input.hook)
  return applyLimits(planSync({ desired, snapshots, config, options }), config, options)
}

/** The user commands planned for a target, ids removed (for readable assertions). */
export function userCommands(plan: Plan, target = 'primary'): Omit<UserCommand, 'id' | 'kind'>[] {
  const commands = plan.targets.find((t) => t.target === target)?.commands ?? []
  return commands.flatMap((c) => (c.kind === 'user' ? [(({ id: _id, kind: _kind, ...rest }) => rest)(c)] : []))
}

/** The emails the plan addresses in a target. */
export function touched(plan: Plan, target = 'primary'): string[] {
  return userCommands(plan, target).map((c) => c.user.email)
}
