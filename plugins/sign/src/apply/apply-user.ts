import { ROLE_GROUPS, type UserCommand } from '@ust-sync/api'
import { SignApiError } from '../http/sign-http.js'
import type { SignApi, SignUserDetail } from '../sign-api.js'
import { type AccountUser, accountUserOf } from '../snapshot/account-user.js'
import { type GroupIndex, wantedState } from './wanted-state.js'

/** Where a user command stands after it was applied. */
export interface UserOutcome {
  /** The user's id (new for a created user). */
  id?: string
  /** Writes sent for it. */
  writes: number
}

/** A user as Sign has it now, with the details as read (echoed by an account-admin change). */
type LiveUser = AccountUser & { detail: SignUserDetail }

/**
 * Reads the user as Sign has it now (details and groups): the plan may come from cached data. One read
 * of each per command, so a user never gets more identical GETs than Sign's polling threshold allows.
 */
async function liveUser(api: SignApi, id: string): Promise<LiveUser> {
  const detail = await api.user(id)
  return { ...accountUserOf(detail, await api.userGroups(id)), detail }
}

/**
 * Applies one user command against the live user: creates (or, for an inactive account, reactivates)
 * the user, sets account admin with `PUT /users/{id}` (the live details echoed, as UST does), the
 * primary group and group admin with one `PUT /users/{id}/groups` entry, and deactivates with
 * `PUT /users/{id}/state`. Only what differs from the live state is sent, so a command applied twice
 * (a rerun after a lost reply) changes nothing the second time.
 */
export async function applyUser(
  api: SignApi,
  command: UserCommand,
  known: AccountUser | undefined,
  groups: GroupIndex,
): Promise<UserOutcome> {
  let writes = 0
  let live = known ? await liveUser(api, known.id) : undefined
  if (command.create && !live) {
    const wanted = wantedState(undefined, command, groups)
    if (typeof wanted === 'string') throw new SignApiError(400, 'UST_UNKNOWN_GROUP', wanted)
    const id = await api.createUser({
      email: command.user.email,
      ...(command.create.firstname ? { firstName: command.create.firstname } : {}),
      ...(command.create.lastname ? { lastName: command.create.lastname } : {}),
      isAccountAdmin: wanted.accountAdmin,
      primaryGroupId: wanted.primaryGroupId,
    })
    writes++
    live = await liveUser(api, id)
  } else if (command.create && live?.status === 'INACTIVE') {
    await api.setState(live.id, 'ACTIVE', 'Activated by User Sync Tool')
    writes++
    live = { ...live, status: 'ACTIVE', detail: { ...live.detail, status: 'ACTIVE' } }
  }
  if (!live) throw new SignApiError(404, 'INVALID_USER_ID', `no Sign user ${command.user.email}`)
  if (command.removeFromOrg) {
    if (live.status !== 'INACTIVE') {
      await api.setState(live.id, 'INACTIVE', 'Deactivated by User Sync Tool')
      writes++
    }
    return { id: live.id, writes }
  }
  writes += await applyRoles(api, withConflictNames(command, known !== undefined), live, groups)
  return { id: live.id, writes }
}

/** A create of a user who exists, with `onConflict: 'update'`: the names it carries become an update. */
function withConflictNames(command: UserCommand, existed: boolean): UserCommand {
  if (!existed || command.create?.onConflict !== 'update') return command
  const { firstname, lastname } = command.create
  return {
    ...command,
    update: {
      ...(firstname !== undefined ? { firstname } : {}),
      ...(lastname !== undefined ? { lastname } : {}),
      ...command.update,
    },
  }
}

/** The name changes of an `update` step that the live user lacks (Sign keys users by email: no email change). */
function nameChanges(command: UserCommand, live: LiveUser): Record<string, string> {
  const update = command.update ?? {}
  if (update.email !== undefined || update.username !== undefined)
    throw new SignApiError(400, 'UST_UNSUPPORTED', 'Sign users are keyed by email: ust never changes an email')
  return {
    ...(update.firstname !== undefined && update.firstname !== (live.firstName ?? '')
      ? { firstName: update.firstname }
      : {}),
    ...(update.lastname !== undefined && update.lastname !== (live.lastName ?? '')
      ? { lastName: update.lastname }
      : {}),
  }
}

/**
 * Sends the name, account-admin and primary-group changes a command asks for and the live user lacks:
 * names and account admin in one `PUT /users/{id}` (the live details echoed), the primary group and group
 * admin in one `PUT /users/{id}/groups`.
 */
async function applyRoles(api: SignApi, command: UserCommand, live: LiveUser, groups: GroupIndex): Promise<number> {
  const names = nameChanges(command, live)
  if (!command.addGroups?.length && !command.removeGroups && Object.keys(names).length === 0) return 0
  const wanted = wantedState(live, command, groups)
  if (typeof wanted === 'string') throw new SignApiError(400, 'UST_UNKNOWN_GROUP', wanted)
  let writes = 0
  if (wanted.accountAdmin !== live.isAccountAdmin || Object.keys(names).length > 0) {
    await api.updateUser(live.id, { ...live.detail, ...names, isAccountAdmin: wanted.accountAdmin })
    writes++
  }
  if (wanted.primaryGroupId !== live.primaryGroupId || wanted.groupAdmin !== live.groupAdmin) {
    await api.putUserGroups(live.id, [
      {
        id: wanted.primaryGroupId,
        name: wanted.primaryGroupName,
        isGroupAdmin: wanted.groupAdmin,
        isPrimaryGroup: true,
        status: 'ACTIVE',
      },
    ])
    writes++
  }
  return writes
}

/** Role groups named by a command, for the test-mode check. */
export const isRoleGroup = (name: string): boolean =>
  name === ROLE_GROUPS.accountAdmin || name === ROLE_GROUPS.groupAdmin
