import type { PlannedCommand } from '@ust-sync/api'

const quoted = (value: string): string => JSON.stringify(value)
const list = (names: readonly string[]): string => `[${names.map(quoted).join(', ')}]`

/** Who or what a command is about, for messages and plan comparison: `user x@y`, `group 'Design'`. */
export function subjectOf(command: PlannedCommand): string {
  if (command.kind === 'createGroup') return `group '${command.name}'`
  const { email, username, domain } = command.user
  const named = username && username.toLowerCase() !== email.toLowerCase() ? ` (${username} in ${domain})` : ''
  return `user ${email.toLowerCase() || `${username} in ${domain}`}${email ? named : ''}`
}

/**
 * A command in words, every field included (ids aside), in a fixed order: the same command always gives
 * the same text. E.g. `federatedID: create (firstname "Ann", country "US"; ignore if it exists), add groups ["design"]`.
 */
export function describeCommand(command: PlannedCommand): string {
  if (command.kind === 'createGroup')
    return `create user group ${quoted(command.name)} (description ${quoted(command.description)})`
  const { user, create, update, removeGroups, addGroups, removeFromOrg } = command
  const parts: string[] = []
  if (create) {
    const fields = (['firstname', 'lastname', 'country'] as const)
      .filter((key) => create[key] !== undefined)
      .map((key) => `${key} ${quoted(create[key] as string)}`)
    parts.push(`create (${[...fields, `${create.onConflict} if it exists`].join(', ')})`)
  }
  if (update) {
    const fields = (['email', 'username', 'firstname', 'lastname'] as const)
      .filter((key) => update[key] !== undefined)
      .map((key) => `${key} ${quoted(update[key] as string)}`)
    parts.push(`update (${fields.join(', ')})`)
  }
  if (removeGroups) parts.push(`remove groups ${removeGroups === 'all' ? 'all' : list(removeGroups)}`)
  if (addGroups) parts.push(`add groups ${list(addGroups)}`)
  if (removeFromOrg) parts.push(removeFromOrg.deleteAccount ? 'delete account' : 'remove from org')
  const address = `${user.identityType} ${quoted(user.username)} in ${quoted(user.domain)} <${user.email}>`
  return `${address}: ${parts.join(', ') || 'nothing'}`
}
