import type { DirectoryUser, Logger, ProgressTask, SourceSelection } from '@ust-sync/api'
import { oktaGroupName, type OktaOptions } from './config/okta-options.js'
import { matches } from './filter/evaluate.js'
import { toOktaFilter } from './filter/to-okta-filter.js'
import type { OktaClient } from './okta-client.js'
import { convertUser, isOktaUser, type OktaUser } from './okta-user.js'

/** Users per page: Okta's documented maximum for `/api/v1/users`, and its advice for group members. */
export const PAGE_SIZE = 200

/** A group as listed by `/api/v1/groups`. */
interface OktaGroup {
  id: string
  profile?: { name?: unknown }
}

/**
 * One read of an Okta org: the members of each selected group (found by exact `profile.name`, as UST),
 * and with `--users all` every user Okta lists; each user passes `all_users_filter` or is left out.
 * Users are merged by Okta id and carry the selected groups they are in.
 */
export class DirectoryReader {
  readonly warnings: string[] = []
  private readonly byId = new Map<string, DirectoryUser>()
  /** Users skipped once (no email…): not converted and warned about again when listed in another group. */
  private readonly skipped = new Set<string>()
  /** `extended_attributes` to copy into each user's attributes. */
  private extended: readonly string[] = []

  constructor(
    private readonly client: OktaClient,
    private readonly options: OktaOptions,
    private readonly logger: Logger,
    private readonly task?: ProgressTask,
  ) {}

  /** Every user Okta lists (deprovisioned users excepted) that passes all_users_filter. */
  async readAllUsers(): Promise<void> {
    const filter = toOktaFilter(this.options.allUsersFilter.expr)
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) })
    if (filter) query.set('filter', filter)
    this.logger.debug(`okta: reading all users${filter ? ` with filter=${filter}` : ''}`)
    for await (const page of this.client.pages(`/api/v1/users?${query}`, 'GET /api/v1/users')) {
      // Without a query Okta leaves deprovisioned users out; with `filter` it lists them: leave them out too.
      this.take(page, undefined, (user) => !filter || user.status !== 'DEPROVISIONED')
    }
  }

  /** The members of one directory group; a group Okta does not have is a warning, as in UST. */
  async readGroup(group: string): Promise<void> {
    const name = oktaGroupName(this.options.groupFilterFormat, group)
    const found = await this.findGroup(name)
    if (!found) {
      this.warnings.push(`No group found for: ${name}`)
      return
    }
    const path = `/api/v1/groups/${encodeURIComponent(found.id)}/users?limit=${PAGE_SIZE}`
    for await (const page of this.client.pages(path, `GET members of group "${name}"`)) this.take(page, group)
  }

  /** The users read, in the order first seen. */
  users(): DirectoryUser[] {
    return [...this.byId.values()]
  }

  /** Okta's `q` matches names that start with the text (exact matches first): the exact name is picked. */
  private async findGroup(name: string): Promise<OktaGroup | undefined> {
    const reply = await this.client.get(`/api/v1/groups?${new URLSearchParams({ q: name })}`, `GET group "${name}"`)
    const groups = Array.isArray(reply.json) ? (reply.json as OktaGroup[]) : []
    return groups.find((g) => typeof g?.id === 'string' && g.profile?.name === name)
  }

  private take(page: unknown[], group: string | undefined, keep: (user: OktaUser) => boolean = () => true): void {
    this.task?.tick(page.length)
    for (const item of page) {
      if (!isOktaUser(item)) {
        this.warnings.push(`Skipping an Okta list entry that is not a user: ${JSON.stringify(item).slice(0, 80)}`)
        continue
      }
      if (!keep(item) || !matches(this.options.allUsersFilter.expr, item)) continue
      const user = this.byId.get(item.id) ?? this.add(item)
      if (user && group !== undefined && !user.groups.includes(group)) user.groups.push(group)
    }
  }

  private add(item: OktaUser): DirectoryUser | undefined {
    if (this.skipped.has(item.id)) return undefined
    const result = convertUser(item, this.options.templates, this.extended, this.options.userIdentityType)
    if ('skipped' in result) {
      this.skipped.add(item.id)
      this.warnings.push(result.skipped)
      return undefined
    }
    if (result.warning) this.warnings.push(result.warning)
    this.byId.set(item.id, result.user)
    return result.user
  }

  /** Reads what `selection` asks. */
  async read(selection: SourceSelection): Promise<void> {
    this.extended = selection.extendedAttributes
    if (selection.memberGroups)
      this.warnings.push(
        'additional_groups rules are not applied with the Okta connector: it reads the mapped groups only (as UST does)',
      )
    if (selection.allUsers) await this.readAllUsers()
    for (const group of selection.groups) await this.readGroup(group)
  }
}
