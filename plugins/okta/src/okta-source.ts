import type { CheckResult, DirectoryReadResult, IdentitySource, PluginContext, SourceSelection } from '@ust-sync/api'
import type { OktaOptions } from './config/okta-options.js'
import { DirectoryReader } from './directory-reader.js'
import { OktaClient } from './okta-client.js'
import { runChecks } from './run-checks.js'

/**
 * The Okta identity source. Each `read` reads everything asked page by page, one request at a time, and
 * throws on any failure (a page that stays unavailable, a refused token), so a partial directory is never
 * returned.
 */
export class OktaSource implements IdentitySource {
  private readonly client: OktaClient

  constructor(
    private readonly options: OktaOptions,
    private readonly context: PluginContext,
  ) {
    this.client = new OktaClient(options, context)
  }

  /** Members of `selection.groups` and, with `allUsers`, every user Okta lists; all through all_users_filter. */
  async read(selection: SourceSelection): Promise<DirectoryReadResult> {
    const task = this.context.progress?.start(`Reading users from Okta ${this.options.origin}`)
    this.client.onWait = (until) => task?.waiting(until)
    try {
      const reader = new DirectoryReader(this.client, this.options, this.context.logger, task)
      await reader.read(selection)
      const users = reader.users()
      this.context.logger.debug(
        `okta: ${users.length} users read from ${this.options.origin} in ${this.client.http.requests} requests`,
      )
      return { users, warnings: reader.warnings }
    } finally {
      this.client.onWait = undefined
      task?.end()
    }
  }

  /** Requests sent so far (retries included), for benchmarks and logs. */
  requests(): number {
    return this.client.http.requests
  }

  /** `ust net check`: the token (OAuth), then one user and one group read. */
  check(): Promise<CheckResult[]> {
    return runChecks(this.client, this.context.clock)
  }
}
