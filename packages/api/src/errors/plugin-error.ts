import { ExitCode } from '../exit-codes.js'
import { UstError, type UstErrorOptions } from './ust-error.js'

/** A plugin could not be loaded, registered or used. */
export class PluginError extends UstError {
  constructor(message: string, options: UstErrorOptions<'plugin'> = {}) {
    super(message, { code: 'plugin', exitCode: ExitCode.plugin, ...options })
  }
}
