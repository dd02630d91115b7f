import type { UstConfig } from '../config/types.js'
import type { SyncOptions } from './options.types.js'
import { managesAdobeOnly } from './plan-adobe-only.js'
import type { LimitDecision, Plan } from './plan.types.js'

/**
 * Checks `limits.max_adobe_only_users` on the whole plan, before anything is written (UST
 * `check_max_limit`): a count, or a percentage of (Adobe users read − excluded). `group_removals_only`
 * counts only Adobe-only users with mapped groups to remove. Applies only when Adobe-only users are
 * managed. When exceeded, Adobe-only handling is skipped — its commands leave the plan and its counter
 * is 0 — while every other change stays (UST since 2.6.6, #745); the decision carries UST's CRITICAL
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
