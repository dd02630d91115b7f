import type { ApplyContext } from './action-apply-user.js'
import { StepError, type CreateUserGroupStep, type MembershipStep, type ValidEntry } from './action-steps.js'
import type { FakeGroup, FakeUser } from './org-state.js'

type GroupEntry = Extract<ValidEntry, { kind: 'usergroup' }>

/**
 * Runs the steps of a usergroup entry in order, throwing {@link StepError} at the first failing step
 * (earlier steps stay applied). The root must name a USER_GROUP (case-insensitive) except for
 * `createUserGroup`. Test mode runs against a clone: a missing group or user is not an error,
 * profile names are still checked, and a group created in test mode is visible to later entries.
 */
export function applyGroupEntry(ctx: ApplyContext, entry: GroupEntry): void {
  const found = ctx.org.findGroup(entry.root)
  let group = found?.type === 'USER_GROUP' ? found : undefined
  entry.steps.forEach((step, index) => {
    switch (step.name) {
      case 'createUserGroup':
        group = create(ctx, entry.root, step, index)
        break
      case 'updateUserGroup': {
        const g = requireGroup(ctx, group, entry.root, index)
        if (!g) break
        if (g.readOnly)
          throw new StepError(
            'error.usergroup.readonly.update_not_allowed',
            `User group ${g.groupName} is read-only in this organization`,
            index,
          )
        if (step.groupName !== undefined) {
          const clash = ctx.org.findGroup(step.groupName)
          if (clash && clash !== g)
            throw new StepError('error.usergroup.already_exists', `Group ${step.groupName} already exists`, index)
          ctx.org.renameGroup(g, step.groupName)
        }
        if (step.description !== undefined) g.description = step.description
        break
      }
      case 'deleteUserGroup': {
        const g = requireGroup(ctx, group, entry.root, index)
        if (!g) break
        if (g.readOnly)
          throw new StepError(
            'error.usergroup.readonly.remove_not_allowed',
            `User group ${g.groupName} is read-only in this organization`,
            index,
          )
        ctx.org.removeGroup(g)
        group = undefined
        break
      }
      case 'add':
      case 'remove':
        membership(ctx, requireGroup(ctx, group, entry.root, index), step, index)
        break
    }
  })
}

function requireGroup(
  ctx: ApplyContext,
  group: FakeGroup | undefined,
  root: string,
  index: number,
): FakeGroup | undefined {
  if (!group && !ctx.testOnly)
    throw new StepError('error.usergroup.not_found', `User group ${root} was not found`, index)
  return group
}

function create(ctx: ApplyContext, root: string, step: CreateUserGroupStep, index: number): FakeGroup {
  const name = step.groupName ?? root
  if (name.startsWith('_') || name.trim() === '') {
    throw new StepError(
      'error.group.invalid_name',
      `Invalid user group name "${name}": must be non-empty and must not start with "_"`,
      index,
    )
  }
  const existing = ctx.org.findGroup(name)
  if (!existing)
    return ctx.org.addGroup(name, 'USER_GROUP', step.description === undefined ? {} : { description: step.description })
  if (existing.type !== 'USER_GROUP' || (step.option === undefined && !ctx.testOnly)) {
    throw new StepError('error.usergroup.already_exists', `Group ${existing.groupName} already exists`, index)
  }
  if (step.option === 'updateIfAlreadyExists' && step.description !== undefined) existing.description = step.description
  return existing
}

/** Resolves every user and profile first (a step with one bad name changes nothing), then applies. */
function membership(ctx: ApplyContext, group: FakeGroup | undefined, step: MembershipStep, index: number): void {
  const org = ctx.org
  if (group?.readOnly && step.users.length > 0) {
    const code =
      step.name === 'add'
        ? 'error.usergroup.readonly.add_user_not_allowed'
        : 'error.usergroup.readonly.remove_user_not_allowed'
    throw new StepError(code, `User group ${group.groupName} is read-only in this organization`, index)
  }
  const profiles = step.profiles.map((n) => {
    const p = org.findGroup(n)
    if (p?.type !== 'PRODUCT_PROFILE') throw new StepError('error.group.not_found', `Group ${n} was not found`, index)
    return p
  })
  const users = step.users.map((n) => org.findUser(n))
  const missing = step.users.find((_, i) => !users[i])
  if (missing !== undefined && !ctx.testOnly)
    throw new StepError('error.user.not_found', `User ${missing} was not found in the organization`, index)
  if (!group || ctx.testOnly) return
  for (const u of users as FakeUser[]) {
    if (step.name === 'add') group.members.add(u.id)
    else group.members.delete(u.id)
  }
  for (const p of profiles) {
    if (step.name === 'add') group.profiles.add(p.groupId)
    else group.profiles.delete(p.groupId)
  }
}
