import type { DirectoryUser, IdentitySource, SourceSelection } from '@ust-sync/api'
import { attempt, messageOf, type Recorder } from './report.js'

const fold = (s: string) => s.toLowerCase()
const emails = (users: DirectoryUser[] | undefined) => new Set((users ?? []).map((u) => fold(u.email)))

/** A group the testkit assumes no directory has. */
export const ABSENT_GROUP = 'ust-testkit-no-such-group'
/** An attribute the testkit assumes no directory has. */
export const ABSENT_ATTRIBUTE = 'ustTestkitNoSuchAttribute'

/**
 * The selection modes beyond "every user": `groups` (members of a group seen in the full read, compared
 * with that read), a group the directory does not have (no users, not an error), `extendedAttributes`
 * (the names given are filled in; an unknown name is no error). Each rule says what the source returned
 * and what the contract wants.
 */
export async function checkSelectionModes(
  source: IdentitySource,
  everyone: DirectoryUser[],
  r: Recorder,
  errors: string[],
  extendedAttributes: string[] | undefined,
): Promise<void> {
  const read = async (selection: SourceSelection) => {
    const [result, error] = await attempt(() => source.read(selection))
    if (error) errors.push(messageOf(error))
    return [result, error ? [`read(${JSON.stringify(selection)}) threw: ${messageOf(error)}`] : []] as const
  }
  const member = everyone.find((u) => u.groups?.length)
  const group = member?.groups[0]
  if (group) {
    const [result, problems] = await read({ groups: [group], allUsers: false, extendedAttributes: [] })
    const got = emails(result?.users)
    const members = everyone.filter((u) => u.groups.some((g) => fold(g) === fold(group)))
    r.rule(`selection.groups: read() returns every member of the group asked ("${group}")`, [
      ...problems,
      ...members
        .filter((u) => !got.has(fold(u.email)))
        .map(
          (u) =>
            `it left out ${u.email}, whom reading every user lists in "${group}"; the contract wants every member (a user left out is a user ust removes)`,
        ),
    ])
  } else r.skip('selection.groups', 'no user read has a group')
  const [absent, absentProblems] = await read({ groups: [ABSENT_GROUP], allUsers: false, extendedAttributes: [] })
  r.rule('selection.groups: a group the directory does not have gives no users (a warning at most), not an error', [
    ...absentProblems,
    ...(absent?.users?.length
      ? [`it returned ${absent.users.length} users; the contract wants none (they are in no group asked)`]
      : []),
  ])
  const names = extendedAttributes?.length ? extendedAttributes : [ABSENT_ATTRIBUTE]
  const [extended, extendedProblems] = await read({ groups: [], allUsers: true, extendedAttributes: names })
  const problems = [...extendedProblems]
  if (extended) {
    const same = emails(extended.users)
    if (same.size !== everyone.length || everyone.some((u) => !same.has(fold(u.email))))
      problems.push(
        `it returned ${same.size} users instead of the ${everyone.length} of a plain read; the contract wants the same users`,
      )
    if (extendedAttributes?.length)
      for (const name of extendedAttributes)
        if (!extended.users.some((u) => u.attributes?.[name] !== undefined))
          problems.push(`no user has attributes["${name}"]; the contract wants each name asked under attributes`)
  }
  r.rule(
    extendedAttributes?.length
      ? 'selection.extendedAttributes: every attribute asked is in users[].attributes, under the name asked'
      : 'selection.extendedAttributes: an attribute the directory does not have is no error and changes no user',
    problems,
  )
}
