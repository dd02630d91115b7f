import { ExitCode } from '../exit-codes.js'
import { UstError, type UstErrorOptions } from './ust-error.js'

/** The target refused a request or could not be reached. */
export class TargetError extends UstError {
  constructor(message: string, options: UstErrorOptions<'target'> = {}) {
    super(message, { code: 'target', exitCode: ExitCode.target, ...options })
  }
}
