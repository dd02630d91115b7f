import type { CommandResult, TargetSnapshot, TargetUser } from '@ust-sync/api'

/** What the script expects of one user it addresses: absent (`null`), or present with these names and groups. */
export type ExpectedUser = null | { firstname: string; lastname: string; groups: string[] }

const fold = (s: string) => s.toLowerCase()
const list = (groups: Iterable<string>) => JSON.stringify([...groups].map(fold).sort())

/** A change a step makes to what is expected of a user: gone (`null`), or these fields (the others stay). */
export type ExpectedChange = null | Partial<NonNullable<ExpectedUser>>

/** What is expected after `change`: a partial change of a user expected gone keeps it gone. */
export function changed(previous: ExpectedUser | undefined, change: ExpectedChange): ExpectedUser {
  if (change === null) return null
  const merged = { ...previous, ...change }
  return merged.firstname !== undefined && merged.lastname !== undefined && merged.groups !== undefined
    ? { firstname: merged.firstname, lastname: merged.lastname, groups: merged.groups.map(fold) }
    : null
}

/**
 * What the target actually did to a user, as the next expectation, so a failed step is reported once and
 * not again by every later step. Names the target does not report stay as expected.
 */
export function adopted(snapshot: TargetSnapshot, email: string, previous: ExpectedUser | undefined): ExpectedUser {
  const user = userIn(snapshot, email)
  if (!user) return null
  const hasNames = user.firstname !== undefined || user.lastname !== undefined
  return {
    firstname: hasNames ? (user.firstname ?? '') : (previous?.firstname ?? ''),
    lastname: hasNames ? (user.lastname ?? '') : (previous?.lastname ?? ''),
    groups: user.groups.map(fold),
  }
}

/** The snapshot's user with this email (ignoring case), if any. */
export function userIn(snapshot: TargetSnapshot | undefined, email: string): TargetUser | undefined {
  return snapshot?.users?.find((u) => fold(u.email) === fold(email))
}

/**
 * Problems: where the snapshot differs from what the script expects of the users a step addressed
 * (`addressed`, lower-cased emails: an earlier step's failure is not reported again), each saying what the
 * target did and what the contract wants. Names are compared only when the target reports names at all (a
 * target may keep none).
 */
export function stateProblems(
  snapshot: TargetSnapshot | undefined,
  expected: Map<string, ExpectedUser>,
  addressed: ReadonlySet<string>,
): string[] {
  const problems: string[] = []
  for (const [email, want] of expected) {
    if (!addressed.has(fold(email))) continue
    const user = userIn(snapshot, email)
    if (want === null) {
      if (user) problems.push(`snapshot() still lists ${email}; the contract wants it gone`)
      continue
    }
    if (!user) {
      problems.push(`snapshot() does not list ${email}; the contract wants it there`)
      continue
    }
    if (list(user.groups) !== list(want.groups))
      problems.push(`snapshot() lists ${email} in groups ${list(user.groups)}; the contract wants ${list(want.groups)}`)
    const hasNames = user.firstname !== undefined || user.lastname !== undefined
    if (hasNames && (user.firstname !== want.firstname || user.lastname !== want.lastname))
      problems.push(
        `snapshot() names ${email} "${user.firstname ?? ''} ${user.lastname ?? ''}"; the contract wants "${want.firstname} ${want.lastname}"`,
      )
  }
  return problems
}

/** Problems: results that are not `done`, each with what the target reported. */
export function notDone(results: CommandResult[] | undefined, wants = 'the contract wants done'): string[] {
  return (results ?? [])
    .filter((x) => x?.status !== 'done')
    .map(
      (x) =>
        `apply() reported ${x?.commandId} ${x?.status}${x?.errors?.length ? ` (${x.errors.map((e) => `${e.code}: ${e.message}`).join('; ')})` : ''}; ${wants}`,
    )
}

/** The users of a snapshot, normalised (emails and groups lower-cased, sorted), as comparable JSON. */
export function normal(snapshot: TargetSnapshot | undefined, except: (email: string) => boolean = () => false): string {
  return JSON.stringify(
    (snapshot?.users ?? [])
      .filter((u) => !except(u.email))
      .map((u) => ({ ...u, email: fold(u.email), groups: [...u.groups].map(fold).sort() }))
      .sort((a, b) => a.email.localeCompare(b.email)),
  )
}
