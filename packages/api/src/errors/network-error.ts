import { ExitCode } from '../exit-codes.js'
import { UstError, type UstErrorOptions } from './ust-error.js'

/** A host could not be reached: DNS, TCP, proxy or TLS failure. */
export class NetworkError extends UstError {
  constructor(message: string, options: UstErrorOptions = {}) {
    super(message, { code: 'network', exitCode: ExitCode.network, ...options })
  }
}
