import type { NetCheckResult } from './net-check.types.js'

const MARK: Record<string, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skipped: 'skip' }

function ms(value: number | undefined): string {
  return value === undefined ? '' : ` (${value} ms)`
}

/** The human rendering of `ust net check`: a table per endpoint, one "what to do" line per failure. */
export function renderNetCheck(result: NetCheckResult): string {
  const failed = result.endpoints.filter((e) => !e.ok).length + result.auth.filter((a) => a.status === 'fail').length
  return [
    ...settingsLines(result),
    ...endpointLines(result),
    ...authLines(result),
    '',
    'Allow these through the firewall (outbound):',
    ...result.firewall.map((host) => `  ${host}`),
    '',
    failed === 0 ? 'All checks passed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`,
  ].join('\n')
}

/** The network settings in force. */
function settingsLines(result: NetCheckResult): string[] {
  const n = result.network
  return [
    `Network settings${result.config ? ` (${result.config})` : ''}:`,
    `  proxy:      ${n.proxy ?? 'none (direct connections)'}`,
    ...(n.noProxy.length ? [`  no_proxy:   ${n.noProxy.join(', ')}`] : []),
    `  extra CAs:  ${n.caFiles.length ? n.caFiles.join(', ') : 'none (system roots only)'}`,
    ...(n.sslVerify ? [] : ["  ssl_verify: false (certificates of the connectors' hosts are not verified)"]),
  ]
}

/** Each endpoint and its stages, a suggestion under each stage that is not ok. */
function endpointLines(result: NetCheckResult): string[] {
  return result.endpoints.flatMap((e) => [
    '',
    `${e.name} ${e.url}${e.owner && e.owner !== '--host' ? `  [${e.owner}]` : ''}`,
    ...e.stages.flatMap((s) => [
      `  ${MARK[s.status]}  ${s.stage.padEnd(5)}  ${s.detail}${ms(s.durationMs)}`,
      ...suggestionLines(s),
    ]),
  ])
}

/** The plugins' authentication checks, when there are any. */
function authLines(result: NetCheckResult): string[] {
  if (!result.auth.length) return []
  return [
    '',
    'Authentication (plugin checks):',
    ...result.auth.flatMap((a) => [
      `  ${MARK[a.status]}  ${a.owner}: ${a.name}${a.endpoint ? ` ${a.endpoint}` : ''}: ${a.detail}${ms(a.durationMs)}`,
      ...suggestionLines(a),
    ]),
  ]
}

/** What to do about a check that is not ok, when its suggestion says. */
function suggestionLines(check: { status: string; suggestion?: string | undefined }): string[] {
  return check.status !== 'ok' && check.suggestion ? [`              → ${check.suggestion}`] : []
}
