import type { ActionEntry } from './action-entry.js'
import type { PackedRequest } from './pack-requests.js'

/** One failure of one planned command. */
export interface CommandError {
  code: string
  message: string
  /** The UMAPI step that failed (`add`, `createFederatedID`, …). */
  step?: string
}

/** An error as UMAPI reports it in an action response (umapi.md §5.5). */
interface WireActionError {
  index?: unknown
  step?: unknown
  errorCode?: unknown
  message?: unknown
}

function rootLabel(entry: ActionEntry): string {
  return 'usergroup' in entry ? `user group ${entry.usergroup}` : `user ${entry.user}`
}

/**
 * Maps the `errors` of an action response back to planned commands through the request's provenance:
 * `(index, step)` → the commands that step carries. UMAPI stops an entry at its failing step, so the
 * commands of the entry's later steps did not run either and fail too. An error that names no entry fails
 * every command of the request, and so does a `result` other than `success` without an `errors` list (the
 * reply is untrusted: nothing it does not confirm is counted as done). `clean` scrubs secrets from server text.
 */
export function mapActionErrors(
  request: PackedRequest,
  errors: unknown,
  clean: (text: string) => string,
  result: unknown = 'success',
): Map<string, CommandError[]> {
  const failed = new Failures()
  if (!Array.isArray(errors) || (errors.length === 0 && result !== 'success')) {
    if (result === 'success') return failed.byCommand
    // A reply that is not a success but does not say which entries failed: none can be taken as done.
    const error: CommandError = {
      code: typeof result === 'string' ? clean(result) : 'error',
      message: `UMAPI answered result ${JSON.stringify(clean(String(result)))} without saying which entries failed; not known to be applied`,
    }
    for (const id of commandIdsOf(request)) failed.add(id, error)
    return failed.byCommand
  }
  for (const raw of errors as WireActionError[]) failEntry(request, raw, clean, failed)
  return failed.byCommand
}

/** Failures by command id; the same error is recorded once per command. */
class Failures {
  readonly byCommand = new Map<string, CommandError[]>()

  add(id: string, error: CommandError): void {
    const list = this.byCommand.get(id) ?? []
    if (!list.some((e) => e.code === error.code && e.message === error.message)) list.push(error)
    this.byCommand.set(id, list)
  }
}

/**
 * One error of the response: the commands of the step it names fail, and those of the entry's later steps
 * did not run; an error naming no entry fails every command of the request, one naming no step the entry's.
 */
function failEntry(
  request: PackedRequest,
  raw: WireActionError,
  clean: (text: string) => string,
  failed: Failures,
): void {
  const code = typeof raw.errorCode === 'string' ? raw.errorCode : 'error'
  const message = clean(typeof raw.message === 'string' ? raw.message : 'UMAPI reported an error without a message')
  const index = typeof raw.index === 'number' ? raw.index : Number(raw.index)
  const steps = Number.isInteger(index) ? request.sources[index] : undefined
  if (!steps) {
    for (const entrySteps of request.sources)
      for (const ids of entrySteps) for (const id of ids) failed.add(id, { code, message })
    return
  }
  const step = typeof raw.step === 'number' ? raw.step : Number(raw.step)
  if (Number.isInteger(step) && step >= 0 && step < steps.length) failStep(request, index, step, code, message, failed)
  else for (const id of steps.flat()) failed.add(id, { code, message })
}

/** The commands of step `step` of entry `index` fail; those of its later steps did not run. */
function failStep(
  request: PackedRequest,
  index: number,
  step: number,
  code: string,
  message: string,
  failed: Failures,
): void {
  const steps = request.sources[index]!
  const entry = request.entries[index]!
  const stepName = Object.keys(entry.do[step] ?? {})[0]
  const stepIds = steps[step]!
  for (const id of stepIds) failed.add(id, { code, message, ...(stepName ? { step: stepName } : {}) })
  const notRun: CommandError = {
    code: 'ust.umapi.not_run',
    message: `not applied: step ${step + 1} of the request entry for ${rootLabel(entry)} failed first (${code})`,
  }
  for (const ids of steps.slice(step + 1)) for (const id of ids) if (!stepIds.includes(id)) failed.add(id, notRun)
}

/** Every command id a request carries, in order, without repeats. */
export function commandIdsOf(request: PackedRequest): string[] {
  return [...new Set(request.sources.flat(2))]
}
