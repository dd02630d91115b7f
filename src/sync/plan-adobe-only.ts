import type { UserCommand, UserRef } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import type { SyncOptions } from './options.types.js'
import { addUserCommand, type PlanDraft } from './plan-draft.js'
import type { AdobeOnlyFile, Plan } from './plan.types.js'

/** An Adobe user with no selected directory user (UST "stray"). */
export interface AdobeOnlyUser {
  target: string
  /** UST user key (lower-cased); for secondaries, the key of the primary user it corresponds to. */
  key: string
  ref: UserRef
  /** Its mapped groups in that target (lower-cased): what `preserve` + `--process-groups` removes. */
  mappedGroups: readonly string[]
}

/** Whether Adobe-only users are managed (commands sent), not only listed. */
export function managesAdobeOnly(options: SyncOptions): boolean {
  const kind = options.adobeOnlyUserAction.kind
  return options.processGroups || kind === 'remove-adobe-groups' || kind === 'remove' || kind === 'delete'
}

/** The summary's verb for the Adobe-only line, or undefined when Adobe-only users are not processed. */
export function adobeOnlyVerb(options: SyncOptions): Plan['adobeOnlyVerb'] {
  const kind = options.adobeOnlyUserAction.kind
  if (options.strategy === 'push' || kind === 'exclude') return undefined
  if (kind !== 'write-file' && !managesAdobeOnly(options)) return undefined
  if (kind === 'delete') return 'deleted'
  if (kind === 'remove') return 'removed'
  if (kind === 'remove-adobe-groups') return 'removed from all groups'
  return 'with groups processed'
}

/** The `write-file` CSV: `type,email,domain`, plus `umapi` ('' for the primary) when a secondary has Adobe-only users. */
function adobeOnlyFile(path: string, strays: readonly AdobeOnlyUser[]): AdobeOnlyFile {
  const withTarget = strays.some((s) => s.target !== 'primary')
  const columns = withTarget ? ['type', 'email', 'domain', 'umapi'] : ['type', 'email', 'domain']
  const rows = strays.map((s) => {
    const domain = s.ref.username.includes('@') ? '' : s.ref.domain
    const row = [s.ref.identityType, s.ref.email.toLowerCase(), domain.toLowerCase()]
    if (withTarget) row.push(s.target === 'primary' ? '' : s.target)
    return row
  })
  return { path, columns, rows }
}

/**
 * Plans the Adobe-only users (UST `process_strays` / `manage_strays`): the `write-file` list, then —
 * when managed — per action: `remove-adobe-groups` removes all groups, `remove` removes from the org,
 * `delete` deletes the account in the primary (Adobe IDs are removed, not deleted: a UST defect fixed) and
 * removes in secondaries, `preserve`/`write-file` with `--process-groups` remove only the mapped groups.
 * Secondaries act only on users who are Adobe-only in the primary too. With `group_removals_only`, only
 * users with mapped groups to remove are counted and acted on. Returns the write-file content, if any.
 */
export function planAdobeOnly(
  draft: PlanDraft,
  strays: readonly AdobeOnlyUser[],
  config: UstConfig,
  options: SyncOptions,
): AdobeOnlyFile | undefined {
  const action = options.adobeOnlyUserAction
  const primary = strays.filter((s) => s.target === 'primary')
  if (action.kind === 'exclude') {
    draft.counters.adobeUsersExcluded += primary.length
    return undefined
  }
  if (!adobeOnlyVerb(options)) return undefined
  draft.counters.adobeOnlyFound = primary.length
  draft.counters.adobeOnlyWithGroups = primary.filter((s) => s.mappedGroups.length > 0).length
  const file = action.kind === 'write-file' ? adobeOnlyFile(action.path, strays) : undefined
  if (!managesAdobeOnly(options)) return file

  const considered = (s: AdobeOnlyUser): boolean => !config.limits.groupRemovalsOnly || s.mappedGroups.length > 0
  const primaryKeys = new Set(primary.filter(considered).map((s) => s.key))
  const commandFor = (s: AdobeOnlyUser): Omit<UserCommand, 'kind' | 'id'> | undefined => {
    switch (action.kind) {
      case 'remove-adobe-groups':
        return { user: s.ref, removeGroups: 'all' }
      case 'remove':
        return { user: s.ref, removeFromOrg: { deleteAccount: false } }
      case 'delete':
        return {
          user: s.ref,
          removeFromOrg: { deleteAccount: s.target === 'primary' && s.ref.identityType !== 'adobeID' },
        }
      default:
        return options.processGroups && s.mappedGroups.length > 0
          ? { user: s.ref, removeGroups: [...s.mappedGroups] }
          : undefined
    }
  }
  for (const stray of strays) {
    if (stray.target === 'primary' || !primaryKeys.has(stray.key)) continue
    const command = commandFor(stray)
    if (command) addUserCommand(draft, stray.target, command, true)
  }
  for (const stray of primary) {
    if (!considered(stray)) continue
    const command = commandFor(stray)
    if (!command) continue
    addUserCommand(draft, 'primary', command, true)
    draft.counters.adobeOnlyProcessed++
  }
  return file
}
