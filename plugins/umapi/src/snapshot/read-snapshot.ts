import {
  TargetError,
  type IdentityType,
  type Logger,
  type SnapshotScope,
  type TargetGroup,
  type TargetSnapshot,
  type TargetUser,
} from '@ust-sync/api'
import type { UmapiSession } from '../umapi-session.js'
import { interner, toTargetGroup, toTargetUser, type WireGroup, type WireUser } from './map-records.js'
import { readPages } from './read-pages.js'

/** Percent-encodes a group name for a path segment (space → %20, `/` kept like umapi-client). */
function groupSegment(name: string): string {
  return encodeURIComponent(name).replace(/%2F/gi, '/')
}

/** Reads every group of the org (`GET groups/{org}/{page}`). */
export async function readGroups(session: UmapiSession): Promise<TargetGroup[]> {
  const org = session.settings.orgId
  const groups: TargetGroup[] = []
  const found = await readPages(
    session,
    { kind: 'groups', path: (p) => `/groups/${org}/${p}`, what: 'groups page', itemsKey: 'groups' },
    { start: false, end: false },
    (items) => {
      for (const item of items) {
        const group = toTargetGroup(item as WireGroup)
        if (group) groups.push(group)
      }
    },
  )
  if (!found)
    throw new TargetError(`UMAPI GET groups of org ${org}: not found (HTTP 404)`, {
      code: 'target.umapi.http-404',
      suggestions: ['Check enterprise.org_id.'],
    })
  return groups
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
  // Each page is mapped to compact records as it arrives (the wire objects are not kept), de-duplicated
  // as the whole listing would be: the first occurrence of an identity wins.
  // Lower-cased emails seen, per identity type (no key string built per user).
  const seen: Record<IdentityType, Set<string>> = {
    adobeID: new Set(),
    enterpriseID: new Set(),
    federatedID: new Set(),
  }
  const intern = interner()
  let skipped = 0
  const keep = (items: unknown[]): void => {
    for (const item of items) {
      const user: TargetUser | undefined = toTargetUser(item as WireUser, intern)
      if (!user) {
        skipped++
        continue
      }
      const emails = seen[user.identityType]
      const key = user.email.toLowerCase()
      if (emails.has(key)) continue
      emails.add(key)
      snapshot.users.push(user)
    }
  }
  if (scope.groups === undefined) {
    const found = await readPages(
      session,
      { kind: 'users', path: (p) => `/users/${org}/${p}?directOnly=true`, what: 'users page', itemsKey: 'users' },
      { start: true, end: true },
      keep,
    )
    if (!found)
      throw new TargetError(`UMAPI GET users of org ${org}: not found (HTTP 404)`, {
        code: 'target.umapi.http-404',
        suggestions: ['Check enterprise.org_id.'],
      })
  } else {
    const groups = scope.groups
    for (const [i, group] of groups.entries()) {
      const listing = {
        kind: 'usersInGroup' as const,
        path: (p: number) => `/users/${org}/${p}/${groupSegment(group)}?directOnly=true`,
        what: `users page of group "${group}"`,
        itemsKey: 'users',
      }
      const found = await readPages(session, listing, { start: i === 0, end: i === groups.length - 1 }, keep)
      if (!found) logger.warn(`Adobe group "${group}" does not exist in org ${org}; no users read from it`)
    }
  }
  if (skipped > 0)
    logger.warn(`${skipped} Adobe user(s) of org ${org} have no email or an unknown identity type and were left out`)
  return snapshot
}
