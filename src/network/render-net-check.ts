import type { NetCheckResult } from './net-check.types.js'

const MARK: Record<string, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skipped: 'skip' }

function ms(value: number | undefined): string {
  return value === undefined ? '' : ` (${value} ms)`
}

/** The human rendering of `ust net check`: a table per endpoint, one "what to do" line per failure. */
export function renderNetCheck(result: NetCheckResult): string {
  const lines: string[] = []
  const n = result.network
  lines.push(`Network settings${result.config ? ` (${result.config})` : ''}:`)
  lines.push(`  proxy:      ${n.proxy ?? 'none (direct connections)'}`)
  if (n.noProxy.length) lines.push(`  no_proxy:   ${n.noProxy.join(', ')}`)
  lines.push(`  extra CAs:  ${n.caFiles.length ? n.caFiles.join(', ') : 'none (system roots only)'}`)
  if (!n.sslVerify) lines.push("  ssl_verify: false (certificates of the connectors' hosts are not verified)")
  for (const e of result.endpoints) {
    lines.push('')
    lines.push(`${e.name} ${e.url}${e.owner && e.owner !== '--host' ? `  [${e.owner}]` : ''}`)
    for (const s of e.stages) {
      lines.push(`  ${MARK[s.status]}  ${s.stage.padEnd(5)}  ${s.detail}${ms(s.durationMs)}`)
      if (s.status !== 'ok' && s.suggestion) lines.push(`              → ${s.suggestion}`)
    }
  }
  if (result.auth.length) {
    lines.push('')
    lines.push('Authentication (plugin checks):')
    for (const a of result.auth) {
      lines.push(
        `  ${MARK[a.status]}  ${a.owner}: ${a.name}${a.endpoint ? ` ${a.endpoint}` : ''}: ${a.detail}${ms(a.durationMs)}`,
      )
      if (a.status !== 'ok' && a.suggestion) lines.push(`              → ${a.suggestion}`)
    }
  }
  lines.push('')
  lines.push('Allow these through the firewall (outbound):')
  for (const host of result.firewall) lines.push(`  ${host}`)
  const failed = result.endpoints.filter((e) => !e.ok).length + result.auth.filter((a) => a.status === 'fail').length
  lines.push('')
  lines.push(failed === 0 ? 'All checks passed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`)
  return lines.join('\n')
}
