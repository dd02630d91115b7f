import type { DirectoryUser } from '@ust-sync/api'
import type { AdobeGroupRef, SignMapping } from '../../config/types.js'
import type { UsersSelection } from '../options.types.js'

/** A directory user as Sign Sync wants them. */
export interface SignDesiredUser {
  /** The email lower-cased. */
  key: string
  /** The email as the directory gives it. */
  email: string
  firstname?: string
  lastname?: string
  /** The first Sign group of the highest-priority mapping; absent: the org's Default Group, in every org. */
  target?: AdobeGroupRef
  accountAdmin: boolean
  groupAdmin: boolean
}

/** The directory side of a Sign Sync run. */
export interface SignDesired {
  /** Users kept after the `--users` filter and the empty-email check (UST's "directory users read"). */
  users: SignDesiredUser[]
  warnings: string[]
}

/** The directory groups `--users` keeps (undefined: every user), UST's filter. */
function filterOf(users: UsersSelection, mappings: readonly SignMapping[]): Set<string> | undefined {
  if (users.kind === 'mapped') return new Set(mappings.map((m) => m.directoryGroup))
  if (users.kind === 'group') return new Set(users.groups)
  return undefined
}

/**
 * UST's Sign Sync directory rules: a user is kept when `--users` selects one of their groups (exact
 * names); the key is the email lower-cased (a later duplicate replaces an earlier one); the matching
 * mappings are taken by priority (first YAML appearance): roles are the union of all of them, the target
 * group the first Sign group of the concatenated lists.
 */
export function signDesired(
  directory: readonly DirectoryUser[],
  mappings: readonly SignMapping[],
  selection: UsersSelection,
): SignDesired {
  const filter = filterOf(selection, mappings)
  const warnings: string[] = []
  const byKey = new Map<string, SignDesiredUser>()
  const sorted = [...mappings].sort((a, b) => a.priority - b.priority)
  for (const user of directory) {
    if (filter && !user.groups.some((g) => filter.has(g))) continue
    const key = String(user.email ?? '').toLowerCase()
    if (!key) {
      warnings.push(`Ignoring directory user with empty user key: ${user.origin ?? JSON.stringify(user.groups)}`)
      continue
    }
    const groups = new Set(user.groups)
    const matched = sorted.filter((m) => groups.has(m.directoryGroup))
    const target = matched.flatMap((m) => m.groups)[0]
    byKey.delete(key)
    byKey.set(key, {
      key,
      email: user.email,
      ...(user.firstname ? { firstname: user.firstname } : {}),
      ...(user.lastname ? { lastname: user.lastname } : {}),
      ...(target ? { target } : {}),
      accountAdmin: matched.some((m) => m.accountAdmin),
      groupAdmin: matched.some((m) => m.groupAdmin),
    })
  }
  return { users: [...byKey.values()], warnings }
}
