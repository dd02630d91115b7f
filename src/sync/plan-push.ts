import type { UstConfig } from '../config/types.js'
import type { SyncOptions } from './options.types.js'
import { addUserCommand, type PlanDraft } from './plan-draft.js'
import { compileExclusions, createStep, isExcluded, refOfDesired } from './plan-rules.js'
import type { DesiredState, DesiredUser } from './plan.types.js'

/**
 * The push strategy (UST `--strategy push`): no Adobe users are read. Every selected directory user is
 * created in the primary (ignore, or update names when `--update-user-info`, if the user exists) and, in
 * each secondary, when it has mapped groups there; with `--process-groups` every mapped group the user
 * should not have is removed and the desired ones added. No Adobe-only handling, no group creation.
 * Users matching `exclude_identity_types`/`exclude_users` are not pushed (an excluded user is never touched).
 */
export function planPush(draft: PlanDraft, desired: DesiredState, config: UstConfig, options: SyncOptions): void {
  const exclusions = compileExclusions(config)
  const targets = config.adobeUsers.targets.map((t) => t.name)
  for (const user of desired.users) {
    if (isExcluded({ identityType: user.identityType, username: user.username }, exclusions, false)) continue
    for (const target of targets) pushUser(draft, desired, config, options, user, target)
  }
}

/** The create command of `user` in `target`, with its group changes under `--process-groups`. */
function pushUser(
  draft: PlanDraft,
  desired: DesiredState,
  config: UstConfig,
  options: SyncOptions,
  user: DesiredUser,
  target: string,
): void {
  const primary = target === 'primary'
  const groups = user.groups.get(target) ?? []
  if (primary ? options.excludeUnmappedUsers && groups.length === 0 : groups.length === 0) return
  const create = createStep(user, config, primary && options.updateUserInfo ? 'update' : 'ignore', draft)
  if (!create) return
  const remove = options.processGroups
    ? [...(desired.mappedGroups.get(target)?.keys() ?? [])].filter((g) => !groups.includes(g))
    : []
  addUserCommand(draft, target, {
    user: refOfDesired(user),
    create,
    ...(remove.length > 0 ? { removeGroups: remove } : {}),
    ...(options.processGroups && groups.length > 0 ? { addGroups: [...groups] } : {}),
  })
  if (primary) draft.counters.usersCreated++
  else draft.secondaryCreatedKeys.add(user.key)
}
