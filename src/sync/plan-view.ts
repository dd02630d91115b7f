import type { IdentityType, PlannedCommand, UpdateUserStep, UserCommand } from '@ust-sync/api'
import type { Plan, PlanTarget } from './plan.types.js'

/** The parts of a plan a reviewer can ask for alone (`ust plan show --only`). */
export const PLAN_SECTIONS = ['creates', 'updates', 'groups', 'removals'] as const
export type PlanSection = (typeof PLAN_SECTIONS)[number]

/** How many changes of each kind a plan makes. */
export interface PlanViewCounts {
  usersCreated: number
  /** Existing users whose attributes change. */
  usersUpdated: number
  membershipsAdded: number
  membershipsRemoved: number
  /** Adobe-only users removed from the organisation (account kept). */
  adobeOnlyRemoved: number
  /** Adobe-only users whose account is deleted. */
  adobeOnlyDeleted: number
  /** Adobe-only users taken out of every group. */
  adobeOnlyUngrouped: number
  /** Adobe users left alone: exclusion rules and `--adobe-only-user-action exclude`. */
  adobeUsersExcluded: number
  groupsCreated: number
}

/** A user the plan creates, with the groups (display names) they are added to. */
export interface CreatedUser {
  target: string
  email: string
  identityType: IdentityType
  username: string
  firstname?: string
  lastname?: string
  country?: string
  groups: string[]
}

/** An attribute change: `field: from → to`. */
export interface FieldChange {
  field: keyof UpdateUserStep
  /** The current value; absent for plans written before ust kept it. */
  from?: string
  to: string
}

/** An existing user whose attributes change. */
export interface UpdatedUser {
  target: string
  email: string
  changes: FieldChange[]
}

/** Who joins and who leaves one group (its name as written in the config). */
export interface GroupMembershipChange {
  target: string
  group: string
  added: string[]
  removed: string[]
}

/** What happens to an Adobe-only user. */
export type AdobeOnlyAction = 'removed' | 'deleted' | 'removed from all groups' | 'removed from mapped groups'

/** An Adobe-only user the plan acts on. */
export interface AdobeOnlyChange {
  target: string
  email: string
  identityType: IdentityType
  action: AdobeOnlyAction
  /** The groups left, for `removed from mapped groups`. */
  groups?: string[]
}

/** A user group the plan creates. */
export interface CreatedGroup {
  target: string
  group: string
}

/** A plan as a person reads it: counts first, then every change grouped by kind. Plain data (`--json`). */
export interface PlanView {
  strategy: Plan['strategy']
  /** `sign` for a Sign Sync plan (Sign-only users, deactivation, no identity types); absent for Adobe. */
  product?: 'sign'
  targets: string[]
  /** True when anyone leaves the organisation, loses an account or leaves a group. */
  hasRemovals: boolean
  counts: PlanViewCounts
  creates: CreatedUser[]
  updates: UpdatedUser[]
  groups: GroupMembershipChange[]
  removals: AdobeOnlyChange[]
  groupsCreated: CreatedGroup[]
  /** The safety limit's CRITICAL message, when a limit stopped Adobe-only handling. */
  limit?: string
  warnings: string[]
  errors: string[]
}

const UPDATE_FIELDS = ['email', 'username', 'firstname', 'lastname'] as const

/** Groups' display names of one target: the name as written in the config, else the plan's (lower-cased) name. */
function namer(plan: Plan, target: string): (name: string) => string {
  const names = plan.groupNames?.[target] ?? {}
  return (name) => names[name] ?? name
}

function adobeOnlyAction(command: UserCommand): AdobeOnlyAction | undefined {
  if (command.removeFromOrg) return command.removeFromOrg.deleteAccount ? 'deleted' : 'removed'
  if (command.removeGroups === 'all') return 'removed from all groups'
  if (command.removeGroups) return 'removed from mapped groups'
  return undefined
}

/** Collects one target's commands into the view's lists. */
function collectTarget(plan: Plan, entry: PlanTarget, view: PlanView, memberships: Map<string, GroupMembershipChange>) {
  const { target } = entry
  const display = namer(plan, target)
  const adobeOnly = new Set(entry.adobeOnly)
  const membership = (group: string): GroupMembershipChange => {
    const name = display(group)
    const key = `${target}\0${name}`
    let change = memberships.get(key)
    if (!change) memberships.set(key, (change = { target, group: name, added: [], removed: [] }))
    return change
  }
  for (const command of entry.commands as PlannedCommand[]) {
    if (command.kind === 'createGroup') {
      view.groupsCreated.push({ target, group: command.name })
      continue
    }
    const { user } = command
    const email = user.email || `${user.username} in ${user.domain}`
    if (command.create) view.creates.push(createdUser(target, email, command, display))
    if (command.update)
      view.updates.push({ target, email, changes: fieldChanges(command, entry.previous?.[command.id]) })
    const action = adobeOnly.has(command.id) ? adobeOnlyAction(command) : undefined
    if (action) {
      const groups = Array.isArray(command.removeGroups) ? { groups: command.removeGroups.map(display) } : {}
      view.removals.push({ target, email, identityType: user.identityType, action, ...groups })
    }
    if (Array.isArray(command.removeGroups))
      for (const group of command.removeGroups) membership(group).removed.push(email)
    for (const group of command.addGroups ?? []) membership(group).added.push(email)
  }
}

/** A user the command creates, with the groups it adds them to (display names). */
function createdUser(
  target: string,
  email: string,
  command: UserCommand,
  display: (name: string) => string,
): CreatedUser {
  const { user } = command
  const { firstname, lastname, country } = command.create ?? {}
  return {
    target,
    email,
    identityType: user.identityType,
    username: user.username,
    ...(firstname !== undefined ? { firstname } : {}),
    ...(lastname !== undefined ? { lastname } : {}),
    ...(country !== undefined ? { country } : {}),
    groups: (command.addGroups ?? []).map(display),
  }
}

/** The attribute changes of the command's update, each with its current value when the plan kept it. */
function fieldChanges(command: UserCommand, previous: UpdateUserStep | undefined): FieldChange[] {
  const changes: FieldChange[] = []
  for (const field of UPDATE_FIELDS) {
    const to = command.update?.[field]
    if (to === undefined) continue
    const from = previous?.[field]
    changes.push({ field, ...(from !== undefined ? { from } : {}), to })
  }
  return changes
}

/** The review view of a plan (pure): every change, grouped by kind, with counts. */
export function planView(plan: Plan): PlanView {
  const view: PlanView = {
    strategy: plan.strategy,
    ...(plan.sign ? { product: 'sign' as const } : {}),
    targets: [...plan.targetNames],
    hasRemovals: false,
    counts: {
      usersCreated: 0,
      usersUpdated: 0,
      membershipsAdded: 0,
      membershipsRemoved: 0,
      adobeOnlyRemoved: 0,
      adobeOnlyDeleted: 0,
      adobeOnlyUngrouped: 0,
      adobeUsersExcluded: plan.counters.adobeUsersExcluded,
      groupsCreated: 0,
    },
    creates: [],
    updates: [],
    groups: [],
    removals: [],
    groupsCreated: [],
    warnings: plan.warnings,
    errors: plan.errors,
  }
  const memberships = new Map<string, GroupMembershipChange>()
  for (const entry of plan.targets) collectTarget(plan, entry, view, memberships)
  view.groups = [...memberships.values()].sort(
    (a, b) => a.target.localeCompare(b.target) || a.group.localeCompare(b.group),
  )
  const c = view.counts
  c.usersCreated = view.creates.length
  c.usersUpdated = view.updates.length
  c.groupsCreated = view.groupsCreated.length
  for (const g of view.groups) {
    c.membershipsAdded += g.added.length
    c.membershipsRemoved += g.removed.length
  }
  for (const r of view.removals) {
    if (r.action === 'removed') c.adobeOnlyRemoved++
    else if (r.action === 'deleted') c.adobeOnlyDeleted++
    else if (r.action === 'removed from all groups') c.adobeOnlyUngrouped++
  }
  view.hasRemovals = c.adobeOnlyRemoved + c.adobeOnlyDeleted + c.adobeOnlyUngrouped + c.membershipsRemoved > 0
  if (plan.limit?.exceeded && plan.limit.message) view.limit = plan.limit.message
  return view
}

/** The view with only the asked sections' lists (counts, limit, warnings and errors stay). */
export function onlySections(view: PlanView, only: PlanSection | undefined): PlanView {
  if (!only) return view
  return {
    ...view,
    creates: only === 'creates' ? view.creates : [],
    updates: only === 'updates' ? view.updates : [],
    groups: only === 'groups' ? view.groups : [],
    groupsCreated: only === 'groups' ? view.groupsCreated : [],
    removals: only === 'removals' ? view.removals : [],
  }
}
