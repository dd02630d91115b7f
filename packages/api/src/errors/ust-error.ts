import { type ErrorCode, type ErrorKind, ExitCode } from '../exit-codes.js'

const BRAND = Symbol.for('ust-sync.UstError')

/** Options accepted by every {@link UstError}; a subclass narrows `K` to its own kind. */
export interface UstErrorOptions<K extends ErrorKind = ErrorKind> {
  /** Machine-readable code starting with the error's kind, e.g. `config.unknown-key`. */
  code?: ErrorCode<K>
  /** Process exit code; defaults to the subclass's. */
  exitCode?: number
  /** What the user can do next, one sentence each. */
  suggestions?: string[]
  /** The underlying error. */
  cause?: unknown
}

/**
 * Base of every error ust reports to a user: it says what happened and where (`message`),
 * carries a stable `code`, the process `exitCode`, and `suggestions` of what to do next.
 *
 * Errors are recognised across copies of this package (a plugin installed in the data dir has its own
 * copy), so use {@link isUstError} rather than `instanceof`.
 */
export class UstError extends Error {
  readonly code: ErrorCode
  readonly exitCode: number
  readonly suggestions: string[]

  constructor(message: string, options: UstErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = options.code ?? 'internal'
    this.exitCode = options.exitCode ?? ExitCode.internal
    this.suggestions = options.suggestions ?? []
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** True for a {@link UstError} from any copy of `ust-sync/api`. */
export function isUstError(error: unknown): error is UstError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true
}
