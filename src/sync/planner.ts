import type { TargetSnapshot, TargetUser, UpdateUserStep } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import type { SyncOptions } from './options.types.js'
import { adobeOnlyVerb, planAdobeOnly, type AdobeOnlyUser } from './plan-adobe-only.js'
import {
  addCreateGroup,
  addUserCommand,
  assemblePlan,
  newDraft,
  notePrevious,
  refOf,
  type PlanDraft,
} from './plan-draft.js'
import { planPush } from './plan-push.js'
import { compileExclusions, createStep, isExcluded, refOfDesired } from './plan-rules.js'
import type { AdobeOnlyFile, DesiredState, DesiredUser, Plan } from './plan.types.js'
import { candidatesOf, indexTarget, matchUser, type TargetIndex } from './target-index.js'
import { attributeChanges, GroupNames, groupChanges, shareEqualStrings } from './user-diff.js'
import { userKey } from './user-key.js'

/** Everything the planner decides from. */
export interface PlanInput {
  desired: DesiredState
  /** Per target name (`primary`, secondaries); a missing snapshot counts as an empty target. */
  snapshots: ReadonlyMap<string, TargetSnapshot>
  config: UstConfig
  options: SyncOptions
  /** `--adobe-only-user-list`: these are the Adobe-only users; no directory or target users are compared. */
  adobeOnlyList?: readonly AdobeOnlyUser[]
}

/**
 * Computes the plan (pure): UST's sync rules over the desired state and the target snapshots —
 * exclusions, matching (UST's matching defect fixed), attribute updates (primary only), group changes over mapped
 * groups, creation, secondary targets, Adobe-only users, user-group auto-creation; or the push
 * strategy; or an `--adobe-only-user-list`. Limits are applied afterwards (`applyLimits`).
 */
export function planSync(input: PlanInput): Plan {
  const { desired, config, options } = input
  const draft = newDraft(config)
  draft.counters.directoryUsersRead = desired.directoryUsersRead
  draft.counters.directoryUsersSelected = desired.users.length
  for (const warning of desired.warnings) draft.warnings.push(warning)
  let file: AdobeOnlyFile | undefined
  if (options.strategy === 'push') planPush(draft, desired, config, options)
  else if (input.adobeOnlyList) file = planAdobeOnly(draft, input.adobeOnlyList, config, options)
  else file = new SyncPass(draft, input).run()
  const plan = assemblePlan(draft, config, options.strategy, adobeOnlyVerb(options))
  if (file) plan.adobeOnlyFile = file
  const groupNames = [...desired.mappedGroups].filter(([, mapped]) => mapped.size > 0)
  if (groupNames.length > 0)
    plan.groupNames = Object.fromEntries(groupNames.map(([target, mapped]) => [target, Object.fromEntries(mapped)]))
  return plan
}

/** The current values of the attributes an update changes ('' for one the target does not have). */
function previousOf(update: UpdateUserStep, current: TargetUser): UpdateUserStep {
  const previous: UpdateUserStep = {}
  for (const key of Object.keys(update) as (keyof UpdateUserStep)[]) previous[key] = current[key] ?? ''
  return previous
}

const EMPTY: TargetSnapshot = { users: [] }
const NO_GROUPS: ReadonlyMap<string, string> = new Map()

/** One target's users as the pass sees them. */
interface TargetState {
  name: string
  index: TargetIndex
  mapped: ReadonlyMap<string, string>
  /** 1: matched already, or not matchable (a secondary user that is no included primary user). */
  taken: Uint8Array
}

/** The sync strategy over snapshots (UST `sync_umapi_users` + `process_strays`). */
class SyncPass {
  private readonly draft: PlanDraft
  private readonly input: PlanInput
  private readonly names = new GroupNames()

  constructor(draft: PlanDraft, input: PlanInput) {
    this.draft = draft
    this.input = input
  }

  run(): AdobeOnlyFile | undefined {
    const { desired, config, options } = this.input
    const exclusions = compileExclusions(config)
    const primary = this.open('primary')
    const pUsers = primary.index.users
    const excluded = new Uint8Array(pUsers.length)
    pUsers.forEach((u, i) => {
      if (!isExcluded(u, exclusions, true, this.names.lower)) return
      excluded[i] = 1
      this.draft.counters.adobeUsersExcluded++
    })
    this.draft.counters.adobeUsersRead = pUsers.length

    /** Directory users left alone in the secondaries: matched to (or colliding with) an excluded primary user, or to an Adobe ID. */
    const skip = new Uint8Array(desired.users.length)
    const createdInPrimary = new Set<string>()
    desired.users.forEach((user, j) => {
      const match = matchUser(primary.index, user, primary.taken)
      if (!match) {
        if (candidatesOf(primary.index, user).some((i) => excluded[i] === 1)) skip[j] = 1
        else if (this.create(primary, user, options.updateUserInfo)) createdInPrimary.add(user.key)
        return
      }
      primary.taken[match.index] = 1
      if (match.ambiguous) this.draft.warnings.push(match.ambiguous)
      if (excluded[match.index] === 1) {
        skip[j] = 1
        return
      }
      if (match.crossAdobeId) {
        // Managed through that Adobe ID here; not created or pushed to secondaries.
        this.draft.warnings.push(`Skipping user creation for: ${user.key} - AdobeID already exists with ${user.email}`)
        skip[j] = 1
      }
      const current = pUsers[match.index] as TargetUser
      shareEqualStrings(user, current)
      // UMAPI refuses attribute updates of Adobe IDs (their owners manage them): none are planned.
      const update =
        options.updateUserInfo && current.identityType !== 'adobeID'
          ? attributeChanges(user, current, config.adobeUsers.updateAttributes, this.draft.warnings)
          : undefined
      this.change(primary, user, match.index, update)
    })

    const strays: AdobeOnlyUser[] = []
    const strayKeyOf = new Map<number, string>()
    pUsers.forEach((u, i) => {
      if (primary.taken[i] === 1 || excluded[i] === 1) return
      const key = userKey(u.identityType, u.username, u.domain, u.email)
      strayKeyOf.set(i, key)
      strays.push({ target: 'primary', key, ref: refOf(u), mappedGroups: this.mappedOf(primary, i) })
    })

    for (const { name } of config.adobeUsers.targets) {
      if (name === 'primary' || !desired.mappedGroups.get(name)?.size) continue
      const secondary = this.open(name)
      /** The included primary user each secondary user is (an Adobe ID only ever an Adobe ID; -1: none, UST ignores such users). */
      const counterpart = secondary.index.users.map(
        (u) =>
          candidatesOf(primary.index, u).find(
            (i) =>
              excluded[i] === 0 &&
              ((pUsers[i] as TargetUser).identityType === 'adobeID') === (u.identityType === 'adobeID'),
          ) ?? -1,
      )
      counterpart.forEach((p, i) => {
        if (p < 0) secondary.taken[i] = 1
      })
      desired.users.forEach((user, j) => {
        if (skip[j] === 1) return
        const match = matchUser(secondary.index, user, secondary.taken)
        if (match) {
          secondary.taken[match.index] = 1
          if (match.ambiguous) this.draft.warnings.push(match.ambiguous)
          this.change(secondary, user, match.index, undefined)
        } else if ((user.groups.get(name)?.length ?? 0) > 0 && this.create(secondary, user, false)) {
          this.draft.secondaryCreatedKeys.add(user.key)
          if (!createdInPrimary.has(user.key)) this.draft.updatedKeys.add(user.key)
        }
      })
      counterpart.forEach((p, i) => {
        if (p < 0 || secondary.taken[i] === 1) return
        const u = secondary.index.users[i] as TargetUser
        // Keyed by the primary user's key, so that only users Adobe-only in the primary too are acted on.
        const key = strayKeyOf.get(p) ?? `in-primary:${p}`
        strays.push({ target: name, key, ref: refOf(u), mappedGroups: this.mappedOf(secondary, i) })
      })
    }

    if (options.processGroups && config.directoryUsers.autoCreateGroups) this.createGroups()
    return planAdobeOnly(this.draft, strays, config, options)
  }

  private open(name: string): TargetState {
    const snapshot = this.input.snapshots.get(name) ?? EMPTY
    const index = indexTarget(snapshot.users)
    return {
      name,
      index,
      mapped: this.input.desired.mappedGroups.get(name) ?? NO_GROUPS,
      taken: new Uint8Array(index.users.length),
    }
  }

  private mappedOf(target: TargetState, i: number): string[] {
    return this.names.mappedOf((target.index.users[i] as TargetUser).groups, target.mapped)
  }

  /** Attribute and group changes of a matched user: one command when there is any change. */
  private change(target: TargetState, user: DesiredUser, i: number, update: ReturnType<typeof attributeChanges>): void {
    const changes = this.input.options.processGroups
      ? groupChanges(
          user.groups.get(target.name) ?? [],
          (target.index.users[i] as TargetUser).groups,
          target.mapped,
          this.names,
        )
      : undefined
    if (!update && !changes) return
    const current = target.index.users[i] as TargetUser
    const command = addUserCommand(this.draft, target.name, {
      user: refOf(current),
      ...(update ? { update } : {}),
      ...(changes?.remove.length ? { removeGroups: changes.remove } : {}),
      ...(changes?.add.length ? { addGroups: changes.add } : {}),
    })
    if (update) notePrevious(this.draft, target.name, command, previousOf(update, current))
    this.draft.updatedKeys.add(user.key)
  }

  /** Creates an unmatched directory user (UST `create_umapi_user`); false when it is not created. */
  private create(target: TargetState, user: DesiredUser, updateIfExists: boolean): boolean {
    const { config, options } = this.input
    const groups = user.groups.get(target.name) ?? []
    if (target.name === 'primary' && options.excludeUnmappedUsers && groups.length === 0) return false
    if (user.identityType !== 'adobeID' && hasAdobeId(target.index, user)) {
      this.draft.warnings.push(`Skipping user creation for: ${user.key} - AdobeID already exists with ${user.email}`)
      return false
    }
    const create = createStep(user, config, updateIfExists ? 'update' : 'ignore', this.draft)
    if (!create) return false
    addUserCommand(this.draft, target.name, {
      user: refOfDesired(user),
      create,
      ...(options.processGroups && groups.length > 0 ? { addGroups: [...groups] } : {}),
    })
    if (target.name === 'primary') this.draft.counters.usersCreated++
    return true
  }

  /** `group_sync_options.auto_create`: mapped groups missing from a target become user groups (never product profiles). */
  private createGroups(): void {
    for (const [name, mapped] of this.input.desired.mappedGroups) {
      const existing = this.input.snapshots.get(name)?.groups
      if (!existing || !this.draft.targets.has(name)) continue
      const present = new Set(existing.map((g) => g.name.toLowerCase()))
      for (const [lower, spelled] of mapped) if (!present.has(lower)) addCreateGroup(this.draft, name, spelled)
    }
  }
}

/** Whether the target has an Adobe ID with this email (as in UST, Federated/Enterprise creation is then skipped). */
function hasAdobeId(index: TargetIndex, user: DesiredUser): boolean {
  return candidatesOf(index, { email: user.email, username: user.email, domain: '' }).some(
    (i) => (index.users[i] as TargetUser).identityType === 'adobeID',
  )
}
