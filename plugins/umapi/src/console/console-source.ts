import type {
  CheckResult,
  DirectoryReadResult,
  DirectoryUser,
  Endpoint,
  IdentitySource,
  PluginContext,
  SourceSelection,
} from '@ust-sync/api'
import { runChecks } from '../check/run-checks.js'
import { endpointsOf } from '../config/umapi-settings.js'
import { interner, type WireUser } from '../snapshot/map-records.js'
import { readPages } from '../snapshot/read-pages.js'
import { readGroups } from '../snapshot/read-snapshot.js'
import { UmapiSession } from '../umapi-session.js'
import type { ConsoleSettings } from './console-settings.js'
import { toDirectoryUser, userKey, type UserFilter } from './console-users.js'
import { asSourceFailure } from './reword.js'

/**
 * Another Adobe org read as the directory (UST's `adobe_console` connector), through the same UMAPI client
 * as the `umapi` target: OAuth Server-to-Server tokens, pacing within UMAPI's limits, retries honouring
 * Retry-After. A read lists the org's groups (when groups are selected, to warn about unknown ones) and
 * every user page; any failure throws, so a partial org is never taken as the directory.
 */
export class ConsoleSource implements IdentitySource {
  private readonly session: UmapiSession

  constructor(
    private readonly settings: ConsoleSettings,
    private readonly context: PluginContext,
  ) {
    this.session = new UmapiSession(settings.umapi, context)
  }

  async read(selection: SourceSelection): Promise<DirectoryReadResult> {
    const task = this.context.progress?.start(`Reading users of Adobe org ${this.settings.umapi.orgId}`)
    this.session.task = task
    try {
      return await this.readOrg(selection)
    } catch (error) {
      throw asSourceFailure(error)
    } finally {
      this.session.task = undefined
      task?.end()
    }
  }

  endpoints(): Endpoint[] {
    return endpointsOf(this.settings.umapi, this.context.tlsVerify)
  }

  identity(): string {
    return `adobe_console:${this.settings.umapi.orgId}`
  }

  /** `ust net check`: a token from IMS and UMAPI's status, once each, worded for this connector file. */
  async check(): Promise<CheckResult[]> {
    const { http } = this.session
    const results = await runChecks(http, this.settings.umapi, this.context.clock, this.context.userAgent)
    const reword = (text: string) =>
      text.replaceAll('enterprise.', 'integration.').replaceAll('connector-umapi.yml', 'connector-adobe-console.yml')
    return results.map((r) => ({
      ...r,
      detail: reword(r.detail),
      ...(r.suggestion ? { suggestion: reword(r.suggestion) } : {}),
    }))
  }

  private async readOrg(selection: SourceSelection): Promise<DirectoryReadResult> {
    const org = this.settings.umapi.orgId
    const warnings: string[] = []
    if (selection.extendedAttributes.length > 0)
      warnings.push(
        `adobe_console: extended_attributes (${selection.extendedAttributes.join(', ')}) are not supported: an Adobe org has no custom attributes`,
      )
    if (selection.groups.length > 0) {
      const known = new Set((await readGroups(this.session)).map((g) => g.name.toLowerCase()))
      for (const group of selection.groups)
        if (!known.has(group.toLowerCase())) warnings.push(`No group found for: ${group} (in Adobe org ${org})`)
    }
    const filter: UserFilter = {
      wanted: new Map(selection.groups.map((g) => [g.toLowerCase(), g])),
      allUsers: selection.allUsers,
      memberGroups: selection.memberGroups === true,
      ...(this.settings.identityType ? { identityType: this.settings.identityType } : {}),
    }
    const users = new Map<string, DirectoryUser>()
    const intern = interner()
    const origin = `Adobe org ${org}`
    let unaddressable = 0
    await readPages(
      this.session,
      { kind: 'users', path: (p) => `/users/${org}/${p}?directOnly=true`, what: 'users page', itemsKey: 'users' },
      { start: false, end: false },
      (items) => {
        for (const item of items) {
          const user = toDirectoryUser(item as WireUser, filter, intern, origin)
          if (user === 'unaddressable') unaddressable++
          else if (user !== 'filtered') {
            const key = userKey(user)
            if (!users.has(key)) users.set(key, user)
          }
        }
      },
    )
    if (unaddressable > 0)
      warnings.push(
        `${unaddressable} user(s) of Adobe org ${org} have no email or an unknown identity type and were skipped`,
      )
    this.context.logger.debug(`adobe_console: ${users.size} users read from Adobe org ${org}`)
    return { users: [...users.values()], warnings }
  }
}
