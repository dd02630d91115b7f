import { ConfigError, type Logger } from '@ust-sync/api'
import { parseAdobeGroup } from '../config/adobe-group.js'
import type { AdobeGroupRef, UstConfig } from '../config/types.js'
import { alternationWarning, compileUsernamePattern, PythonRegexError, type UstPattern } from '../config/ust-pattern.js'
import { OptionReader, type Origin, type Tokens } from './option-reader.js'
import type { AdobeOnlyUserAction, AdobeUsersSelection, SyncOptions, UsersSelection } from './options.types.js'
import type { RawSyncFlags } from './sync-options.table.js'
import { TargetNames } from './target-names.js'

export type { RawSyncFlags } from './sync-options.table.js'

/** Connectors of UST that read no file (`--connector ldap`); `csv` needs exactly one. */
const NO_PATH_CONNECTORS = new Set(['ldap', 'okta', 'adobe_console', 'entra'])

const commaList = (value: string): string[] =>
  value
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g.length > 0)

/** `--connector ID [PATH]`: csv needs a file unless its connector file names one; ldap, okta, adobe_console and entra take none. */
function readConnector(read: OptionReader, config: UstConfig): { tokens: Tokens; connector: SyncOptions['connector'] } {
  const tokens = read.tokens('connector')
  const { keyword, args, origin } = tokens
  const csvFileConfigured = typeof config.directoryUsers.connectors.csv?.values.file_path === 'string'
  if (keyword === 'csv' && args.length === 0 && csvFileConfigured) {
    // ust extension: the csv connector file names the file (`file_path`), so no path is needed here.
    return { tokens, connector: { id: 'csv' } }
  }
  if (keyword === 'csv') {
    const path = read.oneArg('csv', args, origin, 'file path')
    return { tokens, connector: path ? { id: 'csv', path } : { id: 'csv' } }
  }
  if (NO_PATH_CONNECTORS.has(keyword)) read.noArgs(keyword, args, origin)
  else if (args.length > 1) read.problem(origin, `'${keyword}' takes at most one file path`)
  else if (args[0]) return { tokens, connector: { id: keyword, path: args[0] } }
  return { tokens, connector: { id: keyword } }
}

/** `--users`; `file PATH` also selects the csv connector for that file. */
function readUsers(
  read: OptionReader,
  connector: { tokens: Tokens; connector: SyncOptions['connector'] },
): { users: UsersSelection; origin: Origin; connector: SyncOptions['connector'] } {
  const form = read.form('users')
  const origin = form.origin
  let users: UsersSelection = { kind: 'all' }
  let selected = connector.connector
  if (form.keyword === 'all' || form.keyword === 'mapped') users = { kind: form.keyword }
  else if (form.keyword === 'group' && form.arg !== undefined) {
    const groups = commaList(form.arg)
    if (groups.length === 0) read.problem(form.origin, "'group' needs at least one group name")
    users = { kind: 'group', groups }
  } else if (form.keyword === 'file' && form.arg !== undefined) {
    if (connector.tokens.keyword === 'csv' && connector.tokens.origin.explicit) {
      read.problem(
        form.origin,
        "'--users file' selects the csv connector itself; it cannot be combined with '--connector csv'",
        'give the file once: either --users file PATH or --connector csv PATH',
      )
    }
    users = { kind: 'file', path: form.arg }
    selected = { id: 'csv', path: form.arg }
  }
  return { users, origin, connector: selected }
}

/** `--adobe-users`; every `org::group` must name a defined target. */
function readAdobeUsers(read: OptionReader, targets: TargetNames): AdobeUsersSelection {
  const form = read.form('adobeUsers')
  if (form.keyword === 'all' || form.keyword === 'mapped') return { kind: form.keyword }
  if (form.keyword !== 'group' || form.arg === undefined) return { kind: 'all' }
  const groups: AdobeGroupRef[] = []
  for (const qualified of commaList(form.arg)) {
    const ref = parseAdobeGroup(qualified)
    const unknown = targets.unknown(ref)
    if (unknown) {
      read.problem(
        form.origin,
        `group '${qualified}' names target '${ref.target}', which adobe_users.connectors does not define`,
        unknown.suggestion,
      )
    } else groups.push(ref)
  }
  if (groups.length === 0 && read.issues.length === 0)
    read.problem(form.origin, "'group' needs at least one group name")
  return { kind: 'group', groups }
}

/** `--adobe-only-user-action`. */
function readAdobeOnlyUserAction(read: OptionReader): { action: AdobeOnlyUserAction; keyword: string } {
  const form = read.form('adobeOnlyUserAction')
  const { keyword } = form
  if (!form.known) return { action: { kind: 'preserve' }, keyword }
  if (form.keyword === 'write-file')
    return { action: form.arg === undefined ? { kind: 'preserve' } : { kind: 'write-file', path: form.arg }, keyword }
  return { action: { kind: form.keyword } as AdobeOnlyUserAction, keyword }
}

/** `--user-filter`, compiled as UST compiles it (`\\A…\\Z`, case-insensitive, searched); warns of a top-level `|`. */
function readUserFilter(read: OptionReader, logger: Logger | undefined): UstPattern | undefined {
  const filterText = read.text('userFilter')
  if (!filterText) return undefined
  try {
    const pattern = compileUsernamePattern(filterText.value, 'user_filter')
    const warning = alternationWarning(filterText.value, 'user_filter')
    if (warning) logger?.warn(`${filterText.origin.path}: ${warning}`)
    return pattern
  } catch (error) {
    if (!(error instanceof PythonRegexError)) throw error
    read.problem(filterText.origin, `invalid regular expression: ${error.message}`)
    return undefined
  }
}

/**
 * Resolves the options of one sync run the way UST does: built-in defaults < `invocation_defaults` <
 * flags (as declared in {@link SYNC_OPTIONS}), then UST's combination rules (`load_invocation_options`).
 * Every problem found is reported in one {@link ConfigError} naming the flag (file `command line`) or the
 * `invocation_defaults` key, and what to do (a configuration error always exits non-zero, unlike UST).
 */
export function resolveSyncOptions(
  flags: RawSyncFlags,
  invocationDefaults: Record<string, unknown>,
  config: UstConfig,
  logger?: Logger,
): SyncOptions {
  const read = new OptionReader(flags, invocationDefaults, config.file)

  const connectorRead = readConnector(read, config)
  const { users, connector } = readUsers(read, connectorRead)
  const userFilter = readUserFilter(read, logger)
  const adobeUsers = readAdobeUsers(read, new TargetNames(config))
  const action = readAdobeOnlyUserAction(read)
  let adobeOnlyUserAction = action.action
  const strategy: SyncOptions['strategy'] = (read.text('strategy')?.value as SyncOptions['strategy']) ?? 'sync'

  const listText = read.text('adobeOnlyUserList')
  const adobeOnlyUserList = listText?.value
  if (listText) {
    if (strategy === 'push') {
      read.problem(
        listText.origin,
        '--adobe-only-user-list cannot be used with --strategy push',
        'run the push and the Adobe-only user list as two separate runs',
      )
    }
    if (adobeOnlyUserAction.kind === 'write-file') {
      read.problem(
        listText.origin,
        '--adobe-only-user-list cannot be combined with --adobe-only-user-action write-file',
        'choose preserve, remove-adobe-groups, remove or delete for the listed users',
      )
    }
  }

  if (strategy === 'push' && adobeOnlyUserAction.kind !== 'preserve') {
    logger?.info(
      `Strategy push: ignoring --adobe-only-user-action ${action.keyword} (Adobe-only users are not processed when pushing)`,
    )
    adobeOnlyUserAction = { kind: 'preserve' }
  }

  if (!adobeOnlyUserList && connector.id !== 'csv' && !(connector.id in config.directoryUsers.connectors)) {
    read.problem(
      connectorRead.tokens.origin,
      `no '${connector.id}' connector is configured under directory_users.connectors in ${config.file}`,
      `add directory_users.connectors.${connector.id}, or choose a configured one: ${Object.keys(config.directoryUsers.connectors).join(', ') || '(none)'}`,
    )
  }

  const options: SyncOptions = {
    testMode: read.bool('testMode'),
    users: adobeOnlyUserList ? { kind: 'all' } : users,
    adobeUsers,
    adobeOnlyUserAction,
    processGroups: read.bool('processGroups'),
    updateUserInfo: read.bool('updateUserInfo'),
    strategy,
    connector,
    excludeUnmappedUsers: read.bool('excludeUnmappedUsers'),
    sslCertVerify: read.bool('sslCertVerify'),
    allowDirectoryDrop: read.bool('allowDirectoryDrop'),
  }
  if (userFilter && !adobeOnlyUserList) options.userFilter = userFilter
  if (adobeOnlyUserList) options.adobeOnlyUserList = adobeOnlyUserList

  const { issues } = read
  if (issues.length > 0) {
    throw new ConfigError(`Invalid sync options (${issues.length} problem${issues.length === 1 ? '' : 's'})`, {
      code: 'config.sync-options',
      issues,
      suggestions: issues.flatMap((i) => (i.suggestion ? [i.suggestion] : [])),
    })
  }
  return options
}
