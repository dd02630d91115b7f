import { ExitCode } from '../exit-codes.js'
import { UstError, type UstErrorOptions } from './ust-error.js'

/** A secret could not be read, written or found in a credential backend. */
export class CredentialError extends UstError {
  constructor(message: string, options: UstErrorOptions<'credential'> = {}) {
    super(message, { code: 'credential', exitCode: ExitCode.credential, ...options })
  }
}
