import type { UstConfig } from '../config/types.js'
import type { SyncOptions } from './options.types.js'
import { managesAdobeOnly } from './plan-adobe-only.js'
import type { LimitDecision, Plan } from './plan.types.js'

/**
 * Checks `limits.max_adobe_only_users` on the whole plan, before anything is written (UST
 * `check_max_limit`): a count, or a percentage of (Adobe users read − excluded). `group_removals_only`
 * counts only Adobe-only users with mapped groups to remove. Applies only when Adobe-only users are
 * managed. When exceeded, Adobe-only handling is skipped — its commands leave the plan and its counter
 * is 0 — while every other change stays (UST since 2.6.6); the decision carries UST's CRITICAL
 * message. Returns a new plan; the input is not changed.
 */
export function applyLimits(plan: Plan, config: UstConfig, options: SyncOptions): Plan {
  const limit = config.limits.maxAdobeOnlyUsers
  const setting = limit.kind === 'percent' ? `${limit.value}%` : String(limit.value)
  const checked =
    plan.strategy === 'sync' && options.adobeOnlyUserAction.kind !== 'exclude' && managesAdobeOnly(options)
  const count = config.limits.groupRemovalsOnly ? plan.counters.adobeOnlyWithGroups : plan.counters.adobeOnlyFound
  const max =
    limit.kind === 'percent'
      ? Math.trunc(plan.counters.adobeUsersRead - plan.counters.adobeUsersExcluded) * (limit.value / 100)
      : limit.value
  const exceeded = checked && count > max
  const decision: LimitDecision = { checked, exceeded, count, max, setting }
  if (!exceeded) return { ...plan, limit: decision }
  decision.message = `Unable to process Adobe-only users, as their count (${count}) is larger than the max_adobe_only_users setting (${setting})`
  return withoutAdobeOnly(plan, decision)
}

/** The plan with its Adobe-only commands dropped, under the decision that dropped them. */
export function withoutAdobeOnly(plan: Plan, decision: LimitDecision): Plan {
  return {
    ...plan,
    limit: decision,
    counters: { ...plan.counters, adobeOnlyProcessed: 0 },
    targets: plan.targets.map((t) => {
      const dropped = new Set(t.adobeOnly)
      return { ...t, commands: t.commands.filter((c) => !dropped.has(c.id)), adobeOnly: [] }
    }),
  }
}

/** A directory read smaller than this fraction of the last successful read is a sudden drop. */
export const DIRECTORY_DROP_THRESHOLD = 0.5

/** What the Adobe-only action does to a user, for messages. */
const ACTED: Record<string, string> = {
  remove: 'removed from the org',
  delete: 'deleted',
  'remove-adobe-groups': 'removed from their groups',
}

/**
 * No silent mass removal: when Adobe-only users would be acted on but the directory returned no users, or
 * fewer than half of those of the last successful run against the same directory and org (`lastSelected`),
 * or — with no such run yet — more than `firstRunPercent` of the org's users would be acted on, the
 * Adobe-only commands are skipped exactly as when `max_adobe_only_users` is exceeded (CRITICAL message,
 * exit 9), unless `options.allowDirectoryDrop` (`--allow-directory-drop`) says the drop is intended.
 * Returns a new plan; the input is not changed.
 */
export function guardDirectoryDrop(
  plan: Plan,
  options: SyncOptions,
  lastSelected: number | undefined,
  firstRunPercent: number,
): Plan {
  if (plan.limit?.exceeded || options.allowDirectoryDrop || options.adobeOnlyUserList) return plan
  const actedOn = plan.targets.reduce((n, t) => n + t.adobeOnly.length, 0)
  if (actedOn === 0) return plan
  const selected = plan.counters.directoryUsersSelected
  const empty = selected === 0
  const dropped = lastSelected !== undefined && selected < lastSelected * DIRECTORY_DROP_THRESHOLD
  if (!empty && !dropped) return lastSelected === undefined ? guardFirstRun(plan, options, firstRunPercent) : plan
  const before = lastSelected === undefined ? '' : ` (${lastSelected} at the last successful run)`
  const message = `Unable to process Adobe-only users: the directory returned ${selected} users${before}, so ${plan.counters.adobeOnlyFound} Adobe users look Adobe-only; if the directory really shrank, run again with --allow-directory-drop`
  const decision: LimitDecision = {
    kind: 'directory_drop',
    checked: true,
    exceeded: true,
    count: selected,
    max: lastSelected ?? 0,
    setting: `${DIRECTORY_DROP_THRESHOLD * 100}% of the last read`,
    message,
  }
  return withoutAdobeOnly(plan, decision)
}

/**
 * The first run against a directory and org (no baseline): compared with the org itself. More of the
 * primary org's users acted on than `percent` of those read is treated like the limit.
 */
function guardFirstRun(plan: Plan, options: SyncOptions, percent: number): Plan {
  const primary = plan.targets.find((t) => t.target === 'primary')
  const actedOn = primary?.adobeOnly.length ?? 0
  const orgSize = plan.counters.adobeUsersRead
  if (actedOn * 100 <= percent * orgSize) return plan
  const share = orgSize === 0 ? 100 : Math.round((actedOn * 100) / orgSize)
  const acted = ACTED[options.adobeOnlyUserAction.kind] ?? 'acted on'
  const message = `Unable to process Adobe-only users: this is the first run against this directory and org (no earlier run to compare with), and ${actedOn} of the org's ${orgSize} users (${share}%) would be ${acted}, more than limits.first_run_removal_percent (${percent}%); check the directory selection, and if that is intended run again with --allow-directory-drop`
  const decision: LimitDecision = {
    kind: 'first_run',
    checked: true,
    exceeded: true,
    count: actedOn,
    max: Math.trunc((orgSize * percent) / 100),
    setting: `${percent}% of the org (limits.first_run_removal_percent)`,
    message,
  }
  return withoutAdobeOnly(plan, decision)
}
