import type { AdobeOnlyAction, PlanSection, PlanView, PlanViewCounts } from './plan-view.js'

/** Styles the renderer asks for; the caller decides whether they become colours (a TTY) or nothing. */
export type Style = 'bold' | 'green' | 'yellow' | 'red' | 'dim'
export type Paint = (style: Style, text: string) => string

/** No colour: the text as is. */
export const plain: Paint = (_style, text) => text

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`

/** The count lines, in order: label and value (Sign Sync plans in Sign's words). */
export function countRows(counts: PlanViewCounts, product?: PlanView['product']): Array<[string, number]> {
  if (product === 'sign')
    return [
      ['Users created (or reactivated)', counts.usersCreated],
      ['Group and role changes (added)', counts.membershipsAdded],
      ['Group and role changes (removed)', counts.membershipsRemoved],
      ['Sign-only users deactivated', counts.adobeOnlyRemoved],
      ['Sign-only users reset (Default Group, no admin role)', counts.adobeOnlyUngrouped],
      ['Sign groups created', counts.groupsCreated],
    ]
  return [
    ['Users created', counts.usersCreated],
    ['Users updated (attributes)', counts.usersUpdated],
    ['Group memberships added', counts.membershipsAdded],
    ['Group memberships removed', counts.membershipsRemoved],
    ['Adobe-only users removed from the organisation', counts.adobeOnlyRemoved],
    ['Adobe-only users deleted', counts.adobeOnlyDeleted],
    ['Adobe-only users removed from all groups', counts.adobeOnlyUngrouped],
    ['Adobe users excluded (left alone)', counts.adobeUsersExcluded],
    ['User groups created', counts.groupsCreated],
  ]
}

/**
 * The view's first line: whether anyone is removed, and how. E.g. `This plan REMOVES: 2 users from the
 * organisation, 1 account deleted, 3 group memberships` or `No removals: …`.
 */
export function headline(view: PlanView): string {
  const c = view.counts
  if (!view.hasRemovals) return 'No removals: nobody leaves the organisation or a group'
  const sign = view.product === 'sign'
  const parts = [
    c.adobeOnlyRemoved ? `${plural(c.adobeOnlyRemoved, 'user')} ${sign ? 'deactivated' : 'from the organisation'}` : '',
    c.adobeOnlyDeleted ? `${plural(c.adobeOnlyDeleted, 'account')} deleted` : '',
    c.adobeOnlyUngrouped
      ? `${plural(c.adobeOnlyUngrouped, 'user')} ${sign ? 'reset to the Default Group' : 'from all groups'}`
      : '',
    c.membershipsRemoved ? plural(c.membershipsRemoved, sign ? 'group or role change' : 'group membership') : '',
  ].filter(Boolean)
  return `This plan REMOVES: ${parts.join(', ')}`
}

const ACTION_TEXT: Record<AdobeOnlyAction, string> = {
  removed: 'removed from the organisation',
  deleted: 'account deleted',
  'removed from all groups': 'removed from all groups',
  'removed from mapped groups': 'removed from',
}

/** What happens to a Sign-only user, in Sign's words. */
const SIGN_ACTION_TEXT: Record<AdobeOnlyAction, string> = {
  removed: 'deactivated',
  deleted: 'deactivated',
  'removed from all groups': 'reset to the Default Group, admin roles removed',
  'removed from mapped groups': 'removed:',
}

const quoted = (value: string): string => JSON.stringify(value)

/** What the plan file is: shown under the headline. */
export interface PlanSource {
  file: string
  createdAt: string
  digest: string
}

/**
 * The plan as text for a person (pure): the headline, where it comes from, the counts, then each section
 * with its lines (only `only`'s when given). Colours come from `paint` (none by default).
 */
export function renderPlanView(view: PlanView, source: PlanSource, only?: PlanSection, paint: Paint = plain): string[] {
  const at = (target: string): string => (view.targets.length > 1 ? paint('dim', ` [${target}]`) : '')
  const lines: string[] = [
    paint(view.hasRemovals ? 'red' : 'green', headline(view)),
    paint(
      'dim',
      `Plan ${source.file}, made ${source.createdAt} (${view.strategy}), digest ${source.digest.slice(0, 12)}`,
    ),
    '',
    paint('bold', 'Counts'),
  ]
  const rows = countRows(view.counts, view.product)
  const width = Math.max(...rows.map(([label]) => label.length))
  for (const [label, value] of rows) lines.push(`  ${`${label}:`.padEnd(width + 1)} ${value}`)

  const section = (name: PlanSection, title: string, count: number, body: () => string[]): void => {
    if (only ? only !== name : count === 0) return
    lines.push('', paint('bold', `${title} (${count})`))
    lines.push(...(count === 0 ? ['  none'] : body()))
  }
  section('creates', 'Users created', view.creates.length, () =>
    view.creates.map((u) => {
      const name = [u.firstname, u.lastname].filter(Boolean).join(' ')
      const details = [view.product === 'sign' ? '' : u.identityType, name, u.country].filter(Boolean).join(', ')
      const groups = u.groups.length > 0 ? ` → ${u.groups.join(', ')}` : ''
      return `  ${paint('green', '+')} ${u.email}${at(u.target)}  ${details}${groups}`
    }),
  )
  section('updates', 'Users updated (attributes)', view.updates.length, () =>
    view.updates.map((u) => {
      const changes = u.changes.map(
        (c) => `${c.field}: ${c.from === undefined ? '?' : quoted(c.from)} → ${quoted(c.to)}`,
      )
      return `  ${paint('yellow', '~')} ${u.email}${at(u.target)}  ${changes.join('; ')}`
    }),
  )
  section('groups', 'Group memberships', view.groups.length, () =>
    view.groups.flatMap((g) => [
      `  ${g.group}${at(g.target)}  ${paint('dim', `+${g.added.length} −${g.removed.length}`)}`,
      ...g.added.map((email) => `    ${paint('green', '+')} ${email}`),
      ...g.removed.map((email) => `    ${paint('red', '−')} ${email}`),
    ]),
  )
  if (only === 'groups' || (!only && view.groupsCreated.length > 0)) {
    const title = view.product === 'sign' ? 'Sign groups created' : 'User groups created'
    lines.push('', paint('bold', `${title} (${view.groupsCreated.length})`))
    if (view.groupsCreated.length === 0) lines.push('  none')
    for (const g of view.groupsCreated) lines.push(`  ${paint('green', '+')} ${g.group}${at(g.target)}`)
  }
  const actions = view.product === 'sign' ? SIGN_ACTION_TEXT : ACTION_TEXT
  section('removals', view.product === 'sign' ? 'Sign-only users' : 'Adobe-only users', view.removals.length, () =>
    view.removals.map((r) => {
      const groups = r.groups ? ` ${r.groups.join(', ')}` : ''
      return `  ${paint('red', '−')} ${r.email}${at(r.target)}  ${actions[r.action]}${groups}`
    }),
  )
  if (view.limit) lines.push('', paint('red', `Safety limit: ${view.limit}`))
  if (view.errors.length > 0)
    lines.push('', paint('bold', `Errors (${view.errors.length})`), ...view.errors.map((e) => `  ${paint('red', e)}`))
  if (view.warnings.length > 0)
    lines.push('', paint('bold', `Warnings (${view.warnings.length})`), ...view.warnings.map((w) => `  ${w}`))
  return lines
}
