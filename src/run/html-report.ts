import { createHash } from 'node:crypto'
import type { PlanView } from '../sync/plan-view.js'
import { countRows, headline } from '../sync/render-plan-view.js'
import type { SyncFailure, SyncResult } from '../sync/summary.js'

/** Everything the HTML report shows: the run's result, the plan's view and where they come from. */
export interface ReportInput {
  result: SyncResult
  view: PlanView
  mode: string
  ustVersion: string
  generatedAt: string
  /** sha256 of the config files and options. */
  configDigest: string
  planDigest?: string
}

/** Text made safe for HTML content and attribute values (double-quoted). */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** One row of the change table. */
interface ChangeRow {
  action: string
  target: string
  subject: string
  detail: string
  status: string
}

function changeRows(view: PlanView, failures: readonly SyncFailure[], executed: boolean): ChangeRow[] {
  const failed = new Set(failures.map((f) => `${f.target}\0${f.subject.toLowerCase()}`))
  const status = (target: string, subject: string): string =>
    failed.has(`${target}\0${subject.toLowerCase()}`) ? 'failed' : executed ? 'done' : 'planned'
  const rows: ChangeRow[] = []
  const add = (action: string, target: string, subject: string, detail: string) =>
    rows.push({ action, target, subject, detail, status: status(target, subject) })
  for (const g of view.groupsCreated) add('create group', g.target, g.group, '')
  for (const u of view.creates)
    add('create', u.target, u.email, [u.identityType, u.firstname, u.lastname, u.country].filter(Boolean).join(', '))
  for (const u of view.updates)
    add('update', u.target, u.email, u.changes.map((c) => `${c.field}: ${c.from ?? '?'} → ${c.to}`).join('; '))
  for (const g of view.groups) {
    for (const email of g.added) add('add to group', g.target, email, g.group)
    for (const email of g.removed) add('remove from group', g.target, email, g.group)
  }
  for (const r of view.removals) add(`adobe-only: ${r.action}`, r.target, r.email, r.groups?.join(', ') ?? '')
  return rows
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}h1{font-size:1.3em}
.removes{color:#a00;font-weight:bold}.ok{color:#070}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3;cursor:pointer}
.failed{background:#fee}input{padding:.3em;width:20em}pre{background:#f7f7f7;padding:.5em}`

const SCRIPT = `(function(){var q=document.getElementById('search'),t=document.getElementById('changes'),b=t.tBodies[0];
function shown(){var n=0;for(var r of b.rows){if(!r.hidden)n++}document.getElementById('shown').textContent=String(n)}
q.addEventListener('input',function(){var s=q.value.toLowerCase();for(var r of b.rows){r.hidden=s!==''&&r.textContent.toLowerCase().indexOf(s)<0}shown()});
t.tHead.addEventListener('click',function(e){var th=e.target.closest('th');if(!th)return;var i=th.cellIndex,d=th.dataset.dir==='asc'?'desc':'asc';th.dataset.dir=d;
var rows=Array.from(b.rows);rows.sort(function(x,y){var c=x.cells[i].textContent.localeCompare(y.cells[i].textContent);return d==='asc'?c:-c});for(var r of rows)b.appendChild(r)});shown()})();`

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`

/**
 * The report as one self-contained HTML page (pure): inline style and script allowed by their hashes in a
 * strict Content-Security-Policy (nothing else loads: no font, image, frame or connection). Every value
 * from the directory, the target or the config is escaped.
 */
export function renderHtmlReport(input: ReportInput): string {
  const { result, view } = input
  const e = escapeHtml
  const executed = !result.planOnly
  const rows = changeRows(view, result.failures, executed)
  const csp = `default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; base-uri 'none'; form-action 'none'`
  const facts: Array<[string, string]> = [
    ['Mode', input.mode],
    ['Exit code', String(result.exitCode)],
    ['Duration', `${(result.durationMs / 1000).toFixed(1)} s`],
    ['ust version', input.ustVersion],
    ['Config digest', input.configDigest],
    ['Plan digest', input.planDigest ?? '—'],
    ['Generated', input.generatedAt],
  ]
  const limits = result.limit?.exceeded ? [result.limit.message ?? 'a safety limit was exceeded'] : []
  const groups = view.groups
    .map(
      (g) =>
        `<tr><td>${e(g.group)}</td><td>${e(g.target)}</td><td>${g.added.map(e).join('<br>')}</td><td>${g.removed.map(e).join('<br>')}</td></tr>`,
    )
    .join('')
  const failures = result.failures
    .map(
      (f) =>
        `<tr class="failed"><td>${e(f.target)}</td><td>${e(f.subject)}</td><td>${f.errors.map((x) => `${e(x.code)}: ${e(x.message)}`).join('<br>')}</td></tr>`,
    )
    .join('')
  const list = (items: readonly string[]) =>
    items.length === 0 ? '<p>None.</p>' : `<ul>${items.map((i) => `<li>${e(i)}</li>`).join('')}</ul>`
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ust sync report</title><style>${STYLE}</style></head><body>
<h1>ust sync report</h1>
<p id="headline" class="${view.hasRemovals ? 'removes' : 'ok'}">${e(headline(view))}</p>
<h2>Summary</h2>
<table id="facts">${facts.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join('')}</table>
<table id="counts">${countRows(view.counts, view.product)
    .map(([k, v]) => `<tr><th>${e(k)}</th><td>${v}</td></tr>`)
    .join('')}</table>
<pre id="summary">${result.summary.map(e).join('\n')}</pre>
<h2>Limits and guards</h2>${list(limits)}
<h2>Changes (<span id="shown">${rows.length}</span> of ${rows.length})</h2>
<p><input id="search" type="search" placeholder="Search changes" aria-label="Search changes"></p>
<table id="changes"><thead><tr><th>Action</th><th>Target</th><th>User or group</th><th>Details</th><th>Status</th></tr></thead><tbody>
${rows.map((r) => `<tr data-action="${e(r.action)}"${r.status === 'failed' ? ' class="failed"' : ''}><td>${e(r.action)}</td><td>${e(r.target)}</td><td>${e(r.subject)}</td><td>${e(r.detail)}</td><td>${e(r.status)}</td></tr>`).join('\n')}
</tbody></table>
<h2>Group membership changes</h2>
<table id="groups"><thead><tr><th>Group</th><th>Target</th><th>Added</th><th>Removed</th></tr></thead><tbody>${groups}</tbody></table>
<h2>Failed commands</h2>
${failures ? `<table id="failures"><thead><tr><th>Target</th><th>User or group</th><th>Reason</th></tr></thead><tbody>${failures}</tbody></table>` : '<p>None.</p>'}
<h2>Errors</h2>${list(result.errors)}
<h2>Warnings</h2>${list(view.warnings)}
<script>${SCRIPT}</script>
</body></html>
`
}
