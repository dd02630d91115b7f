import type {
  CommandResult,
  CreateGroupCommand,
  PlannedCommand,
  SnapshotScope,
  TargetSnapshot,
  TargetUser,
  UserCommand,
} from '@ust-sync/api'
import type { SandboxOrg, SandboxUser } from './org-types.js'
import { findGroup, fold } from './user-lookup.js'
import { userSteps, type StepError } from './user-steps.js'

export type { SandboxGroup, SandboxGroupType, SandboxOrg, SandboxUser } from './org-types.js'

/** What {@link applyCommands} returns: the org after the commands and one result per command, in order. */
export interface ApplyOutcome {
  org: SandboxOrg
  results: CommandResult[]
}

/**
 * Applies planned commands to a sandbox org with UMAPI's semantics, without touching the input.
 *
 * Commands run in the given order. A user command runs its steps in UMAPI's order (create, update,
 * removeGroups, addGroups, removeFromOrg); the first failing step fails the command and the later steps do
 * not run, while the steps before it stay applied, as UMAPI does. See `userSteps` for each step's rules.
 * `createGroup` creates a user group; one that exists already (any type, any letter case) is left alone
 * and reported done; a name starting with `_` is refused (reserved for admin roles).
 *
 * With `testOnly`, the commands are checked against a scratch copy (so a create followed by group changes
 * of the same user validates), the results say what would succeed, and the returned org is the input.
 * This is stricter than UMAPI's test mode, which accepts any step on a user it does not know.
 */
export function applyCommands(
  org: SandboxOrg,
  commands: PlannedCommand[],
  options: { testOnly: boolean },
): ApplyOutcome {
  const working = structuredClone(org)
  const results = commands.map((command): CommandResult => {
    const errors = command.kind === 'user' ? runUserCommand(working, command) : runCreateGroup(working, command)
    return errors.length
      ? { commandId: command.id, status: 'failed', errors }
      : { commandId: command.id, status: 'done' }
  })
  return { org: options.testOnly ? org : working, results }
}

function runUserCommand(org: SandboxOrg, command: UserCommand): StepError[] {
  const { user, create, update, removeGroups, addGroups, removeFromOrg } = command
  const steps = [
    create && (() => userSteps.create(org, user, create)),
    update && (() => userSteps.update(org, user, update)),
    removeGroups && (() => userSteps.removeGroups(org, user, removeGroups)),
    addGroups && (() => userSteps.addGroups(org, user, addGroups)),
    removeFromOrg && (() => userSteps.removeFromOrg(org, user)),
  ]
  for (const step of steps) {
    const errors = step ? step() : []
    if (errors.length) return errors
  }
  return []
}

function runCreateGroup(org: SandboxOrg, command: CreateGroupCommand): StepError[] {
  if (command.name.startsWith('_') || command.name.length > 255 || !command.name.trim()) {
    return [
      {
        code: 'error.group.invalid_name',
        message: `Invalid user group name "${command.name}": it must not start with _ and be at most 255 characters`,
      },
    ]
  }
  if (!findGroup(org, command.name))
    org.groups.push({ name: command.name, type: 'userGroup', description: command.description })
  return []
}

/**
 * The target snapshot of a sandbox org: its users (only those in one of `scope.groups`, compared
 * case-insensitively, when given) and, when `scope.includeGroups`, its groups with member counts.
 */
export function snapshotOf(org: SandboxOrg, scope: SnapshotScope): TargetSnapshot {
  const wanted = scope.groups && new Set(scope.groups.map(fold))
  const users = org.users
    .filter((user) => !wanted || user.groups.some((name) => wanted.has(fold(name))))
    .map(toTargetUser)
  if (!scope.includeGroups) return { users }
  const groups = org.groups.map((group) => ({
    name: group.name,
    type: group.type,
    memberCount: org.users.filter((user) => user.groups.some((name) => fold(name) === fold(group.name))).length,
  }))
  return { users, groups }
}

function toTargetUser(user: SandboxUser): TargetUser {
  return {
    identityType: user.identityType,
    email: user.email,
    username: user.username,
    domain: user.domain,
    ...(user.firstname === undefined ? {} : { firstname: user.firstname }),
    ...(user.lastname === undefined ? {} : { lastname: user.lastname }),
    ...(user.country === undefined ? {} : { country: user.country }),
    groups: [...user.groups],
  }
}
