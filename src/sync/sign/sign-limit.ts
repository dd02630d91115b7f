import type { UstConfig } from '../../config/types.js'
import { withoutAdobeOnly } from '../limits.js'
import type { LimitDecision, Plan } from '../plan.types.js'

/**
 * `user_sync.sign_only_limit` over the whole plan, before anything is written: a count, or a percentage
 * of the Sign users read (all orgs). Checked for every action, `exclude` included, as in UST; when the
 * Sign-only users are more, their commands leave the plan (the rest stays) and the run exits 9 (UST
 * logged the same CRITICAL line and went on with exit 0).
 */
export function applySignLimit(plan: Plan, config: UstConfig): Plan {
  const limit = config.sign?.signOnlyLimit ?? { kind: 'count', value: 100 }
  const setting = limit.kind === 'percent' ? `${limit.value}%` : String(limit.value)
  const count = plan.sign?.signOnly ?? 0
  const max = limit.kind === 'percent' ? plan.counters.adobeUsersRead * (limit.value / 100) : limit.value
  const decision: LimitDecision = { checked: true, exceeded: count > max, count, max, setting }
  if (!decision.exceeded) return { ...plan, limit: decision }
  decision.message = `Unable to process Sign-only users, as their count (${count}) is larger than the max_adobe_only_users setting (${setting})`
  const limited = withoutAdobeOnly(plan, decision)
  return limited.sign ? { ...limited, sign: { ...limited.sign, deactivated: [], signOnlyNotes: [] } } : limited
}
