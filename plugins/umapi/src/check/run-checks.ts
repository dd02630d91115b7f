import { isUstError, type CheckResult, type Clock } from '@ust-sync/api'
import { TokenProvider } from '../auth/token-provider.js'
import type { UmapiSettings } from '../config/umapi-settings.js'
import { redact, snippet } from '../http/redact.js'
import type { UmapiHttp } from '../http/umapi-http.js'

function failureDetail(error: unknown, secrets: string[]): string {
  return redact(error instanceof Error ? error.message : String(error), secrets)
}

/** Requests a token from IMS once (no retries) and reports what happened. */
async function checkToken(
  http: UmapiHttp,
  settings: UmapiSettings,
  clock: Clock,
  userAgent: string,
): Promise<CheckResult> {
  const started = clock.now()
  const tokens = new TokenProvider(
    settings,
    clock,
    (what, request) => http.send(request, { what, idempotent: true, retry: false }),
    userAgent,
  )
  const base = { name: 'IMS token', endpoint: settings.tokenUrl }
  try {
    const token = await tokens.fetch()
    return {
      ...base,
      status: 'ok',
      detail: `access token issued, valid ${Math.round(token.lifetimeMs / 60_000)} min`,
      durationMs: clock.now() - started,
    }
  } catch (error) {
    const network = isUstError(error) && error.code.startsWith('network')
    return {
      ...base,
      status: 'fail',
      detail: failureDetail(error, [settings.clientSecret]),
      suggestion: network
        ? isUstError(error) && error.suggestions[0]
          ? error.suggestions[0]
          : `Check that ${new URL(settings.tokenUrl).host} is reachable (proxy, firewall, CA certificates).`
        : 'Check enterprise.client_id and client_secret against the OAuth Server-to-Server credential in the Adobe Developer Console.',
      durationMs: clock.now() - started,
    }
  }
}

/** GETs UMAPI's `/status` once and reports the service state. */
async function checkStatus(
  http: UmapiHttp,
  settings: UmapiSettings,
  clock: Clock,
  userAgent: string,
): Promise<CheckResult> {
  const started = clock.now()
  const base = { name: 'UMAPI status', endpoint: settings.statusUrl }
  try {
    const reply = await http.send(
      { method: 'GET', url: settings.statusUrl, headers: { Accept: 'application/json', 'User-Agent': userAgent } },
      { what: 'GET status', idempotent: true, retry: false },
    )
    const durationMs = clock.now() - started
    let state: unknown
    try {
      state = (JSON.parse(reply.text) as { state?: unknown; version?: unknown }).state
    } catch {
      state = undefined
    }
    if (reply.status === 200 && state === 'LIVE')
      return { ...base, status: 'ok', detail: `UMAPI answers: state LIVE`, durationMs }
    if (reply.status === 200)
      return {
        ...base,
        status: 'warn',
        detail: `UMAPI answers but reports state ${JSON.stringify(state)}: ${snippet(reply.text)}`,
        suggestion: 'UMAPI may be in maintenance; try again later.',
        durationMs,
      }
    return {
      ...base,
      status: 'fail',
      detail: `HTTP ${reply.status}: ${snippet(reply.text) || 'empty body'}`,
      suggestion: 'Check server.host in connector-umapi.yml, and any proxy in between.',
      durationMs,
    }
  } catch (error) {
    return {
      ...base,
      status: 'fail',
      detail: failureDetail(error, []),
      suggestion:
        isUstError(error) && error.suggestions[0]
          ? error.suggestions[0]
          : `Check that ${new URL(settings.statusUrl).host} is reachable (proxy, firewall, CA certificates).`,
      durationMs: clock.now() - started,
    }
  }
}

/** `ust net check` for a UMAPI target: an IMS token request and UMAPI's status endpoint, once each. Never throws. */
export async function runChecks(
  http: UmapiHttp,
  settings: UmapiSettings,
  clock: Clock,
  userAgent: string,
): Promise<CheckResult[]> {
  return [await checkToken(http, settings, clock, userAgent), await checkStatus(http, settings, clock, userAgent)]
}
