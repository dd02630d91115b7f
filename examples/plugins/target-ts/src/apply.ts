import type { CommandResult, PlannedCommand, UserCommand } from '@ust-sync/api'
import type { ScimFile } from './scim-file.js'

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()

/**
 * Applies commands to the file's data in order. Group names in commands are lower-cased by ust: they
 * are matched to the file's spelling ignoring case. Each command gets exactly one result; a command
 * that cannot be done fails alone, the others go on.
 */
export function applyCommands(data: ScimFile, commands: PlannedCommand[]): CommandResult[] {
  return commands.map((command) => {
    const error = command.kind === 'createGroup' ? createGroup(data, command.name) : applyUser(data, command)
    return error
      ? { commandId: command.id, status: 'failed', errors: [error] }
      : { commandId: command.id, status: 'done' }
  })
}

function createGroup(data: ScimFile, name: string): undefined {
  if (!data.groups.some((g) => same(g, name))) data.groups.push(name)
  return undefined
}

function applyUser(data: ScimFile, command: UserCommand): { code: string; message: string } | undefined {
  const email = command.user.email
  let user = data.users.find((u) => same(u.userName, email))
  if (!user) {
    // Removing a user who is not there is done already (idempotent: ust may re-run a plan after a crash).
    if (!command.create && command.removeFromOrg) return undefined
    if (!command.create) return { code: 'user.not-found', message: `no user ${email}` }
    user = { userName: email, groups: [] }
    if (command.create.firstname) user.givenName = command.create.firstname
    if (command.create.lastname) user.familyName = command.create.lastname
    if (command.create.country) user.country = command.create.country
    data.users.push(user)
  } else if (command.create?.onConflict === 'update') {
    if (command.create.firstname) user.givenName = command.create.firstname
    if (command.create.lastname) user.familyName = command.create.lastname
  }
  if (command.update) {
    if (command.update.email) user.userName = command.update.email
    if (command.update.firstname !== undefined) user.givenName = command.update.firstname
    if (command.update.lastname !== undefined) user.familyName = command.update.lastname
  }
  const remove = command.removeGroups
  if (remove === 'all') user.groups = []
  else if (remove) user.groups = user.groups.filter((g) => !remove.some((r) => same(r, g)))
  for (const wanted of command.addGroups ?? []) {
    const group = data.groups.find((g) => same(g, wanted))
    if (!group) return { code: 'group.not-found', message: `no group "${wanted}"` }
    if (!user.groups.some((g) => same(g, group))) user.groups.push(group)
  }
  // A SCIM service has one organisation: removing from the org deletes the account (deleteAccount or not).
  if (command.removeFromOrg) data.users = data.users.filter((u) => u !== user)
  return undefined
}
