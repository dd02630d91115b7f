import { ConfigError, type ConfigIssue, type Logger } from '@ust-sync/api'
import { parseAdobeGroup } from '../config/adobe-group.js'
import type { AdobeGroupRef, UstConfig } from '../config/types.js'
import type { AdobeOnlyUserAction, AdobeUsersSelection, SyncOptions, UsersSelection } from './options.types.js'

/**
 * `ust sync` flags as parsed by the command, before defaults apply. Multi-token options are arrays of
 * tokens, as UST takes them: `users: ['group', 'g1,g2']`, `connector: ['csv', 'file.csv']`,
 * `adobeOnlyUserAction: ['write-file', 'x.csv']`, `adobeUsers: ['group', 'g1,org2::g2']`.
 */
export interface RawSyncFlags {
  testMode?: boolean
  users?: string[]
  userFilter?: string
  adobeUsers?: string[]
  adobeOnlyUserAction?: string[]
  adobeOnlyUserList?: string
  processGroups?: boolean
  updateUserInfo?: boolean
  strategy?: string
  connector?: string[]
  excludeUnmappedUsers?: boolean
}

/** `invocation_defaults` keys (UST spelling) and the flag each one stands for. */
const KEYS = {
  test_mode: 'testMode',
  users: 'users',
  user_filter: 'userFilter',
  adobe_users: 'adobeUsers',
  adobe_only_user_action: 'adobeOnlyUserAction',
  adobe_only_user_list: 'adobeOnlyUserList',
  process_groups: 'processGroups',
  update_user_info: 'updateUserInfo',
  strategy: 'strategy',
  connector: 'connector',
  exclude_unmapped_users: 'excludeUnmappedUsers',
  ssl_cert_verify: 'sslCertVerify',
} as const

type DefaultKey = keyof typeof KEYS

/** Connectors of UST that read no file (`--connector ldap`); `csv` needs exactly one. */
const NO_PATH_CONNECTORS = new Set(['ldap', 'okta', 'adobe_console'])

/** Where a value came from, for messages. */
interface Origin {
  file: string
  path: string
  explicit: boolean
}

/** A value with where it came from. */
interface Sourced<T> {
  value: T
  origin: Origin
}

function kebab(flag: string): string {
  return `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

/** Splits `group "A B,C"` shell-like: whitespace separates, quotes group. */
function tokenize(text: string): string[] {
  const tokens: string[] = []
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) tokens.push(match[1] ?? match[2] ?? match[3] ?? '')
  return tokens
}

/**
 * Resolves the options of one sync run the way UST does: built-in defaults < `invocation_defaults` <
 * flags, then UST's combination rules (`load_invocation_options`). Every problem found is reported in
 * one {@link ConfigError} naming the flag (file `command line`) or the `invocation_defaults` key, and
 * what to do (a configuration error always exits non-zero, ust-defects #7).
 */
export function resolveSyncOptions(
  flags: RawSyncFlags,
  invocationDefaults: Record<string, unknown>,
  config: UstConfig,
  logger?: Logger,
): SyncOptions {
  const issues: ConfigIssue[] = []
  const problem = (origin: Origin, message: string, suggestion?: string): void => {
    issues.push({ file: origin.file, path: origin.path, message, ...(suggestion ? { suggestion } : {}) })
  }

  for (const key of Object.keys(invocationDefaults)) {
    if (!(key in KEYS)) {
      problem(
        { file: config.file, path: `invocation_defaults.${key}`, explicit: true },
        'unknown invocation default',
        `use one of ${Object.keys(KEYS).join(', ')}`,
      )
    }
  }

  /** The flag's value, else the invocation default's, else undefined. */
  function pick(key: DefaultKey): Sourced<unknown> | undefined {
    const flag = KEYS[key]
    const flagValue = flag === 'sslCertVerify' ? undefined : flags[flag]
    if (flagValue !== undefined)
      return { value: flagValue, origin: { file: 'command line', path: kebab(flag), explicit: true } }
    const fromConfig = invocationDefaults[key]
    if (fromConfig !== undefined && fromConfig !== null) {
      return { value: fromConfig, origin: { file: config.file, path: `invocation_defaults.${key}`, explicit: true } }
    }
    return undefined
  }

  function bool(key: DefaultKey, fallback: boolean): boolean {
    const picked = pick(key)
    if (!picked) return fallback
    const { value, origin } = picked
    if (typeof value === 'boolean') return value
    const text = typeof value === 'string' ? value.trim().toLowerCase() : ''
    if (['true', 'yes', 'on', '1'].includes(text)) return true
    if (['false', 'no', 'off', '0'].includes(text)) return false
    problem(origin, `expected true or false, got ${JSON.stringify(value)}`)
    return fallback
  }

  function text(key: DefaultKey): Sourced<string> | undefined {
    const picked = pick(key)
    if (!picked) return undefined
    if (typeof picked.value === 'string' && picked.value.trim())
      return { value: picked.value.trim(), origin: picked.origin }
    problem(picked.origin, `expected a non-empty text, got ${JSON.stringify(picked.value)}`)
    return undefined
  }

  /** A multi-token option: keyword (trimmed, lower-cased) and its arguments. */
  function tokens(key: DefaultKey, fallback: string): { keyword: string; args: string[]; origin: Origin } {
    const picked = pick(key)
    const defaultOrigin: Origin = { file: 'built-in default', path: kebab(KEYS[key]), explicit: false }
    if (!picked) return { keyword: fallback, args: [], origin: defaultOrigin }
    const { value, origin } = picked
    const list =
      typeof value === 'string'
        ? tokenize(value)
        : Array.isArray(value) && value.every((v) => typeof v === 'string')
          ? (value as string[])
          : undefined
    if (!list || list.length === 0 || !list[0]?.trim()) {
      problem(origin, `expected a value, got ${JSON.stringify(value)}`)
      return { keyword: fallback, args: [], origin }
    }
    return { keyword: list[0].trim().toLowerCase(), args: list.slice(1), origin }
  }

  function oneArg(keyword: string, args: string[], origin: Origin, what: string): string | undefined {
    if (args.length === 1 && args[0]?.trim()) return args[0].trim()
    problem(
      origin,
      `'${keyword}' needs exactly one ${what}, got ${args.length === 0 ? 'none' : args.map((a) => JSON.stringify(a)).join(' ')}`,
      `write ${origin.path.startsWith('--') ? origin.path : 'it as'} ${keyword} <${what}>`,
    )
    return undefined
  }

  function noArgs(keyword: string, args: string[], origin: Origin): void {
    if (args.length > 0)
      problem(
        origin,
        `'${keyword}' takes no argument, got ${args.map((a) => JSON.stringify(a)).join(' ')}`,
        `remove ${args.join(' ')}`,
      )
  }

  const commaList = (value: string): string[] =>
    value
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g.length > 0)

  // --connector
  const connectorTokens = tokens('connector', 'ldap')
  let connector: SyncOptions['connector'] = { id: connectorTokens.keyword }
  const csvFileConfigured = typeof config.directoryUsers.connectors.csv?.values.file_path === 'string'
  if (connectorTokens.keyword === 'csv' && connectorTokens.args.length === 0 && csvFileConfigured) {
    // ust extension: the csv connector file names the file (`file_path`), so no path is needed here.
    connector = { id: 'csv' }
  } else if (connectorTokens.keyword === 'csv') {
    const path = oneArg('csv', connectorTokens.args, connectorTokens.origin, 'file path')
    connector = path ? { id: 'csv', path } : { id: 'csv' }
  } else if (NO_PATH_CONNECTORS.has(connectorTokens.keyword)) {
    noArgs(connectorTokens.keyword, connectorTokens.args, connectorTokens.origin)
  } else if (connectorTokens.args.length > 1) {
    problem(connectorTokens.origin, `'${connectorTokens.keyword}' takes at most one file path`)
  } else if (connectorTokens.args[0]) {
    connector = { id: connectorTokens.keyword, path: connectorTokens.args[0] }
  }

  // --users
  const usersTokens = tokens('users', 'all')
  let users: UsersSelection = { kind: 'all' }
  switch (usersTokens.keyword) {
    case 'all':
    case 'mapped':
      noArgs(usersTokens.keyword, usersTokens.args, usersTokens.origin)
      users = { kind: usersTokens.keyword }
      break
    case 'group': {
      const list = oneArg('group', usersTokens.args, usersTokens.origin, 'comma-separated group list')
      if (list !== undefined) {
        const groups = commaList(list)
        if (groups.length === 0) problem(usersTokens.origin, "'group' needs at least one group name")
        users = { kind: 'group', groups }
      }
      break
    }
    case 'file': {
      const path = oneArg('file', usersTokens.args, usersTokens.origin, 'file path')
      if (path !== undefined) {
        if (connectorTokens.keyword === 'csv' && connectorTokens.origin.explicit) {
          problem(
            usersTokens.origin,
            "'--users file' selects the csv connector itself; it cannot be combined with '--connector csv'",
            'give the file once: either --users file PATH or --connector csv PATH',
          )
        }
        users = { kind: 'file', path }
        connector = { id: 'csv', path }
      }
      break
    }
    default:
      problem(
        usersTokens.origin,
        `unknown value '${usersTokens.keyword}'`,
        'use all, mapped, file PATH or group "g1,g2"',
      )
  }
  if (users.kind === 'all' && connector.id === 'okta') {
    problem(
      usersTokens.origin,
      "'--users all' cannot be used with the okta connector",
      'use --users mapped or --users group "g1,g2"',
    )
  }

  // --user-filter
  let userFilter: RegExp | undefined
  const filterText = text('user_filter')
  if (filterText) {
    try {
      userFilter = new RegExp(`^(?:${filterText.value})$`, 'i')
    } catch (error) {
      problem(filterText.origin, `invalid regular expression: ${(error as Error).message}`)
    }
  }

  // --adobe-users
  const adobeTokens = tokens('adobe_users', 'all')
  let adobeUsers: AdobeUsersSelection = { kind: 'all' }
  const targetNames = new Set(config.adobeUsers.targets.map((t) => t.name))
  switch (adobeTokens.keyword) {
    case 'all':
    case 'mapped':
      noArgs(adobeTokens.keyword, adobeTokens.args, adobeTokens.origin)
      adobeUsers = { kind: adobeTokens.keyword }
      break
    case 'group': {
      const list = oneArg('group', adobeTokens.args, adobeTokens.origin, 'comma-separated group list')
      if (list !== undefined) {
        const groups: AdobeGroupRef[] = []
        for (const qualified of commaList(list)) {
          const ref = parseAdobeGroup(qualified)
          if (!targetNames.has(ref.target)) {
            problem(
              adobeTokens.origin,
              `group '${qualified}' names target '${ref.target}', which adobe_users.connectors does not define`,
              `use one of ${[...targetNames].join(', ')}`,
            )
          } else groups.push(ref)
        }
        if (groups.length === 0 && issues.length === 0)
          problem(adobeTokens.origin, "'group' needs at least one group name")
        adobeUsers = { kind: 'group', groups }
      }
      break
    }
    default:
      problem(adobeTokens.origin, `unknown value '${adobeTokens.keyword}'`, 'use all, mapped or group "g1,org2::g2"')
  }

  // --adobe-only-user-action
  const actionTokens = tokens('adobe_only_user_action', 'preserve')
  let adobeOnlyUserAction: AdobeOnlyUserAction = { kind: 'preserve' }
  switch (actionTokens.keyword) {
    case 'preserve':
    case 'exclude':
    case 'remove-adobe-groups':
    case 'remove':
    case 'delete':
      noArgs(actionTokens.keyword, actionTokens.args, actionTokens.origin)
      adobeOnlyUserAction = { kind: actionTokens.keyword }
      break
    case 'write-file': {
      const path = oneArg('write-file', actionTokens.args, actionTokens.origin, 'file path')
      if (path !== undefined) adobeOnlyUserAction = { kind: 'write-file', path }
      break
    }
    default:
      problem(
        actionTokens.origin,
        `unknown value '${actionTokens.keyword}'`,
        'use preserve, exclude, write-file PATH, remove-adobe-groups, remove or delete',
      )
  }

  // --strategy
  const strategyText = text('strategy')
  let strategy: SyncOptions['strategy'] = 'sync'
  if (strategyText) {
    const value = strategyText.value.toLowerCase()
    if (value === 'sync' || value === 'push') strategy = value
    else problem(strategyText.origin, `unknown value '${strategyText.value}'`, 'use sync or push')
  }

  // --adobe-only-user-list
  const listText = text('adobe_only_user_list')
  const adobeOnlyUserList = listText?.value
  if (listText) {
    if (strategy === 'push') {
      problem(
        listText.origin,
        '--adobe-only-user-list cannot be used with --strategy push',
        'run the push and the Adobe-only user list as two separate runs',
      )
    }
    if (adobeOnlyUserAction.kind === 'write-file') {
      problem(
        listText.origin,
        '--adobe-only-user-list cannot be combined with --adobe-only-user-action write-file',
        'choose preserve, remove-adobe-groups, remove or delete for the listed users',
      )
    }
  }

  if (strategy === 'push' && adobeOnlyUserAction.kind !== 'preserve') {
    logger?.info(
      `Strategy push: ignoring --adobe-only-user-action ${actionTokens.keyword} (Adobe-only users are not processed when pushing)`,
    )
    adobeOnlyUserAction = { kind: 'preserve' }
  }

  if (!adobeOnlyUserList && connector.id !== 'csv' && !(connector.id in config.directoryUsers.connectors)) {
    problem(
      connectorTokens.origin,
      `no '${connector.id}' connector is configured under directory_users.connectors in ${config.file}`,
      `add directory_users.connectors.${connector.id}, or choose a configured one: ${Object.keys(config.directoryUsers.connectors).join(', ') || '(none)'}`,
    )
  }

  const options: SyncOptions = {
    testMode: bool('test_mode', false),
    users: adobeOnlyUserList ? { kind: 'all' } : users,
    adobeUsers,
    adobeOnlyUserAction,
    processGroups: bool('process_groups', false),
    updateUserInfo: bool('update_user_info', false),
    strategy,
    connector,
    excludeUnmappedUsers: bool('exclude_unmapped_users', false),
    sslCertVerify: bool('ssl_cert_verify', true),
  }
  if (userFilter && !adobeOnlyUserList) options.userFilter = userFilter
  if (adobeOnlyUserList) options.adobeOnlyUserList = adobeOnlyUserList

  if (issues.length > 0) {
    throw new ConfigError(`Invalid sync options (${issues.length} problem${issues.length === 1 ? '' : 's'})`, {
      code: 'config.sync-options',
      issues,
      suggestions: issues.flatMap((i) => (i.suggestion ? [i.suggestion] : [])),
    })
  }
  return options
}
