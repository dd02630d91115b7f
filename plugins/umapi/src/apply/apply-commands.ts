import { isUstError, type CommandResult, type Logger, type PlannedCommand } from '@ust-sync/api'
import { redact, snippet } from '../http/redact.js'
import type { SyncSignal, UmapiSession } from '../umapi-session.js'
import { sendInOrder } from './in-flight.js'
import { commandIdsOf, mapActionErrors, type CommandError } from './map-response.js'
import { packCommands, type PackedRequest } from './pack-requests.js'

/** What {@link applyCommands} needs besides the commands. */
export interface ApplyContext {
  session: UmapiSession
  logger: Logger
  testOnly: boolean
  /** Lower-cased user-group names of the org (for group-centric packing). */
  userGroups: ReadonlySet<string>
  /** Number of the first `action_N` requestID. */
  firstRequestId: number
  /** Action requests allowed in flight at once ({@link maxInFlight}); default 1, strictly in order. */
  maxInFlight?: number
}

/** Error code of a request whose reply was lost after sending (see UmapiHttp). */
const OUTCOME_UNKNOWN = 'target.umapi.outcome-unknown'

/** Results and how many requestIDs were used. */
export interface ApplyOutcome {
  results: CommandResult[]
  requestIdsUsed: number
}

/**
 * Packs the commands into the fewest action requests and POSTs them in order (`?testOnly=true` in test
 * mode), `Pragma: umapi-sync-start` on the first and `umapi-sync-end` on the last of several. Each command
 * gets one result: `done` when every step it has was accepted, else `failed` with UMAPI's error code and
 * message. When UMAPI stays unavailable (retries exhausted) the remaining commands are reported failed as
 * not sent, and nothing more is sent. When a request's reply is lost after it was sent (timeout, reset,
 * 502/504) its commands are reported `unknown` (never re-sent blindly) and the next request goes on.
 * With `maxInFlight` above 1, several requests are in flight at once (within the pacer's limit) while
 * keeping the orderings that matter ({@link sendInOrder}).
 */
export async function applyCommands(commands: readonly PlannedCommand[], context: ApplyContext): Promise<ApplyOutcome> {
  const { session, logger, testOnly } = context
  const packing = packCommands(commands, { userGroups: context.userGroups, firstRequestId: context.firstRequestId })
  const errors = new Map<string, CommandError[]>()
  const addErrors = (id: string, list: CommandError[]): void => {
    errors.set(id, [...(errors.get(id) ?? []), ...list])
  }
  for (const r of packing.refused) addErrors(r.commandId, r.errors ?? [])
  const clean = (text: string): string => redact(text, session.secrets())
  const { requests } = packing
  session.task?.tick(
    0,
    requests.reduce((n, r) => n + r.entries.length, 0),
  )
  let unavailable: CommandError | undefined
  let bug: unknown
  const unknown = new Set<string>()
  const send = async (request: PackedRequest, i: number): Promise<void> => {
    const pragma: SyncSignal | undefined =
      i === 0 ? 'umapi-sync-start' : i === requests.length - 1 ? 'umapi-sync-end' : undefined
    try {
      const outcome = await postRequest(session, request, testOnly, pragma, logger, clean)
      for (const [id, list] of outcome) addErrors(id, list)
      session.task?.tick(request.entries.length)
    } catch (error) {
      if (!isUstError(error)) {
        bug ??= error
        return
      }
      logger.error(error.message)
      if (error.code === OUTCOME_UNKNOWN) {
        // Sent, reply lost: not re-sent (it may have been applied); the next run reads the org and converges.
        for (const id of commandIdsOf(request)) {
          unknown.add(id)
          addErrors(id, [{ code: error.code, message: error.message }])
        }
        return
      }
      unavailable ??= { code: error.code, message: `not sent: ${error.message}` }
      for (const id of commandIdsOf(request))
        addErrors(id, [{ code: error.code, message: `not sent: ${error.message}` }])
    }
  }
  await sendInOrder(
    requests,
    context.maxInFlight ?? 1,
    send,
    () => unavailable !== undefined || bug !== undefined,
    (request) => {
      for (const id of commandIdsOf(request)) addErrors(id, [unavailable ?? { code: 'not-sent', message: 'not sent' }])
    },
  )
  if (bug !== undefined) throw bug
  const results: CommandResult[] = commands.map((c) => {
    const list = errors.get(c.id)
    if (!list || list.length === 0) return { commandId: c.id, status: 'done' }
    return { commandId: c.id, status: unknown.has(c.id) ? 'unknown' : 'failed', errors: list }
  })
  return { results, requestIdsUsed: requests.reduce((n, r) => n + r.entries.length, 0) }
}

/** POSTs one request; returns the errors per command. Throws a `TargetError` when UMAPI stays unavailable. */
async function postRequest(
  session: UmapiSession,
  request: PackedRequest,
  testOnly: boolean,
  pragma: SyncSignal | undefined,
  logger: Logger,
  clean: (text: string) => string,
): Promise<Map<string, CommandError[]>> {
  const first = request.entries[0]!.requestID
  const last = request.entries[request.entries.length - 1]!.requestID
  const call = {
    kind: 'action' as const,
    method: 'POST' as const,
    path: `/action/${session.settings.orgId}${testOnly ? '?testOnly=true' : ''}`,
    body: request.entries,
    pragma,
    what: `POST action ${first}${first === last ? '' : `..${last}`}`,
  }
  const reply = await session.call(call)
  const body =
    typeof reply.json === 'object' && reply.json !== null ? (reply.json as Record<string, unknown>) : undefined
  if (reply.status !== 200 || !body || typeof body.result !== 'string') {
    // The whole request was refused (or answered with something that is not an action result): every
    // command in it failed, none is known to be applied.
    const error = session.unexpected(call, reply)
    logger.error(error.message)
    const code = typeof body?.result === 'string' ? body.result : `http.${reply.status}`
    const message = clean(typeof body?.message === 'string' ? body.message : error.message || snippet(reply.text))
    return new Map(commandIdsOf(request).map((id) => [id, [{ code, message }]]))
  }
  for (const w of Array.isArray(body.warnings) ? (body.warnings as Record<string, unknown>[]) : []) {
    logger.warn(
      clean(
        `UMAPI warning for ${String(w.requestID ?? `entry ${String(w.index)}`)}: ${String(w.warningCode)}: ${String(w.message)}`,
      ),
    )
  }
  const failed = mapActionErrors(request, body.errors, clean, body.result)
  const counted = testOnly ? body.completedInTestMode : body.completed
  const failedEntries = new Set(
    Array.isArray(body.errors) ? (body.errors as { index?: unknown }[]).map((e) => e.index) : [],
  ).size
  if (typeof counted === 'number' && counted !== request.entries.length - failedEntries) {
    logger.warn(
      `UMAPI ${call.what}: reports ${counted} completed entries of ${request.entries.length} but ${failedEntries} with errors`,
    )
    if (counted < request.entries.length - failedEntries) {
      // Entries UMAPI neither completed nor refused: their outcome is unknown, never counted as done.
      const message = `UMAPI confirmed ${counted} of the ${request.entries.length - failedEntries} entries sent without error; the outcome of this command is unknown (the next run reads the organization and repeats what is missing)`
      for (const id of commandIdsOf(request))
        if (!failed.has(id)) failed.set(id, [{ code: 'umapi.unconfirmed', message }])
    }
  }
  if (!Array.isArray(body.errors) && body.result !== 'success') {
    logger.error(
      `UMAPI ${call.what}: result "${clean(String(body.result))}" without errors; every entry counted as failed`,
    )
  }
  return failed
}
