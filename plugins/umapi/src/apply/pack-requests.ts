import type { CommandResult, CreateGroupCommand, PlannedCommand, UserCommand } from '@ust-sync/api'
import {
  MAX_ENTRIES_PER_REQUEST,
  MAX_NAMES_PER_LIST,
  MAX_STEPS_PER_ENTRY,
  type ActionEntry,
  type ActionStep,
  type EntryRoot,
} from './action-entry.js'
import {
  countEmails,
  groupBuckets,
  singleMembershipChange,
  type GroupBucket,
  type MembershipChange,
} from './group-centric.js'
import { chunk, createRoot, userRoot, userSteps } from './user-steps.js'

/** One POST body and, for each entry and step, the ids of the planned commands that step carries. */
export interface PackedRequest {
  entries: ActionEntry[]
  /** `sources[entryIndex][stepIndex]` = command ids (several for a group-centric step). */
  sources: string[][][]
}

/** Result of {@link packCommands}. */
export interface Packing {
  requests: PackedRequest[]
  /** Commands refused without sending (user-group names UMAPI would refuse). */
  refused: CommandResult[]
  /** Commands with nothing to send: done as they are. */
  empty: string[]
}

/** What the packer knows about the target. */
export interface PackOptions {
  /** Lower-cased names of the org's user groups (only these can take group-centric changes). */
  userGroups: ReadonlySet<string>
  /** Number of the first `action_N` requestID; default 1. */
  firstRequestId?: number
}

/** A run of steps on one root, from which entries of ≤10 steps are cut. */
interface Unit {
  root: EntryRoot
  steps: ActionStep[]
  sources: string[][]
}

/** Why UMAPI (umapi-client) would refuse a user-group name, or undefined when it is fine. */
export function userGroupNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'a user-group name must not be empty'
  if (name.startsWith('_')) return `user-group name "${name}" starts with "_", which UMAPI reserves for admin groups`
  if (name.length > 255)
    return `user-group name "${name.slice(0, 40)}…" is ${name.length} characters long; UMAPI allows at most 255`
  return undefined
}

interface Plan {
  creates: CreateGroupCommand[]
  refused: CommandResult[]
  empty: string[]
  /** User commands sent user-centric, with their steps, in plan order. */
  userCentric: Array<{ command: UserCommand; steps: ActionStep[] }>
  buckets: GroupBucket[]
}

/** Decides, for each command, whether and how it is sent. Shared by the packer and the minimum count. */
function plan(commands: readonly PlannedCommand[], userGroups: ReadonlySet<string>): Plan {
  const result: Plan = { creates: [], refused: [], empty: [], userCentric: [], buckets: [] }
  const known = new Set(userGroups)
  for (const c of commands) {
    if (c.kind !== 'createGroup') continue
    const problem = userGroupNameProblem(c.name)
    if (problem)
      result.refused.push({
        commandId: c.id,
        status: 'failed',
        errors: [{ code: 'ust.umapi.invalid_group_name', message: problem }],
      })
    else {
      result.creates.push(c)
      known.add(c.name.toLowerCase())
    }
  }
  const emailCounts = countEmails(commands)
  const candidates: MembershipChange[] = []
  const sendable: Array<{ command: UserCommand; steps: ActionStep[] }> = []
  for (const c of commands) {
    if (c.kind !== 'user') continue
    const steps = userSteps(c)
    if (steps.length === 0) {
      result.empty.push(c.id)
      continue
    }
    sendable.push({ command: c, steps })
    const change = singleMembershipChange(c, known, emailCounts)
    if (change) candidates.push(change)
  }
  result.buckets = groupBuckets(candidates)
  const grouped = new Set(result.buckets.flatMap((b) => [...b.adds, ...b.removes].map((m) => m.commandId)))
  result.userCentric = sendable.filter((s) => !grouped.has(s.command.id))
  return result
}

function bucketUnit(bucket: GroupBucket): Unit {
  const steps: ActionStep[] = []
  const sources: string[][] = []
  for (const part of chunk(bucket.removes, MAX_NAMES_PER_LIST)) {
    steps.push({ remove: { user: part.map((m) => m.email) } })
    sources.push(part.map((m) => m.commandId))
  }
  for (const part of chunk(bucket.adds, MAX_NAMES_PER_LIST)) {
    steps.push({ add: { user: part.map((m) => m.email) } })
    sources.push(part.map((m) => m.commandId))
  }
  return { root: { usergroup: bucket.group }, steps, sources }
}

function userUnit({ command, steps }: { command: UserCommand; steps: ActionStep[] }): Unit {
  return {
    root: command.create ? createRoot(command.user) : userRoot(command.user),
    steps,
    sources: steps.map(() => [command.id]),
  }
}

/**
 * Packs planned commands into the fewest UMAPI action requests within UMAPI's limits (≤10 entries per
 * request, ≤10 steps per entry, ≤10 names per list). Order: user-group creations first, then user commands
 * in plan order, then group-centric membership entries, then removals from the org. All steps of a user
 * share one entry (several entries with the same root only beyond 10 steps). Single user-group membership
 * changes of existing users are sent group-centric (`usergroup` root, up to 10 users per step) where two or
 * more of them share a group, which never needs more entries than sending them per user.
 * Pure: no I/O. {@link minimumRequestCount} gives the count this achieves.
 */
export function packCommands(commands: readonly PlannedCommand[], options: PackOptions): Packing {
  const p = plan(commands, options.userGroups)
  const units: Unit[] = [
    ...p.creates.map((c) => ({
      root: { usergroup: c.name },
      steps: [
        { createUserGroup: { name: c.name, description: c.description, option: 'ignoreIfAlreadyExists' as const } },
      ],
      sources: [[c.id]],
    })),
    ...p.userCentric.filter((u) => !u.command.removeFromOrg).map(userUnit),
    ...p.buckets.map(bucketUnit),
    ...p.userCentric.filter((u) => u.command.removeFromOrg).map(userUnit),
  ]
  let next = options.firstRequestId ?? 1
  const entries: Array<{ entry: ActionEntry; sources: string[][] }> = []
  for (const unit of units) {
    for (let i = 0; i < unit.steps.length; i += MAX_STEPS_PER_ENTRY) {
      const entry = {
        ...unit.root,
        requestID: `action_${next++}`,
        do: unit.steps.slice(i, i + MAX_STEPS_PER_ENTRY),
      } as ActionEntry
      entries.push({ entry, sources: unit.sources.slice(i, i + MAX_STEPS_PER_ENTRY) })
    }
  }
  const requests = chunk(entries, MAX_ENTRIES_PER_REQUEST).map((part) => ({
    entries: part.map((e) => e.entry),
    sources: part.map((e) => e.sources),
  }))
  return { requests, refused: p.refused, empty: p.empty }
}

const ceilDiv = (a: number, b: number): number => Math.ceil(a / b)

/**
 * The fewest action requests that can carry `commands`: ⌈entries / 10⌉, where entries = one per valid
 * user-group creation + ⌈steps / 10⌉ per user sent user-centric + ⌈(⌈removes/10⌉ + ⌈adds/10⌉) / 10⌉ per
 * user group taking two or more single membership changes. Sending such a change group-centric adds at
 * most one entry and saves one, so sending all of them group-centric is optimal.
 */
export function minimumRequestCount(commands: readonly PlannedCommand[], userGroups: ReadonlySet<string>): number {
  const p = plan(commands, userGroups)
  let entries = p.creates.length
  for (const u of p.userCentric) entries += ceilDiv(u.steps.length, MAX_STEPS_PER_ENTRY)
  for (const b of p.buckets)
    entries += ceilDiv(
      ceilDiv(b.removes.length, MAX_NAMES_PER_LIST) + ceilDiv(b.adds.length, MAX_NAMES_PER_LIST),
      MAX_STEPS_PER_ENTRY,
    )
  return ceilDiv(entries, MAX_ENTRIES_PER_REQUEST)
}
