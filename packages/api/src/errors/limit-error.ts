import { ExitCode } from '../exit-codes.js'
import { UstError, type UstErrorOptions } from './ust-error.js'

/** A safety limit (such as max_adobe_only_users) was exceeded. */
export class LimitError extends UstError {
  constructor(message: string, options: UstErrorOptions = {}) {
    super(message, { code: 'limit', exitCode: ExitCode.limit, ...options })
  }
}
