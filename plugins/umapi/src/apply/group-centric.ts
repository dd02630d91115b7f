import type { PlannedCommand, UserCommand } from '@ust-sync/api'
import { distinct, hasUpdate } from './user-steps.js'

/** One membership change sent group-centric: `{usergroup: group, do: [{add|remove: {user: [email]}}]}`. */
export interface MembershipChange {
  commandId: string
  email: string
  group: string
  direction: 'add' | 'remove'
}

/** Membership changes of one user group, in plan order. */
export interface GroupBucket {
  /** The group as the first command spelled it. */
  group: string
  removes: MembershipChange[]
  adds: MembershipChange[]
}

const lower = (s: string): string => s.toLowerCase()

/**
 * The single membership change of a command that may go group-centric, or undefined. Eligible: an existing
 * Enterprise/Federated user addressed by email (no create, update, `remove: all` or removal from the org)
 * whose only change is joining or leaving one *user group*, and who has no other command in the batch.
 * `'any'` treats every group as a user group (to ask whether knowing the groups could help).
 */
export function singleMembershipChange(
  command: UserCommand,
  userGroups: ReadonlySet<string> | 'any',
  emailCounts: ReadonlyMap<string, number>,
): MembershipChange | undefined {
  if (command.create || hasUpdate(command) || command.removeFromOrg || command.removeGroups === 'all') return undefined
  if (command.user.identityType === 'adobeID' || !command.user.username.includes('@')) return undefined
  if ((emailCounts.get(lower(command.user.email)) ?? 0) !== 1) return undefined
  const removes = distinct(command.removeGroups ?? [])
  const adds = distinct(command.addGroups ?? [])
  if (removes.length + adds.length !== 1) return undefined
  const direction = adds.length === 1 ? 'add' : 'remove'
  const group = (adds[0] ?? removes[0])!
  if (userGroups !== 'any' && !userGroups.has(lower(group))) return undefined
  return { commandId: command.id, email: command.user.email, group, direction }
}

/** How often each (lower-cased) email occurs among the user commands. */
export function countEmails(commands: readonly PlannedCommand[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const c of commands)
    if (c.kind === 'user') counts.set(lower(c.user.email), (counts.get(lower(c.user.email)) ?? 0) + 1)
  return counts
}

/**
 * Groups the eligible single membership changes by user group (case-insensitive). Only groups with at
 * least two changes are worth a group-centric entry; a lone change costs one entry either way and stays
 * user-centric (its errors then name the user).
 */
export function groupBuckets(changes: readonly MembershipChange[]): GroupBucket[] {
  const buckets = new Map<string, GroupBucket>()
  for (const change of changes) {
    const key = lower(change.group)
    let bucket = buckets.get(key)
    if (!bucket) buckets.set(key, (bucket = { group: change.group, removes: [], adds: [] }))
    ;(change.direction === 'add' ? bucket.adds : bucket.removes).push(change)
  }
  return [...buckets.values()].filter((b) => b.adds.length + b.removes.length >= 2)
}
