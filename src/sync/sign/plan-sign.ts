import { ROLE_GROUPS, type TargetSnapshot, type TargetUser } from '@ust-sync/api'
import type { UstConfig } from '../../config/types.js'
import { addCreateGroup, addUserCommand, assemblePlan, newDraft, type PlanDraft, refOf } from '../plan-draft.js'
import type { Plan, SignCounters } from '../plan.types.js'
import type { SignDesired, SignDesiredUser } from './sign-desired.js'

const ROLES = new Set<string>([ROLE_GROUPS.accountAdmin, ROLE_GROUPS.groupAdmin])
const primaryOf = (u: TargetUser): string => u.groups.find((g) => !ROLES.has(g)) ?? ''

/** One org as the pass sees it. */
interface Org {
  name: string
  createUsers: boolean
  deactivateUsers: boolean
  snapshot: TargetSnapshot
  defaultGroup: string
  /** UST's `{org}` prefix of this org's lines. */
  pre: string
}

/**
 * UST's Sign Sync rules over the directory and each org's snapshot (pure). Orgs are planned in UST's
 * order (secondaries, then `primary`): missing mapped groups are created; each directory user is synced
 * only in their target group's org (every org when they have none): created when absent (with
 * `create_users`; otherwise excluded), else given the desired account admin flag, primary group and group
 * admin flag; then the org's Sign-only users get `sign_only_user_action`. Emails are compared ignoring
 * case on both sides.
 */
export function planSign(
  desired: SignDesired,
  snapshots: ReadonlyMap<string, TargetSnapshot>,
  config: UstConfig,
): Plan {
  const sign = config.sign
  if (!sign) throw new Error('internal: planSign without a Sign Sync config')
  const draft = newDraft(config)
  const counters: SignCounters = {
    excluded: [],
    created: [],
    groupsUpdated: [],
    rolesUpdated: [],
    deactivated: [],
    signOnly: 0,
  }
  const sets: Sets = {
    notes: [],
    signOnlyNotes: [],
    excluded: new Set<string>(),
    created: new Set<string>(),
    groups: new Set<string>(),
    roles: new Set<string>(),
    deactivated: new Set<string>(),
  }
  draft.counters.directoryUsersRead = desired.users.length
  draft.counters.directoryUsersSelected = desired.users.length
  for (const w of desired.warnings) draft.warnings.push(w)
  const order = [...sign.orgs.filter((o) => o.name !== 'primary'), ...sign.orgs.filter((o) => o.name === 'primary')]
  for (const settings of order) {
    const snapshot = snapshots.get(settings.name) ?? { users: [] }
    const defaultGroup = snapshot.groups?.find((g) => g.isDefault)?.name
    if (!defaultGroup) {
      draft.errors.push(
        `${prefix(config, settings.name)}The Sign account has no Default Group: nothing is done in this org`,
      )
      continue
    }
    const org: Org = { ...settings, snapshot, defaultGroup, pre: prefix(config, settings.name) }
    createMissingGroups(draft, config, org, sets.notes)
    const seen = syncDirectoryUsers(draft, org, desired.users, sets)
    signOnlyUsers(draft, config, org, seen, sets, counters)
  }
  const plan = assemblePlan(draft, config, 'sync', undefined)
  plan.sign = {
    ...counters,
    excluded: [...sets.excluded],
    created: [...sets.created],
    groupsUpdated: [...sets.groups],
    rolesUpdated: [...sets.roles],
    deactivated: [...sets.deactivated],
    notes: sets.notes,
    signOnlyNotes: sets.signOnlyNotes,
  }
  return plan
}

/** UST's `{org}` prefix: `Org: Name - ` when several orgs are configured. */
export function prefix(config: UstConfig, org: string): string {
  if ((config.sign?.orgs.length ?? 0) < 2) return ''
  return `Org: ${org.charAt(0).toUpperCase()}${org.slice(1).toLowerCase()} - `
}

function createMissingGroups(draft: PlanDraft, config: UstConfig, org: Org, notes: string[]): void {
  const present = new Set((org.snapshot.groups ?? []).map((g) => g.name.toLowerCase()))
  for (const mapping of config.sign?.mappings ?? [])
    for (const group of mapping.groups) {
      if (group.target !== org.name || present.has(group.name.toLowerCase())) continue
      present.add(group.name.toLowerCase())
      notes.push(`${org.pre}Creating new Sign group: ${group.name}`)
      addCreateGroup(draft, org.name, group.name)
    }
}

interface Sets {
  /** UST's INFO lines for the directory users and groups, in order. */
  notes: string[]
  /** UST's INFO lines for the Sign-only users (dropped with their commands when the limit is exceeded). */
  signOnlyNotes: string[]
  excluded: Set<string>
  created: Set<string>
  groups: Set<string>
  roles: Set<string>
  deactivated: Set<string>
}

/** The org's directory users: created (or excluded) when absent, else brought to the desired group and roles. */
function syncDirectoryUsers(draft: PlanDraft, org: Org, users: readonly SignDesiredUser[], sets: Sets): Set<string> {
  const active = new Map(org.snapshot.users.map((u) => [u.email.toLowerCase(), u]))
  draft.counters.adobeUsersRead += active.size
  const seen = new Set<string>()
  for (const user of users) {
    if (user.target && user.target.target !== org.name) continue
    seen.add(user.key)
    const group = user.target?.name ?? org.defaultGroup
    const current = active.get(user.key)
    if (current) updateUser(draft, org, user, current, group, sets)
    else if (org.createUsers) createUser(draft, org, user, group, sets)
    else {
      sets.notes.push(`${org.pre}User ${user.email} not present and will be skipped.`)
      sets.excluded.add(user.email)
    }
  }
  return seen
}

/** UST's insert: the user with the account admin flag, then the target (or Default) group and group admin flag. */
function createUser(draft: PlanDraft, org: Org, user: SignDesiredUser, group: string, sets: Sets): void {
  addUserCommand(draft, org.name, {
    user: {
      identityType: 'federatedID',
      email: user.email,
      username: user.email,
      domain: user.email.slice(user.email.lastIndexOf('@') + 1),
    },
    create: {
      ...(user.firstname ? { firstname: user.firstname } : {}),
      ...(user.lastname ? { lastname: user.lastname } : {}),
      onConflict: 'ignore',
    },
    addGroups: [
      group.toLowerCase(),
      ...(user.accountAdmin ? [ROLE_GROUPS.accountAdmin] : []),
      ...(user.groupAdmin ? [ROLE_GROUPS.groupAdmin] : []),
    ],
  })
  sets.notes.push(`${org.pre}Inserted sign user '${user.email}', admin?: ${py(user.accountAdmin)}`)
  sets.notes.push(`${org.pre}Assigning '${user.email}' to group '${group}', group admin?: ${py(user.groupAdmin)}`)
  sets.created.add(user.email)
  draft.counters.usersCreated++
}

/** UST's three comparisons (account admin, primary group, group admin): one command for what differs. */
function updateUser(draft: PlanDraft, org: Org, user: SignDesiredUser, current: TargetUser, group: string, sets: Sets) {
  const add: string[] = []
  const remove: string[] = []
  const role = (name: string, wanted: boolean): boolean => {
    if (current.groups.includes(name) === wanted) return false
    sets.roles.add(user.key)
    ;(wanted ? add : remove).push(name)
    return true
  }
  if (role(ROLE_GROUPS.accountAdmin, user.accountAdmin))
    sets.notes.push(
      user.accountAdmin
        ? `Assigning account admin status to ${user.email}`
        : `Removing account admin status from ${user.email}`,
    )
  if (primaryOf(current).toLowerCase() !== group.toLowerCase()) {
    sets.notes.push(`Assigning primary group '${group}' to user ${user.email}`)
    sets.groups.add(user.key)
    add.push(group.toLowerCase())
  }
  if (role(ROLE_GROUPS.groupAdmin, user.groupAdmin))
    sets.notes.push(`Changing group Admin role for user '${user.email}', status? ${py(user.groupAdmin)}`)
  if (add.length === 0 && remove.length === 0) return
  addUserCommand(draft, org.name, {
    user: refOf(current),
    ...(remove.length ? { removeGroups: remove } : {}),
    ...(add.length ? { addGroups: add } : {}),
  })
  draft.updatedKeys.add(user.key)
  draft.counters.usersUpdated = draft.updatedKeys.size
}

/** `sign_only_user_action` for the org's active users the directory did not bring (UST's rules). */
function signOnlyUsers(
  draft: PlanDraft,
  config: UstConfig,
  org: Org,
  seen: ReadonlySet<string>,
  sets: Sets,
  counters: SignCounters,
): void {
  const action = config.sign?.signOnlyUserAction ?? 'reset'
  for (const user of org.snapshot.users) {
    if (seen.has(user.email.toLowerCase())) continue
    counters.signOnly++
    draft.counters.adobeOnlyFound++
    const steps = signOnlySteps(action, org, user)
    if (!steps) continue
    addUserCommand(draft, org.name, { user: refOf(user), ...steps }, true)
    draft.counters.adobeOnlyProcessed++
    for (const line of signOnlyNotes(action, user)) sets.signOnlyNotes.push(`${org.pre}${line}`)
    if (steps.removeFromOrg) sets.deactivated.add(user.email)
  }
}

/** UST's lines for what a Sign-only action does to a user (without the org prefix). */
function signOnlyNotes(action: string, user: TargetUser): string[] {
  const e = user.email
  const accountAdmin = user.groups.includes(ROLE_GROUPS.accountAdmin)
  const removeAdmin = accountAdmin ? [`Removing account admin status for user '${e}'`] : []
  if (action === 'deactivate') return [`Deactivated sign user '${e}'`]
  if (action === 'reset') return [`Resetting '${e}' to Default Group and removing group admin status`, ...removeAdmin]
  if (action === 'remove_groups') return [`Resetting '${e}' to Default Group`]
  const groupAdmin = user.groups.includes(ROLE_GROUPS.groupAdmin)
  return [...(groupAdmin ? [`Removing group admin status for user '${e}'`] : []), ...removeAdmin]
}

/** Python's spelling of a boolean, as UST prints it. */
const py = (value: boolean): string => (value ? 'True' : 'False')

function signOnlySteps(
  action: NonNullable<UstConfig['sign']>['signOnlyUserAction'],
  org: Org,
  user: TargetUser,
): { removeGroups?: string[] | 'all'; removeFromOrg?: { deleteAccount: boolean } } | undefined {
  if (action === 'exclude') return undefined
  if (action === 'deactivate') return org.deactivateUsers ? { removeFromOrg: { deleteAccount: false } } : undefined
  const accountAdmin = user.groups.includes(ROLE_GROUPS.accountAdmin)
  const groupAdmin = user.groups.includes(ROLE_GROUPS.groupAdmin)
  const inDefault = primaryOf(user).toLowerCase() === org.defaultGroup.toLowerCase()
  if (inDefault && !accountAdmin && !groupAdmin) return undefined
  if (action === 'reset') return { removeGroups: 'all' }
  if (action === 'remove_groups') return inDefault ? undefined : { removeGroups: [primaryOf(user).toLowerCase()] }
  const roles = [...(groupAdmin ? [ROLE_GROUPS.groupAdmin] : []), ...(accountAdmin ? [ROLE_GROUPS.accountAdmin] : [])]
  return roles.length > 0 ? { removeGroups: roles } : undefined
}
