import { checkAvailability, type CredentialBackendDefinition } from '@ust-sync/api'
import { definitionProblems } from './check-definition.js'
import { attempt, type ConformanceReport, messageOf, Recorder } from './report.js'
import { leakedSecrets, testContext } from './test-context.js'

/** Options of {@link checkCredentialBackend}. */
export interface BackendCheckOptions {
  /** Service name to use (default: a unique `ust-testkit-…`); the check removes what it stored. */
  service?: string
  /** Secret to store (default: a random one with characters that need escaping). */
  secret?: string
  /** The context's data dir (default: the current directory), e.g. where a file backend keeps its store. */
  dataDir?: string
}

/**
 * Checks a credential backend against the contract: definition, `describe()` answering available (the
 * check must run where the backend works), absent secrets are `undefined` (not an error), a set/get/
 * list/delete round trip, `delete` saying whether something was removed, `list` naming accounts and never
 * secrets, and no secret in an error message. Throws a ContractViolation listing every problem.
 */
export async function checkCredentialBackend(
  definition: CredentialBackendDefinition,
  options: BackendCheckOptions = {},
): Promise<ConformanceReport> {
  const r = new Recorder(`credential backend "${definition?.id}"`)
  if (
    !r.rule(
      'definition has kind, id, description and create()',
      definitionProblems(definition, 'credentialBackend', ['create']),
    )
  )
    return r.finish()
  const { context, lines } = testContext({ dataDir: options.dataDir })
  const [backend, createError] = await attempt(async () => definition.create(context))
  if (!r.rule('create(context) returns a backend', createError ? [messageOf(createError)] : [])) return r.finish()
  if (
    !r.rule(
      'the backend has every method',
      ['describe', 'get', 'set', 'delete', 'list'].filter(
        (m) => typeof (backend as unknown as Record<string, unknown>)?.[m] !== 'function',
      ),
    )
  )
    return r.finish()
  const service = options.service ?? `ust-testkit-${process.pid}-${Date.now()}`
  const account = 'testkit@example.com'
  const secret = options.secret ?? `s3cr3t/+=&%${Math.random().toString(36).slice(2)}`
  const errors: string[] = []
  const call = async <T>(rule: string, fn: () => Promise<T>): Promise<[T | undefined, boolean]> => {
    const [value, error] = await attempt(fn)
    if (error) errors.push(messageOf(error))
    return [value, r.rule(rule, error ? [messageOf(error)] : [])]
  }

  const live = backend!
  const [availability] = await call('describe() resolves', () => live.describe())
  if (!r.rule('describe() says {available, detail}', checkAvailability(availability))) return r.finish()
  if (!availability!.available) {
    r.rule('describe() says available where the check runs', [`unavailable: ${availability!.detail}`])
    return r.finish()
  }
  const [absent, ok] = await call('get() of an absent secret resolves', () => live.get(service, account))
  if (ok) r.rule('get() of an absent secret is undefined', absent === undefined ? [] : [`got ${typeof absent}`])
  await call('set() resolves', () => live.set(service, account, secret))
  const [got] = await call('get() after set() resolves', () => live.get(service, account))
  r.rule('get() returns what set() stored', got === secret ? [] : ['the value read differs from the value stored'])
  const [accounts] = await call('list() resolves', () => live.list(service))
  r.rule(
    'list() names the account, not the secret',
    Array.isArray(accounts) && accounts.includes(account) && !accounts.includes(secret)
      ? []
      : [
          `expected an array with "${account}", got ${JSON.stringify(Array.isArray(accounts) ? accounts.length : accounts)}`,
        ],
  )
  const [deleted] = await call('delete() resolves', () => live.delete(service, account))
  r.rule('delete() of a stored secret is true', deleted === true ? [] : [`got ${String(deleted)}`])
  const [after] = await call('get() after delete() resolves', () => live.get(service, account))
  r.rule('get() after delete() is undefined', after === undefined ? [] : ['the secret is still there'])
  const [again] = await call('delete() of an absent secret resolves', () => live.delete(service, account))
  r.rule('delete() of an absent secret is false', again === false ? [] : [`got ${String(again)}`])
  r.rule('secrets never appear in error messages or logs', leakedSecrets([...errors, ...lines], [secret]))
  return r.finish()
}
