import { ExitCode } from '../exit-codes.js'
import { UstError, type UstErrorOptions } from './ust-error.js'

/** An identity source could not be read completely. Never treated as "users are gone". */
export class SourceError extends UstError {
  constructor(message: string, options: UstErrorOptions<'source'> = {}) {
    super(message, { code: 'source', exitCode: ExitCode.source, ...options })
  }
}
