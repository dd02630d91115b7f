import type { ExecutionReport } from '../execution.types.js'
import type { Plan } from '../plan.types.js'

/** The numbers of UST's Sign Sync action summary. */
export interface SignSummaryCounts {
  directoryUsersRead: number
  directoryUsersSelected: number
  directoryUsersExcluded: number
  signUsersRead: number
  signOnly: number
  usersUpdated: number
  groupsUpdated: number
  rolesUpdated: number
  created: number
  deactivated: number
}

/** Emails of users whose create (or deactivation) command failed: not counted, as in UST. */
function failedEmails(plan: Plan, report: ExecutionReport | undefined, kind: 'create' | 'removeFromOrg'): Set<string> {
  const failed = new Set<string>()
  for (const target of report?.targets ?? []) {
    const commands = new Map(plan.targets.find((t) => t.target === target.target)?.commands.map((c) => [c.id, c]))
    for (const r of target.results) {
      const c = commands.get(r.commandId)
      if (r.status !== 'done' && c?.kind === 'user' && c[kind]) failed.add(c.user.email)
    }
  }
  return failed
}

/** The Sign summary's numbers from the plan and, when it ran, what failed. */
export function signCounts(plan: Plan, report: ExecutionReport | undefined): SignSummaryCounts {
  const s = plan.sign ?? {
    excluded: [],
    created: [],
    groupsUpdated: [],
    rolesUpdated: [],
    deactivated: [],
    signOnly: 0,
  }
  const notCreated = failedEmails(plan, report, 'create')
  const notDeactivated = failedEmails(plan, report, 'removeFromOrg')
  const read = plan.counters.directoryUsersRead
  return {
    directoryUsersRead: read,
    directoryUsersSelected: read - s.excluded.length,
    directoryUsersExcluded: s.excluded.length,
    signUsersRead: plan.counters.adobeUsersRead,
    signOnly: s.signOnly,
    usersUpdated: new Set([...s.groupsUpdated, ...s.rolesUpdated]).size,
    groupsUpdated: s.groupsUpdated.length,
    rolesUpdated: s.rolesUpdated.length,
    created: s.created.filter((e) => !notCreated.has(e)).length,
    deactivated: plan.limit?.exceeded ? 0 : s.deactivated.filter((e) => !notDeactivated.has(e)).length,
  }
}

/**
 * UST's Sign Sync action summary, line for line (its wording kept, "directory selected for input"
 * included): 27 dashes around ` Action Summary `, labels right-aligned; no footer, no test-mode header.
 */
export function signSummaryLines(c: SignSummaryCounts): string[] {
  const rows: [string, number][] = [
    ['Number of directory users read', c.directoryUsersRead],
    ['Number of directory selected for input', c.directoryUsersSelected],
    ['Number of directory users excluded', c.directoryUsersExcluded],
    ['Number of Sign users read', c.signUsersRead],
    ['Number of Sign users not in directory (sign-only)', c.signOnly],
    ['Number of Sign users updated', c.usersUpdated],
    ['Number of users with groups updated', c.groupsUpdated],
    ['Number of users admin roles updated', c.rolesUpdated],
    ['Number of Sign users created', c.created],
    ['Number of Sign users deactivated', c.deactivated],
  ]
  const pad = Math.max(...rows.map(([d]) => d.length))
  return [
    `${'-'.repeat(27)}------- Action Summary -------${'-'.repeat(27)}`,
    ...rows.map(([d, v]) => `  ${d.padStart(pad)}: ${v}`),
  ]
}
