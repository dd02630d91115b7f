import { ROLE_GROUPS, type UserCommand } from '@ust-sync/api'
import type { SignGroupInfo } from '../sign-api.js'
import type { AccountUser } from '../snapshot/account-user.js'

/** What a user command asks for in Sign terms, from the user's live state. */
export interface WantedState {
  primaryGroupId: string
  primaryGroupName: string
  groupAdmin: boolean
  accountAdmin: boolean
}

/** The account's groups by lower-cased name, and its Default Group. */
export interface GroupIndex {
  byName: Map<string, SignGroupInfo>
  defaultGroup?: SignGroupInfo
}

export function indexGroups(groups: readonly SignGroupInfo[]): GroupIndex {
  const defaultGroup = groups.find((g) => g.isDefaultGroup)
  return {
    byName: new Map(groups.map((g) => [g.groupName.toLowerCase(), g])),
    ...(defaultGroup ? { defaultGroup } : {}),
  }
}

const ROLES = new Set<string>([ROLE_GROUPS.accountAdmin, ROLE_GROUPS.groupAdmin])

/**
 * Applies a command's group steps to the live state (Sign semantics of the generic steps):
 * `removeGroups: 'all'` resets the user (Default Group, no admin role); removing the primary group moves
 * the user to the Default Group; adding a group makes it the primary group; `_account_admin` and
 * `_group_admin` grant or remove those roles; anything not named keeps its live value. Returns a message
 * when a named group does not exist.
 */
export function wantedState(
  live: AccountUser | undefined,
  command: UserCommand,
  groups: GroupIndex,
): WantedState | string {
  const fallback = groups.defaultGroup
  if (!fallback) return 'the account has no Default Group (isDefaultGroup) to put users in'
  const state: WantedState = {
    primaryGroupId: live?.primaryGroupId ?? fallback.groupId,
    primaryGroupName: live?.primaryGroupName ?? fallback.groupName,
    groupAdmin: live?.groupAdmin ?? false,
    accountAdmin: live?.isAccountAdmin ?? false,
  }
  removeSteps(state, command.removeGroups, fallback)
  return addSteps(state, command.addGroups ?? [], groups)
}

/** `removeGroups`: `all` resets; the primary group's name moves the user to the Default Group; role groups clear. */
function removeSteps(state: WantedState, remove: UserCommand['removeGroups'], fallback: SignGroupInfo): void {
  const toDefault = () => {
    state.primaryGroupId = fallback.groupId
    state.primaryGroupName = fallback.groupName
  }
  if (remove === 'all') {
    toDefault()
    state.groupAdmin = false
    state.accountAdmin = false
    return
  }
  for (const name of remove ?? []) {
    if (name === ROLE_GROUPS.accountAdmin) state.accountAdmin = false
    else if (name === ROLE_GROUPS.groupAdmin) state.groupAdmin = false
    else if (name.toLowerCase() === state.primaryGroupName.toLowerCase()) toDefault()
  }
}

/** `addGroups`: a Sign group becomes the primary group; role groups grant the role. */
function addSteps(state: WantedState, add: readonly string[], groups: GroupIndex): WantedState | string {
  for (const name of add) {
    if (name === ROLE_GROUPS.accountAdmin) state.accountAdmin = true
    else if (name === ROLE_GROUPS.groupAdmin) state.groupAdmin = true
    else if (!ROLES.has(name)) {
      const group = groups.byName.get(name.toLowerCase())
      if (!group) return `no Sign group named "${name}"`
      state.primaryGroupId = group.groupId
      state.primaryGroupName = group.groupName
    }
  }
  return state
}
