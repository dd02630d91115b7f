import { ExitCode } from '../exit-codes.js'
import { UstError, type UstErrorOptions } from './ust-error.js'

/** The sync lock of a configuration could not be taken: another sync holds it, or it cannot be created. */
export class LockError extends UstError {
  constructor(message: string, options: UstErrorOptions<'lock'> = {}) {
    super(message, { code: 'lock', exitCode: ExitCode.locked, ...options })
  }
}
