import {
  ConfigError,
  type DirectoryUser,
  type IdentityType,
  isEmailAddress,
  SourceError,
  type TargetAttributes,
} from '@ust-sync/api'
import { parseAdobeGroup } from '../config/adobe-group.js'
import type { AdditionalGroupRule, AdobeGroupRef, UstConfig } from '../config/types.js'
import type { SyncOptions } from './options.types.js'
import type { DesiredState, DesiredUser } from './plan.types.js'
import { addGroup, callHook, groupId, hookGroups, type MappingHookStep, qualifiedName } from './mapping-hook.js'
import { TargetNames } from './target-names.js'
import { domainOf, present, userKey } from './user-key.js'

/** Directory group names compare trimmed and case-insensitively (a UST defect fixed). */
const normalGroup = (name: string): string => name.trim().toLowerCase()

/**
 * UST's `additional_groups` rule on one directory group: `source.match(group)` (a prefix match), then the
 * target's group name is `source.sub(name, group)`; the org comes from the target as written.
 */
function applyRule(rule: AdditionalGroupRule, group: string, file: string): AdobeGroupRef | undefined {
  if (!rule.source.test(group)) return undefined
  const target = parseAdobeGroup(rule.target)
  try {
    return { target: target.target, name: rule.source.sub(target.name, group).trim() }
  } catch (error) {
    throw new ConfigError(`Additional group resolution error: ${(error as Error).message}`, {
      issues: [{ file, path: 'directory_users.additional_groups', message: (error as Error).message }],
      suggestions: [`fix the target of the rule '${rule.source.source}'`],
    })
  }
}

/** The mapping of one distinct directory group: Adobe groups from `groups` and `additional_groups`. */
interface GroupResult {
  refs: AdobeGroupRef[]
  /** How many of `refs` (the first ones) come from `directory_users.groups` (what a mapping hook sees). */
  mappedCount: number
}

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
  const targets = new TargetNames(config)
  const mappedGroups = new Map<string, Map<string, string>>()
  const addMapped = (ref: AdobeGroupRef): void => {
    let groups = mappedGroups.get(ref.target)
    if (!groups) mappedGroups.set(ref.target, (groups = new Map()))
    const lower = ref.name.toLowerCase()
    if (!groups.has(lower)) groups.set(lower, ref.name)
  }

  const mappingByGroup = new Map<string, { spelled: string; refs: AdobeGroupRef[] }>()
  for (const mapping of config.directoryUsers.groups) {
    const key = normalGroup(mapping.directoryGroup)
    const entry = mappingByGroup.get(key) ?? { spelled: mapping.directoryGroup, refs: [] }
    for (const ref of mapping.adobeGroups) {
      const unknown = targets.unknown(ref)
      if (unknown) {
        throw new ConfigError(
          `Group mapping of '${mapping.directoryGroup}' names target '${ref.target}', which adobe_users.connectors does not define`,
          {
            issues: [
              {
                file: config.file,
                path: 'directory_users.groups',
                message: `${unknown.message} in '${ref.target}::${ref.name}'`,
                suggestion: unknown.suggestion,
              },
            ],
          },
        )
      }
      entry.refs.push(ref)
      addMapped(ref)
    }
    mappingByGroup.set(key, entry)
  }

  /** Groups a mapping hook may assign (`target::name` lower-cased): the mapping's and `extended_adobe_groups`. */
  const knownGroups = new Map<string, AdobeGroupRef>()
  if (hook) {
    for (const entry of mappingByGroup.values()) for (const ref of entry.refs) knownGroups.set(groupId(ref), ref)
    for (const ref of hook.adobeGroups) {
      const unknown = targets.unknown(ref)
      if (unknown) {
        throw new ConfigError(
          `Mapping hook group '${qualifiedName(ref)}' names an org adobe_users.connectors does not define`,
          {
            issues: [
              {
                file: config.file,
                path: 'directory_users.extension',
                message: unknown.message,
                suggestion: unknown.suggestion,
              },
            ],
          },
        )
      }
      if (!knownGroups.has(groupId(ref))) knownGroups.set(groupId(ref), ref)
      addMapped(ref)
    }
  }

  /** Lower-cased `target::group` produced by additional_groups → the source groups producing it. */
  const additionalSources = new Map<string, { ref: AdobeGroupRef; sources: Set<string> }>()
  const caseOnlyWarned = new Set<string>()

  const groupCache = new Map<string, GroupResult>()
  const resolveGroup = (group: string): GroupResult => {
    let result = groupCache.get(group)
    if (result) return result
    const trimmed = group.trim()
    const mapping = mappingByGroup.get(trimmed.toLowerCase())
    const refs: AdobeGroupRef[] = mapping ? [...mapping.refs] : []
    const mappedCount = refs.length
    if (mapping && mapping.spelled !== group && !caseOnlyWarned.has(group)) {
      caseOnlyWarned.add(group)
      warnings.push(
        `Directory group '${group}' matches the mapping of '${mapping.spelled}' only when case and surrounding spaces are ignored; it is mapped (UST 2.10 would ignore it)`,
      )
    }
    for (const rule of config.directoryUsers.additionalGroups) {
      const ref = applyRule(rule, trimmed, config.file)
      if (!ref) continue
      const unknown = targets.unknown(ref)
      if (unknown) {
        throw new ConfigError(
          `Additional group rule '${rule.source.source}' maps '${trimmed}' to '${ref.target}::${ref.name}', but adobe_users.connectors defines no target '${ref.target}'`,
          {
            issues: [
              {
                file: config.file,
                path: 'directory_users.additional_groups',
                message: unknown.message,
                suggestion: unknown.suggestion,
              },
            ],
          },
        )
      }
      refs.push(ref)
      addMapped(ref)
      const id = `${ref.target}::${ref.name.toLowerCase()}`
      const entry = additionalSources.get(id) ?? { ref, sources: new Set<string>() }
      entry.sources.add(trimmed)
      additionalSources.set(id, entry)
    }
    result = { refs, mappedCount }
    groupCache.set(group, result)
    return result
  }

  /** Users with the same directory groups share one (immutable) desired-groups map, found through a trie of group names. */
  interface Node {
    next: Map<string, Node>
    desired?: ReadonlyMap<string, readonly string[]>
  }
  const root: Node = { next: new Map() }
  const desiredGroupsOf = (groups: readonly string[]): ReadonlyMap<string, readonly string[]> => {
    let node = root
    for (const group of groups) {
      let child = node.next.get(group)
      if (!child) node.next.set(group, (child = { next: new Map() }))
      node = child
    }
    if (node.desired) return node.desired
    const byTarget = new Map<string, string[]>()
    for (const group of groups) for (const ref of resolveGroup(group).refs) addGroup(byTarget, ref)
    node.desired = byTarget
    return byTarget
  }

  const groupFilter =
    options.users.kind === 'group'
      ? new Set(options.users.groups.map(normalGroup))
      : options.users.kind === 'mapped'
        ? new Set(mappingByGroup.keys())
        : undefined

  /**
   * What a user's group list decides, computed once per distinct list: a source may hand the same array to
   * many users (the csv source does), so the cache is keyed by the array itself; its group names are
   * checked for control characters the first time the list is seen.
   */
  interface GroupsInfo {
    /** Set once a user with this list is kept (the mapping of a skipped user's groups is never resolved). */
    desired?: ReadonlyMap<string, readonly string[]>
    /** Whether the list passes the `--users group|mapped` filter. */
    selected: boolean
  }
  const infoByList = new Map<readonly string[], GroupsInfo>()
  const groupsInfo = (source: DirectoryUser): GroupsInfo => {
    const groups = source.groups
    const known = infoByList.get(groups)
    if (known) return known
    let selected = !groupFilter
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i] as string
      refuseControlCharacter(source, 'group', group)
      if (!selected && groupFilter?.has(normalGroup(group))) selected = true
    }
    const info: GroupsInfo = { desired: undefined, selected }
    // Bounded: a source giving each user its own array gains nothing from remembering them all.
    if (infoByList.size < MAX_REMEMBERED) infoByList.set(groups, info)
    return info
  }
  const countries = new Interned()
  const domains = new Interned()
  const unknownWarned = new Set<string>()
  /** A hooked user's desired groups: the hook's (known ones only), then `additional_groups` (UST's order). */
  const hookedGroups = (hooked: MappingHookStep, source: DirectoryUser) => {
    const mapped = new Set<string>()
    for (const group of source.groups) {
      const { refs, mappedCount } = resolveGroup(group)
      for (let i = 0; i < mappedCount; i++) mapped.add(qualifiedName(refs[i] as AdobeGroupRef))
    }
    const out = callHook(hooked, source, mapped)
    const byTarget = hookGroups(out.groups, knownGroups, (name) => {
      if (unknownWarned.has(name)) return
      unknownWarned.add(name)
      warnings.push(
        `Target adobe group ${name} is not known; ignored (the mapping hook gave it to ${source.origin ?? source.email}; add it to extended_adobe_groups)`,
      )
    })
    for (const group of source.groups) {
      const { refs, mappedCount } = resolveGroup(group)
      for (let i = mappedCount; i < refs.length; i++) addGroup(byTarget, refs[i] as AdobeGroupRef)
    }
    return { attributes: out.attributes, groups: byTarget }
  }

  /** Users by key, in read order; a later record with the same key replaces the earlier one (UST). */
  const byKey = new Map<string, DesiredUser>()
  const unselected = new Set<DesiredUser>()
  /** UST's user key parts from directory (or hook) values; undefined (and a warning) when the key would be empty. */
  const identityOf = (fields: Fields, identityType: IdentityType, origin: string | undefined) => {
    const email = fields.email?.trim() ?? ''
    const username = identityType === 'adobeID' ? email : (present(fields.username) ?? email)
    const domain = present(fields.domain) ?? domains.of(domainOf(username.includes('@') ? username : email))
    if (!email || !username || (!username.includes('@') && !domain)) {
      warnings.push(`Ignoring directory user with empty user key: ${origin ?? (email || username || '(no email)')}`)
      return undefined
    }
    return { email, username, domain, key: userKey(identityType, username, domain, email) }
  }

  for (const source of directoryUsers) {
    refuseControlCharacters(source, source)
    const groups = groupsInfo(source)
    const identityType = source.identityType ?? config.directoryUsers.userIdentityType
    let fields: Fields = source
    let id = identityOf(fields, identityType, source.origin)
    if (!id) continue
    const selected = groups.selected && (!options.userFilter || options.userFilter.test(id.key.split(',')[1] ?? ''))
    let desired: ReadonlyMap<string, readonly string[]> | undefined
    if (hook && selected) {
      const hooked = hookedGroups(hook, source)
      fields = nullsAsAbsent(hooked.attributes)
      refuseControlCharacters(source, fields)
      id = identityOf(fields, identityType, source.origin)
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
      groups: desired ?? (groups.desired ??= desiredGroupsOf(source.groups)),
      origin: source.origin,
      notCreatable: source.notCreatable ?? notAnAddress(email, source.origin),
    }
    const previous = byKey.get(key)
    if (previous) unselected.delete(previous)
    byKey.set(key, user)
    if (!selected) unselected.add(user)
  }

  const conflicts = [...additionalSources.values()].filter((entry) => entry.sources.size > 1)
  if (conflicts.length > 0) {
    throw new ConfigError('Additional group resolution conflict', {
      code: 'config.additional-groups-conflict',
      issues: conflicts.map((c) => ({
        file: config.file,
        path: 'directory_users.additional_groups',
        message: `Additional group resolution conflict: [${[...c.sources].map((s) => `'${s}'`).join(', ')}] map to '${c.ref.name}' on '${c.ref.target === 'primary' ? 'primary org' : c.ref.target}'`,
        suggestion:
          'make the rules produce distinct Adobe groups, or map these directory groups explicitly under directory_users.groups',
      })),
    })
  }

  const users: DesiredUser[] = []
  for (const user of byKey.values()) if (!unselected.has(user)) users.push(user)
  return { directoryUsersRead: byKey.size, users, mappedGroups, warnings }
}

/**
 * Why a user whose email is not an address is never created (whatever the source): kept for matching, so an
 * existing account is still compared and never looks Adobe-only, but not created with a bad address.
 */
function notAnAddress(email: string, origin: string | undefined): string | undefined {
  if (isEmailAddress(email)) return undefined
  return `${origin ?? 'a directory user'}: email "${email}" is not an email address; the user is not created (fix it in the directory)`
}

/** At most this many group lists (by identity, see `groupsInfo`) or interned values are remembered. */
const MAX_REMEMBERED = 10_000

/** One copy of each repeated short value (a country, a domain) for the whole desired state. */
class Interned {
  private readonly values = new Map<string, string>()

  of(value: string): string {
    const known = this.values.get(value)
    if (known !== undefined) return known
    if (this.values.size < MAX_REMEMBERED) this.values.set(value, value)
    return value
  }
}

/** The user fields mapping reads: a directory user's, or what a mapping hook left. */
type Fields = Pick<DirectoryUser, 'email' | 'username' | 'domain' | 'firstname' | 'lastname' | 'country'>

/** A hook's attributes with null read as absent. */
function nullsAsAbsent(attributes: TargetAttributes): Fields {
  const { email, username, domain, firstname, lastname, country } = attributes
  return {
    email: email ?? '',
    username: username ?? undefined,
    domain: domain ?? undefined,
    firstname: firstname ?? undefined,
    lastname: lastname ?? undefined,
    country: country ?? undefined,
  }
}

/** {@link refuseControlCharacter} on every field, in order. */
function refuseControlCharacters(user: DirectoryUser, fields: Fields): void {
  refuseControlCharacter(user, 'email', fields.email)
  refuseControlCharacter(user, 'username', fields.username)
  refuseControlCharacter(user, 'domain', fields.domain)
  refuseControlCharacter(user, 'firstname', fields.firstname)
  refuseControlCharacter(user, 'lastname', fields.lastname)
  refuseControlCharacter(user, 'country', fields.country)
}

/** C0 control characters (TAB aside) and DEL: never part of a name, an address or a group. */
const CONTROL = /[\u0000-\u0008\u000A-\u001F\u007F]/

/**
 * A directory value holding a NUL byte or another control character stops the run (whatever the source),
 * naming where the record came from: such a value is corrupt input, and guessing could create, rename or
 * (by not matching) remove the wrong account. Fields are checked in the order email, username, domain,
 * firstname, lastname, country, groups: the first offending one is named.
 */
function refuseControlCharacter(user: DirectoryUser, field: string, value: string | undefined): void {
  if (typeof value !== 'string' || !CONTROL.test(value)) return
  const found = CONTROL.exec(value) as RegExpExecArray
  const code = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
  throw new SourceError(
    `${user.origin ?? 'a directory user'}: the ${field} contains a control character (${code}); nothing was changed`,
    { code: 'source.control-character', suggestions: ['Fix that value in the directory, then run again'] },
  )
}
