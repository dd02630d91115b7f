import {
  type CheckResult,
  ConfigError,
  type DirectoryReadResult,
  type DirectoryUser,
  type Endpoint,
  type IdentitySource,
  type PluginContext,
  type SourceSelection,
} from '@ust-sync/api'
import { endpointsOf } from './endpoints.js'
import { type EntraSettings, selectedProperties } from './entra-settings.js'
import { GraphClient } from './graph-client.js'
import { toDirectoryUser } from './graph-user.js'
import { graphUrl, needsAdvanced, odataString } from './odata.js'
import { runChecks } from './run-checks.js'

/** Graph's largest page (graph-api.md §5, §9). */
export const PAGE_SIZE = 999
/** Resource units of one page with `$select` (graph-api.md §11): users 2−1, groups 1, transitiveMembers 5−1. */
const UNITS = { users: 1, groups: 1, members: 4 }

/** Users read so far by Graph id: the user, or null when it was skipped (warned once). */
type UserMap = Map<string, DirectoryUser | null>

/**
 * Microsoft Entra ID as the identity source, through Microsoft Graph v1.0 (application permissions
 * User.Read.All and GroupMember.Read.All). `--users all` lists `/users` (with `all_users_filter`); each
 * selected group is found by display name and its members read through `transitiveMembers` (nested groups
 * resolved by Graph), so every user carries the selected groups it is in, directly or not. Any failure
 * throws: a partial directory is never returned.
 */
export class EntraSource implements IdentitySource {
  private readonly client: GraphClient

  constructor(
    private readonly settings: EntraSettings,
    private readonly context: PluginContext,
  ) {
    this.client = new GraphClient(settings, context)
  }

  endpoints(): Endpoint[] {
    return endpointsOf(this.settings, this.context.tlsVerify)
  }

  /** `ust net check`: one try per request (a throttled or unavailable Graph is reported, not waited for). */
  check(): Promise<CheckResult[]> {
    return runChecks(new GraphClient(this.settings, this.context, false), this.context.clock)
  }

  /** Requests sent so far (benchmarks). */
  requests(): number {
    return this.client.http.requests
  }

  async read(selection: SourceSelection): Promise<DirectoryReadResult> {
    if (selection.memberGroups)
      throw new ConfigError(
        'directory_users.additional_groups cannot be used with the entra connector: it reads the members of the mapped groups, not every group of every user',
        {
          code: 'config.entra.additional-groups',
          suggestions: [
            'Map the Entra groups you need under directory_users.groups instead of additional_groups rules.',
          ],
        },
      )
    const task = this.context.progress?.start(`Reading users from Microsoft Graph (tenant ${this.settings.tenantId})`)
    const properties = selectedProperties(this.settings.templates, selection.extendedAttributes)
    const users: UserMap = new Map()
    const warnings: string[] = []
    const keep = (graph: Record<string, unknown>): DirectoryUser | null => {
      const id = String(graph.id)
      const known = users.get(id)
      if (known !== undefined) return known
      const result = toDirectoryUser(graph, this.settings.templates, {
        properties,
        ...(this.settings.identityType ? { identityType: this.settings.identityType } : {}),
      })
      if ('skipped' in result) warnings.push(result.skipped)
      else if (result.warning) warnings.push(result.warning)
      const user = 'user' in result ? result.user : null
      users.set(id, user)
      return user
    }
    try {
      if (selection.allUsers)
        await this.readAllUsers(properties, (items) => {
          for (const item of items) keep(item)
          task?.tick(items.length)
        })
      for (const group of selection.groups)
        await this.readGroup(group, properties, selection.allUsers, warnings, (item) => {
          if (selection.allUsers) return users.get(String(item.id)) ?? null
          const user = keep(item)
          task?.tick(1)
          return user
        })
    } finally {
      task?.end()
    }
    const list = [...users.values()].filter((u): u is DirectoryUser => u !== null)
    this.context.logger.debug(`entra: ${list.length} users read in ${this.client.http.requests} requests`)
    return { users: list, warnings }
  }

  private async readAllUsers(properties: string[], onPage: (items: Record<string, unknown>[]) => void): Promise<void> {
    const filter = this.settings.allUsersFilter
    const eventual = needsAdvanced(filter)
    const url = graphUrl(this.settings.graphBase, '/users', {
      $select: properties.join(','),
      $filter: filter,
      $top: String(PAGE_SIZE),
      $count: eventual ? 'true' : undefined,
    })
    for await (const page of this.client.pages({ url, what: 'users page', units: UNITS.users, eventual }))
      onPage(page as Record<string, unknown>[])
  }

  /**
   * Finds the groups named `name` (display names are not unique: every match is read, with a warning)
   * and adds `name` to the groups of each of their transitive user members that `member` returns.
   */
  private async readGroup(
    name: string,
    properties: string[],
    allUsers: boolean,
    warnings: string[],
    member: (item: Record<string, unknown>) => DirectoryUser | null,
  ): Promise<void> {
    const lookup = graphUrl(this.settings.graphBase, '/groups', {
      $filter: `displayName eq ${odataString(name)}`,
      $select: 'id,displayName',
    })
    const found = await this.client.get(lookup, `GET groups named "${name}"`, UNITS.groups, false)
    const groups = Array.isArray(found.value) ? (found.value as { id?: unknown }[]) : []
    if (groups.length === 0) {
      warnings.push(`No group found for: ${name}`)
      return
    }
    if (groups.length > 1)
      warnings.push(`${groups.length} Entra groups are named "${name}": the members of all of them are read`)
    for (const group of groups) {
      const url = graphUrl(
        this.settings.graphBase,
        `/groups/${encodeURIComponent(String(group.id))}/transitiveMembers/microsoft.graph.user`,
        {
          $select: properties.join(','),
          // With --users all the users are known already (all_users_filter applied to them).
          $filter: allUsers ? undefined : this.settings.allUsersFilter,
          $top: String(PAGE_SIZE),
          $count: 'true',
        },
      )
      for await (const page of this.client.pages({
        url,
        what: `members page of group "${name}"`,
        units: UNITS.members,
        eventual: true,
      }))
        for (const item of page as Record<string, unknown>[]) {
          const user = member(item)
          if (user && !user.groups.includes(name)) user.groups.push(name)
        }
    }
  }
}
