import { ExitCode } from '../exit-codes.js'
import { UstError, type UstErrorOptions } from './ust-error.js'

/** Options of a {@link NetworkError}. */
export interface NetworkErrorOptions extends UstErrorOptions<'network'> {
  /**
   * Whether the request can have reached the server: `not-sent` (DNS, refused, proxy, TLS: safe to send
   * again) or `unknown` (reset or timeout after sending: a write may have been applied). Default `unknown`.
   */
  delivery?: 'not-sent' | 'unknown'
  /** Whether the condition is usually transient (reset, timeout, refused), so another attempt may succeed. */
  retryable?: boolean
}

/**
 * A host could not be reached: DNS, TCP, proxy or TLS failure. The message says which, in plain words.
 * The core's `PluginContext.network.fetch` throws these instead of `fetch failed`.
 */
export class NetworkError extends UstError {
  readonly delivery: 'not-sent' | 'unknown'
  readonly retryable: boolean

  constructor(message: string, options: NetworkErrorOptions = {}) {
    const { delivery = 'unknown', retryable = false, ...rest } = options
    super(message, { code: 'network', exitCode: ExitCode.network, ...rest })
    this.delivery = delivery
    this.retryable = retryable
  }
}
