import {
  TargetError,
  type Logger,
  type SnapshotScope,
  type TargetGroup,
  type TargetSnapshot,
  type TargetUser,
} from '@ust-sync/api'
import type { UmapiSession } from '../umapi-session.js'
import { toTargetGroup, toTargetUser, type WireGroup, type WireUser } from './map-records.js'
import { readPages } from './read-pages.js'

/** Percent-encodes a group name for a path segment (space → %20, `/` kept like umapi-client). */
function groupSegment(name: string): string {
  return encodeURIComponent(name).replace(/%2F/gi, '/')
}

/** Reads every group of the org (`GET groups/{org}/{page}`). */
export async function readGroups(session: UmapiSession): Promise<TargetGroup[]> {
  const org = session.settings.orgId
  const items = await readPages(
    session,
    { kind: 'groups', path: (p) => `/groups/${org}/${p}`, what: 'groups page', itemsKey: 'groups' },
    { start: false, end: false },
  )
  if (!items)
    throw new TargetError(`UMAPI GET groups of org ${org}: not found (HTTP 404)`, {
      code: 'target.umapi.http-404',
      suggestions: ['Check enterprise.org_id.'],
    })
  return items.flatMap((g) => toTargetGroup(g as WireGroup) ?? [])
}

/**
 * Reads the org's current state (umapi.md §8.4): groups first when asked, then users — every user of the
 * org, or the members of each scope group — with `directOnly=true`, `Pragma: umapi-sync-start` on the
 * first users request and `umapi-sync-end` on the last page request. Users are de-duplicated by identity
 * type and email (a user in several scope groups is listed once; an Adobe ID and a Federated ID sharing an
 * email stay two users). A scope group UMAPI does not know is reported as a warning and read as empty.
 */
export async function readSnapshot(
  session: UmapiSession,
  scope: SnapshotScope,
  logger: Logger,
): Promise<TargetSnapshot> {
  const org = session.settings.orgId
  const snapshot: TargetSnapshot = { users: [] }
  if (scope.includeGroups) snapshot.groups = await readGroups(session)
  const raw: unknown[] = []
  if (scope.groups === undefined) {
    const items = await readPages(
      session,
      { kind: 'users', path: (p) => `/users/${org}/${p}?directOnly=true`, what: 'users page', itemsKey: 'users' },
      { start: true, end: true },
    )
    if (!items)
      throw new TargetError(`UMAPI GET users of org ${org}: not found (HTTP 404)`, {
        code: 'target.umapi.http-404',
        suggestions: ['Check enterprise.org_id.'],
      })
    // A loop, not push(...items): an org of a million users is past the argument limit.
    for (const item of items) raw.push(item)
  } else {
    const groups = scope.groups
    for (const [i, group] of groups.entries()) {
      const listing = {
        kind: 'usersInGroup' as const,
        path: (p: number) => `/users/${org}/${p}/${groupSegment(group)}?directOnly=true`,
        what: `users page of group "${group}"`,
        itemsKey: 'users',
      }
      const items = await readPages(session, listing, { start: i === 0, end: i === groups.length - 1 })
      if (items) for (const item of items) raw.push(item)
      else logger.warn(`Adobe group "${group}" does not exist in org ${org}; no users read from it`)
    }
  }
  const seen = new Set<string>()
  let skipped = 0
  for (const item of raw) {
    const user: TargetUser | undefined = toTargetUser(item as WireUser)
    if (!user) {
      skipped++
      continue
    }
    const key = `${user.identityType}\u0000${user.email.toLowerCase()}`
    if (seen.has(key)) continue
    seen.add(key)
    snapshot.users.push(user)
  }
  if (skipped > 0)
    logger.warn(`${skipped} Adobe user(s) of org ${org} have no email or an unknown identity type and were left out`)
  return snapshot
}
