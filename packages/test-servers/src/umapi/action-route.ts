import { applyGroupEntry } from './action-apply-group.js'
import { applyUserEntry, type ApplyContext } from './action-apply-user.js'
import { StepError } from './action-steps.js'
import { entryLabels, validateEntry } from './action-validate.js'
import { parseBool } from './http-util.js'
import type { FakeOrg } from './org-state.js'
import { resultError, type Reply } from './reply.js'

/** Most command entries in one POST (umapi.md §5.1). */
const MAX_ENTRIES = 10

/**
 * `POST /action/{org}[?testOnly=true]`. Request-level problems (body not JSON, not an array, empty,
 * more than 10 entries, bad testOnly, wrong Content-Type) → 400 `{result, message}`. Otherwise 200 with
 * per-entry counts: an entry counts completed only when all its steps succeed; a failing entry stops
 * at the failing step and its earlier steps stay applied. Test mode runs on a clone of the org, so
 * nothing changes; `completedInTestMode` counts entries that would succeed.
 */
export function postAction(
  org: FakeOrg,
  query: URLSearchParams,
  contentType: string | undefined,
  body: unknown,
): Reply {
  const testOnly = parseBool(query.get('testOnly'), false)
  if (testOnly === undefined)
    return resultError(
      'error.command.malformed',
      `Invalid testOnly value "${query.get('testOnly')}": expected true or false`,
    )
  if (!(contentType ?? '').toLowerCase().startsWith('application/json')) {
    return resultError('error.command.malformed', `Content-Type must be application/json, got "${contentType ?? ''}"`)
  }
  if (typeof body === 'string' || body === undefined)
    return resultError('error.command.malformed', 'Request body is not valid JSON')
  if (!Array.isArray(body))
    return resultError('error.command.malformed', 'Request body must be a JSON array of command entries')
  if (body.length === 0)
    return resultError('error.command.malformed', 'Request body is an empty array: send 1 to 10 command entries')
  if (body.length > MAX_ENTRIES) {
    return resultError(
      'error.command.malformed',
      `Too many command entries (${body.length}); at most ${MAX_ENTRIES} per request`,
    )
  }
  const ctx: ApplyContext = { org: testOnly ? org.clone() : org, testOnly }
  const errors: Record<string, unknown>[] = []
  const warnings: Record<string, unknown>[] = []
  let succeeded = 0
  body.forEach((raw: unknown, index) => {
    const labels = entryLabels(raw)
    const report = (extra: Record<string, unknown>): Record<string, unknown> => ({
      index,
      step: extra.step,
      ...(labels.requestID === undefined ? {} : { requestID: labels.requestID }),
      ...(labels.user === undefined ? {} : { user: labels.user }),
      ...extra,
    })
    const validation = validateEntry(raw)
    if (!validation.ok) {
      errors.push(report(failure(validation.failure)))
      return
    }
    for (const w of validation.warnings) warnings.push(report({ ...w }))
    try {
      if (validation.entry.kind === 'user') applyUserEntry(ctx, validation.entry)
      else applyGroupEntry(ctx, validation.entry)
      succeeded += 1
    } catch (e) {
      if (!(e instanceof StepError)) throw e
      errors.push(report(failure(e)))
    }
  })
  const notCompleted = body.length - succeeded
  const out: Record<string, unknown> = {
    result: notCompleted === 0 ? 'success' : succeeded === 0 ? 'error' : 'partial',
    completed: testOnly ? 0 : succeeded,
    notCompleted,
    completedInTestMode: testOnly ? succeeded : 0,
  }
  if (errors.length > 0) out.errors = errors
  if (warnings.length > 0) out.warnings = warnings
  return { status: 200, body: out }
}

function failure(e: StepError): Record<string, unknown> {
  return { step: e.step, errorCode: e.errorCode, message: e.message }
}
