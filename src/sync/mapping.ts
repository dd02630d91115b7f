import type { DirectoryUser, IdentityType } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import { GroupResolver } from './group-resolver.js'
import type { MappingHookStep } from './mapping-hook.js'
import type { SyncOptions } from './options.types.js'
import type { DesiredState, DesiredUser } from './plan.types.js'
import { type Fields, Interned, notAnAddress, nullsAsAbsent, refuseControlCharacters } from './user-fields.js'
import { domainOf, present, userKey } from './user-key.js'

/**
 * Maps directory users to the desired state per target (pure): UST's user keys, the selection
 * (`--users group|mapped`, `--user-filter`), group mapping with `org::Group` targets, `additional_groups`
 * rules (two source groups producing one target is a {@link ConfigError}, as in UST), identity type and
 * country defaults. Directory group names are trimmed and compared case-insensitively (a UST defect fixed).
 *
 * With a mapping `hook` (UST's `after_mapping_hook`), each selected user's attributes and mapped groups go
 * through it before `additional_groups` apply; the user key is computed again from what it leaves.
 *
 * `--exclude-unmapped-users` is applied by the planner (it only stops creations, as in UST).
 */
export function mapDirectoryUsers(
  directoryUsers: readonly DirectoryUser[],
  config: UstConfig,
  options: SyncOptions,
  hook?: MappingHookStep,
): DesiredState {
  const warnings: string[] = []
  const groups = new GroupResolver(config, options, warnings, hook)
  const identities = new Identities(warnings)
  const countries = new Interned()
  /** Users by key, in read order; a later record with the same key replaces the earlier one (UST). */
  const byKey = new Map<string, DesiredUser>()
  const unselected = new Set<DesiredUser>()
  for (const source of directoryUsers) {
    refuseControlCharacters(source, source)
    const info = groups.groupsInfo(source)
    const identityType = source.identityType ?? config.directoryUsers.userIdentityType
    let fields: Fields = source
    let id = identities.of(fields, identityType, source.origin)
    if (!id) continue
    const selected = info.selected && (!options.userFilter || options.userFilter.test(id.key.split(',')[1] ?? ''))
    let desired: ReadonlyMap<string, readonly string[]> | undefined
    if (hook && selected) {
      const hooked = groups.hookedGroups(hook, source)
      fields = nullsAsAbsent(hooked.attributes)
      refuseControlCharacters(source, fields)
      id = identities.of(fields, identityType, source.origin)
      if (!id) continue
      desired = hooked.groups
    }
    const { key, email } = id
    const country = present(fields.country)
    // One object shape for every user (absent values are undefined) keeps property access monomorphic.
    const user: DesiredUser = {
      key,
      identityType,
      email,
      username: id.username,
      domain: id.domain,
      firstname: present(fields.firstname),
      lastname: present(fields.lastname),
      country: country === undefined ? undefined : countries.of(country.toUpperCase()),
      groups: desired ?? (info.desired ??= groups.desiredGroupsOf(source.groups)),
      notCreatable: source.notCreatable ?? notAnAddress(email, source.origin),
    }
    const previous = byKey.get(key)
    if (previous) unselected.delete(previous)
    byKey.set(key, user)
    if (!selected) unselected.add(user)
  }
  groups.checkAdditionalConflicts()

  const users: DesiredUser[] = []
  for (const user of byKey.values()) if (!unselected.has(user)) users.push(user)
  return { directoryUsersRead: byKey.size, users, mappedGroups: groups.mappedGroups, warnings }
}

/** UST's user key parts from directory (or hook) values. */
class Identities {
  private readonly domains = new Interned()
  private readonly warnings: string[]

  constructor(warnings: string[]) {
    this.warnings = warnings
  }

  /** The key and its parts; undefined (and a warning) when the key would be empty. */
  of(fields: Fields, identityType: IdentityType, origin: string | undefined) {
    const email = fields.email?.trim() ?? ''
    const username = identityType === 'adobeID' ? email : (present(fields.username) ?? email)
    const domain = present(fields.domain) ?? this.domains.of(domainOf(username.includes('@') ? username : email))
    if (!email || !username || (!username.includes('@') && !domain)) {
      this.warnings.push(
        `Ignoring directory user with empty user key: ${origin ?? (email || username || '(no email)')}`,
      )
      return undefined
    }
    return { email, username, domain, key: userKey(identityType, username, domain, email) }
  }
}
