import { type DirectoryUser, type Logger, type ProgressTask, SourceError } from '@ust-sync/api'
import { type EntryResult, entryToUser, userAttributes } from './entry-to-user.js'
import type { LdapEntry } from './entry.js'
import { and, escapeFilterValue, fillFilter } from './filter.js'
import { normaliseDn } from './dn.js'
import { MAX_NESTING_DEPTH, memberValues } from './group-members.js'
import type { LdapOptions } from './ldap-options.js'
import { searchAll, searchPages, type SearchContext } from './search.js'

/** Base lookups sent at once on the connection (ldapts multiplexes requests by message id). */
const LOOKUP_BATCH = 200
/** Above this many members in one group (two-step lookup), all users are read once instead of one by one. */
const SCAN_THRESHOLD = 1000

/** An entry converted to a user (or the reason it is skipped), not yet recorded. */
interface Converted {
  key: string
  result: EntryResult
}

/** A group found and its members' entries, converted as their pages arrived. */
interface FetchedGroup {
  group: LdapEntry
  members: Converted[]
}

interface Known {
  user?: DirectoryUser
  /** Entry fetched, not a user: skipped (warned) or not matching all_users_filter. */
  skipped?: boolean
}

/**
 * One read of the directory: users of the selected groups (UST's member filter or two-step lookup, with
 * nested groups flattened) and, with `allUsers`, every user matching `all_users_filter`. Users are
 * collected by DN, so a user in several groups is one user with several group names.
 */
export class DirectoryReader {
  /** Every entry converted so far, by normalised DN (a cache: includes users read only for lookups). */
  private readonly byDn = new Map<string, Known>()
  /** The users the selection asked for, by normalised DN. */
  private readonly selected = new Map<string, DirectoryUser>()
  private scanned = false
  readonly warnings: string[] = []
  private readonly attributes: string[]

  constructor(
    private readonly context: SearchContext,
    private readonly options: LdapOptions,
    private readonly logger: Logger,
    private readonly extendedAttributes: string[],
    /** Ticked once per entry read (user or skipped), as entries arrive. */
    private readonly task?: ProgressTask,
  ) {
    const extra = [options.dynamicGroupAttribute, ...extendedAttributes]
    this.attributes = userAttributes(options.templates, extra)
  }

  /** The users read, in the order first seen. */
  users(): DirectoryUser[] {
    return [...this.selected.values()]
  }

  /**
   * Reads every user matching `all_users_filter` under `base_dn`; they are part of the result when
   * `select` (`--users all`), else only known for resolving group members.
   */
  async readAllUsers(select = true): Promise<void> {
    if (this.scanned) {
      if (select) for (const [key, known] of this.byDn) if (known.user) this.selected.set(key, known.user)
      return
    }
    let count = 0
    for await (const page of searchPages(this.context, {
      base: this.options.baseDn,
      filter: this.options.allUsersFilter,
      attributes: this.attributes,
      doing: 'reading all users',
    })) {
      for (const entry of page) {
        const user = this.remember(entry)
        if (user && select) this.selected.set(entry.key, user)
      }
      count += page.length
    }
    this.scanned = true
    this.logger.debug(`ldap: ${count} entries match all_users_filter under ${this.options.baseDn}`)
  }

  /**
   * Reads the members of each group named (as given in the mapping or `--users group`), in order. With the
   * member filter and a `second` connection, the next group is searched on it while this one's entries are
   * read: each connection runs one search at a time (OpenLDAP refuses a second paged search on a
   * connection), and the results are taken in order, so the users come out as they would one by one.
   */
  async readGroups(names: readonly string[], second?: SearchContext): Promise<void> {
    const { membership } = this.options
    if (membership.kind !== 'filter') {
      for (const name of names) {
        const group = await this.findGroup(this.context, name, [membership.memberAttribute])
        if (group) this.addMembers(name, group, await this.twoStepMembers(group, name, membership))
      }
      return
    }
    const lanes = second ? [this.context, second] : [this.context]
    const fetches = new Map<number, Promise<FetchedGroup | undefined>>()
    const start = (index: number): void => {
      const name = names[index]
      if (name === undefined) return
      const fetching = this.fetchMembers(lanes[index % lanes.length]!, name, membership.format)
      fetching.catch(() => undefined) // awaited in order below; a failure while another is awaited is not lost
      fetches.set(index, fetching)
    }
    for (let index = 0; index < lanes.length; index++) start(index)
    for (let index = 0; index < names.length; index++) {
      const fetched = await fetches.get(index)
      fetches.delete(index)
      start(index + lanes.length)
      if (!fetched) continue
      const members = new Map<string, DirectoryUser>()
      for (const converted of fetched.members) {
        const user = this.record(converted)
        if (user) members.set(converted.key, user)
      }
      this.addMembers(names[index]!, fetched.group, members)
    }
  }

  /**
   * The group's entry and every entry its member filter finds (all pages), searched on `context`. Each
   * page is converted as it arrives (conversion is pure; recording is left to the caller, in group order),
   * so ldapts' entries die young instead of being kept, and copied by the GC, while another group is read.
   */
  private async fetchMembers(context: SearchContext, name: string, format: string): Promise<FetchedGroup | undefined> {
    const group = await this.findGroup(context, name, ['1.1'])
    if (!group) return undefined
    const members: Converted[] = []
    for await (const page of searchPages(context, {
      base: this.options.baseDn,
      filter: and(fillFilter(format, { group_dn: group.dn }), this.options.allUsersFilter),
      attributes: this.attributes,
      doing: `reading members of group "${name}"`,
    }))
      for (const entry of page) members.push(this.convert(entry))
    return { group, members }
  }

  private addMembers(name: string, group: LdapEntry, members: Map<string, DirectoryUser>): void {
    for (const [key, user] of members) {
      addGroup(user, name)
      this.selected.set(key, user)
    }
    this.logger.debug(`ldap: ${members.size} users in group "${name}" (${group.dn})`)
  }

  /** Finds the one group entry for a name; undefined (with UST's warning) when there is none. */
  private async findGroup(context: SearchContext, name: string, attributes: string[]): Promise<LdapEntry | undefined> {
    const found = await searchAll(context, {
      base: this.options.baseDn,
      filter: fillFilter(this.options.groupFilterFormat, { group: name }),
      attributes,
      doing: `looking up group "${name}"`,
    })
    if (found.length > 1) {
      throw new SourceError(
        `Multiple LDAP groups found for "${name}" under ${this.options.baseDn} on ${context.server}: ${found.map((g) => g.dn).join('; ')}`,
        {
          code: 'source.ldap.ambiguous-group',
          suggestions: ['Make group_filter_format match one entry per name (e.g. restrict it by objectClass or OU).'],
        },
      )
    }
    if (found.length === 0) {
      this.warnings.push(`No group found for: ${name}`)
      return undefined
    }
    return found[0]
  }

  /**
   * Two-step lookup: the group's member attribute lists member DNs (or, for posixGroup's memberUid, uids);
   * each member that matches `all_users_filter` is a user. With `nested`, members that are groups are
   * followed too; a cycle is reported once and each group visited once; nesting deeper than
   * {@link MAX_NESTING_DEPTH} throws rather than drop users.
   */
  private async twoStepMembers(
    group: LdapEntry,
    name: string,
    { memberAttribute: attribute, nested }: { memberAttribute: string; nested: boolean },
  ): Promise<Map<string, DirectoryUser>> {
    const visited = new Set([normaliseDn(group.dn)])
    const users = new Map<string, DirectoryUser>()
    let level: { entry: LdapEntry; path: string[] }[] = [{ entry: group, path: [group.dn] }]
    for (let depth = 0; level.length > 0; depth++) {
      if (depth > MAX_NESTING_DEPTH) {
        throw new SourceError(
          `Group "${name}" is nested more than ${MAX_NESTING_DEPTH} levels deep (${level[0]!.path.join(' → ')}); its members were not read completely`,
          { code: 'source.ldap.nesting-depth', suggestions: ['Flatten the group nesting in the directory.'] },
        )
      }
      const next: { entry: LdapEntry; path: string[] }[] = []
      for (const { entry, path } of level) {
        const values = await memberValues(this.context, entry, attribute)
        if (values.length > SCAN_THRESHOLD) await this.readAllUsers(false)
        const dns = values.filter((value) => value.includes('='))
        const uids = values.filter((value) => !value.includes('='))
        for (const user of await this.usersByUid(uids)) users.set(normaliseDn(user.origin ?? user.email), user)
        for (const { dn, entry: found } of await this.lookup(dns, nested ? attribute : undefined)) {
          if (!found) {
            const known = this.byDn.get(normaliseDn(dn))
            if (known?.user) users.set(normaliseDn(dn), known.user)
            continue
          }
          if (!nested || !isGroup(found, attribute)) {
            const user = this.remember(found)
            if (user) users.set(normaliseDn(found.dn), user)
            continue
          }
          const key = normaliseDn(found.dn)
          if (visited.has(key)) {
            if (path.some((step) => normaliseDn(step) === key)) {
              this.warnings.push(
                `Nested group cycle under "${name}": ${[...path, found.dn].join(' → ')} (each group read once)`,
              )
            }
            continue
          }
          visited.add(key)
          next.push({ entry: found, path: [...path, found.dn] })
        }
      }
      level = next
    }
    return users
  }

  /**
   * Resolves member DNs: users already read are taken as they are; the others are read with base searches
   * (batched) filtered by `all_users_filter`, or by `(|all_users_filter(<memberAttribute>=*))` to also see
   * nested groups. After a full scan, a DN not read is not a user, so only groups are looked up.
   */
  private async lookup(
    dns: string[],
    groupAttribute?: string,
  ): Promise<{ dn: string; entry?: LdapEntry | undefined }[]> {
    const out: { dn: string; entry?: LdapEntry | undefined }[] = []
    const pending: string[] = []
    for (const dn of dns) {
      if (this.byDn.has(normaliseDn(dn))) out.push({ dn })
      else if (!this.scanned || groupAttribute) pending.push(dn)
    }
    const userFilter = this.options.allUsersFilter
    const filter = groupAttribute
      ? this.scanned
        ? `(${groupAttribute}=*)`
        : `(|${wrap(userFilter)}(${groupAttribute}=*))`
      : userFilter
    const attributes = groupAttribute ? [...this.attributes, groupAttribute] : this.attributes
    for (let start = 0; start < pending.length; start += LOOKUP_BATCH) {
      const batch = pending.slice(start, start + LOOKUP_BATCH)
      const results = await Promise.all(
        batch.map((dn) =>
          searchAll(this.context, { base: dn, scope: 'base', filter, attributes, doing: `reading member ${dn}` }).catch(
            (error: { code?: string }) => {
              // A member DN that no longer exists (or lies outside what we may read) is not a user.
              if (error?.code === 'source.ldap.no-such-object') return []
              throw error
            },
          ),
        ),
      )
      for (const [index, dn] of batch.entries()) out.push({ dn, entry: results[index]![0] })
    }
    return out
  }

  /** posixGroup members (`memberUid`): users found by uid, filtered by `all_users_filter`. */
  private async usersByUid(uids: string[]): Promise<DirectoryUser[]> {
    const users: DirectoryUser[] = []
    for (let start = 0; start < uids.length; start += LOOKUP_BATCH) {
      const batch = uids.slice(start, start + LOOKUP_BATCH)
      const results = await Promise.all(
        batch.map((uid) =>
          searchAll(this.context, {
            base: this.options.baseDn,
            filter: and(`(uid=${escapeFilterValue(uid)})`, this.options.allUsersFilter),
            attributes: this.attributes,
            doing: `reading member uid ${uid}`,
          }),
        ),
      )
      for (const entries of results)
        for (const entry of entries) {
          const user = this.remember(entry)
          if (user) users.push(user)
        }
    }
    return users
  }

  /** Records an entry read by a user search; returns its user unless it was skipped. */
  private remember(entry: LdapEntry): DirectoryUser | undefined {
    const known = this.byDn.get(entry.key)
    return known ? known.user : this.record(this.convert(entry))
  }

  /** The entry as a user, or why it is skipped (UST's rules; nothing recorded). */
  private convert(entry: LdapEntry): Converted {
    const result = entryToUser(entry, this.options.templates, {
      dynamicGroupAttribute: this.options.dynamicGroupAttribute,
      defaultIdentityType: this.options.userIdentityType,
      extendedAttributes: this.extendedAttributes,
    })
    return { key: entry.key, result }
  }

  /**
   * Records a converted entry, once per DN (a DN seen before keeps its first user): the progress tick, the
   * warnings in read order. Returns its user unless it was skipped.
   */
  private record({ key, result }: Converted): DirectoryUser | undefined {
    const known = this.byDn.get(key)
    if (known) return known.user
    this.task?.tick(1)
    if ('skipped' in result) {
      this.warnings.push(result.skipped)
      this.byDn.set(key, { skipped: true })
      return undefined
    }
    if (result.warning) this.warnings.push(result.warning)
    if (!result.user.identityType && this.options.userIdentityType)
      result.user.identityType = this.options.userIdentityType
    this.byDn.set(key, { user: result.user })
    return result.user
  }
}

function addGroup(user: DirectoryUser, name: string): void {
  if (!user.groups.some((known) => known.toLowerCase() === name.toLowerCase())) user.groups.push(name)
}

/** Whether an entry lists members under `attribute` (directly or as AD ranged values). */
function isGroup(entry: LdapEntry, attribute: string): boolean {
  const prefix = `${attribute.toLowerCase()};range=`
  return entry.values(attribute).length > 0 || entry.keys().some((key) => key.startsWith(prefix))
}

function wrap(filter: string): string {
  const trimmed = filter.trim()
  return trimmed.startsWith('(') ? trimmed : `(${trimmed})`
}
