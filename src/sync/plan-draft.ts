import type {
  CreateGroupCommand,
  PlannedCommand,
  TargetUser,
  UpdateUserStep,
  UserCommand,
  UserRef,
} from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import type { DesiredUser, Plan, PlanCounters, PlanTarget } from './plan.types.js'

/** Commands collected for one target before ordering. */
interface TargetDraft {
  createGroups: CreateGroupCommand[]
  users: UserCommand[]
  adobeOnly: Set<UserCommand>
  /** The current values each update replaces. */
  previous: Map<UserCommand, UpdateUserStep>
}

/** Mutable state the planning steps fill in; {@link assemblePlan} turns it into a {@link Plan}. */
export interface PlanDraft {
  targets: Map<string, TargetDraft>
  counters: PlanCounters
  /** Directory user keys with changes to existing users, in any target. */
  updatedKeys: Set<string>
  /** Directory user keys created (pushed) in a secondary. */
  secondaryCreatedKeys: Set<string>
  warnings: string[]
  errors: string[]
  /** Users whose `notCreatable` error is already in `errors` (one error however many targets). */
  notCreatableReported: Set<DesiredUser>
}

/** An empty draft with one entry per configured target. */
export function newDraft(config: UstConfig): PlanDraft {
  return {
    targets: new Map(
      config.adobeUsers.targets.map((t) => [
        t.name,
        { createGroups: [], users: [], adobeOnly: new Set(), previous: new Map() },
      ]),
    ),
    counters: {
      directoryUsersRead: 0,
      directoryUsersSelected: 0,
      adobeUsersRead: 0,
      adobeUsersExcluded: 0,
      usersCreated: 0,
      usersUpdated: 0,
      groupsCreated: 0,
      secondaryUsersCreated: 0,
      adobeOnlyFound: 0,
      adobeOnlyWithGroups: 0,
      adobeOnlyProcessed: 0,
    },
    updatedKeys: new Set(),
    secondaryCreatedKeys: new Set(),
    warnings: [],
    errors: [],
    notCreatableReported: new Set(),
  }
}

function draftFor(draft: PlanDraft, target: string): TargetDraft {
  const found = draft.targets.get(target)
  if (!found) throw new Error(`internal: no target '${target}' in the plan draft`)
  return found
}

/** Adds a user command to a target (ids are assigned when the plan is assembled). */
export function addUserCommand(
  draft: PlanDraft,
  target: string,
  command: Omit<UserCommand, 'kind' | 'id'>,
  adobeOnly = false,
): UserCommand {
  const full: UserCommand = { kind: 'user', id: '', ...command }
  const entry = draftFor(draft, target)
  entry.users.push(full)
  if (adobeOnly) entry.adobeOnly.add(full)
  return full
}

/** Notes the current values an update of `command` replaces (for people reviewing the plan). */
export function notePrevious(draft: PlanDraft, target: string, command: UserCommand, previous: UpdateUserStep): void {
  draftFor(draft, target).previous.set(command, previous)
}

/** Adds a user-group creation to a target. */
export function addCreateGroup(draft: PlanDraft, target: string, name: string): void {
  draftFor(draft, target).createGroups.push({
    kind: 'createGroup',
    id: '',
    name,
    description: 'Automatically created by User Sync Tool',
  })
  draft.counters.groupsCreated++
}

/** How commands address an existing target user: by its current identity (a UST defect fixed). */
export function refOf(user: TargetUser): UserRef {
  return { identityType: user.identityType, email: user.email, username: user.username, domain: user.domain }
}

/**
 * Orders and numbers the commands: per target group creations first, then user changes, removals
 * from the org last; secondaries before the primary. Ids are `<target>:<n>` in execution order.
 */
export function assemblePlan(
  draft: PlanDraft,
  config: UstConfig,
  strategy: Plan['strategy'],
  verb: Plan['adobeOnlyVerb'],
): Plan {
  const names = config.adobeUsers.targets.map((t) => t.name)
  const order = [...names.filter((n) => n !== 'primary'), ...names.filter((n) => n === 'primary')]
  const targets: PlanTarget[] = order.map((target) => {
    const entry = draftFor(draft, target)
    const ordered: PlannedCommand[] = [
      ...entry.createGroups,
      ...entry.users.filter((c) => !c.removeFromOrg),
      ...entry.users.filter((c) => c.removeFromOrg),
    ]
    const adobeOnly: string[] = []
    const previous: Record<string, UpdateUserStep> = {}
    ordered.forEach((command, i) => {
      command.id = `${target}:${i + 1}`
      if (command.kind !== 'user') return
      if (entry.adobeOnly.has(command)) adobeOnly.push(command.id)
      const was = entry.previous.get(command)
      if (was) previous[command.id] = was
    })
    return { target, commands: ordered, adobeOnly, ...(entry.previous.size > 0 ? { previous } : {}) }
  })
  const counters = {
    ...draft.counters,
    usersUpdated: draft.updatedKeys.size,
    secondaryUsersCreated: draft.secondaryCreatedKeys.size,
  }
  const plan: Plan = {
    version: 1,
    strategy,
    targets,
    targetNames: names,
    counters,
    warnings: draft.warnings,
    errors: draft.errors,
  }
  if (verb) plan.adobeOnlyVerb = verb
  return plan
}
