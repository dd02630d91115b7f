import { ConfigError, type DirectoryUser } from '@ust-sync/api'
import { parseAdobeGroup } from '../config/adobe-group.js'
import type { AdditionalGroupRule, AdobeGroupRef, UstConfig } from '../config/types.js'
import { addGroup, callHook, groupId, hookGroups, type MappingHookStep, qualifiedName } from './mapping-hook.js'
import type { SyncOptions } from './options.types.js'
import type { TargetAttributes } from '@ust-sync/api'
import { TargetNames } from './target-names.js'
import { refuseControlCharacter } from './user-fields.js'

/** Directory group names compare trimmed and case-insensitively (a UST defect fixed). */
export const normalGroup = (name: string): string => name.trim().toLowerCase()

/** At most this many group lists (by identity, see {@link GroupResolver.groupsInfo}) are remembered. */
const MAX_REMEMBERED = 10_000

/** The mapping of one distinct directory group: Adobe groups from `groups` and `additional_groups`. */
interface GroupResult {
  refs: AdobeGroupRef[]
  /** How many of `refs` (the first ones) come from `directory_users.groups` (what a mapping hook sees). */
  mappedCount: number
}

/** What a user's group list decides, computed once per distinct list (see {@link GroupResolver.groupsInfo}). */
export interface GroupsInfo {
  /**
   * Set once a user with this list is kept (the mapping of a skipped user's groups is never resolved);
   * undefined until then (the key is always there: one object shape).
   */
  desired: ReadonlyMap<string, readonly string[]> | undefined
  /** Whether the list passes the `--users group|mapped` filter. */
  selected: boolean
}

/** Users with the same directory groups share one (immutable) desired-groups map, found through a trie. */
interface Node {
  next: Map<string, Node>
  desired?: ReadonlyMap<string, readonly string[]>
}

/**
 * UST's group rules for one mapping run: `directory_users.groups` (with `org::Group` targets),
 * `additional_groups` rules, the groups a mapping hook may assign, and the `--users group|mapped`
 * selection. Each distinct directory group and group list is resolved once. Warnings go to `warnings`, in
 * the order users are read.
 */
export class GroupResolver {
  /** Target → lower-cased group name → the name as written in the config (every group a run manages). */
  readonly mappedGroups = new Map<string, Map<string, string>>()
  private readonly targets: TargetNames
  private readonly mappingByGroup = new Map<string, { spelled: string; refs: AdobeGroupRef[] }>()
  /** Groups a mapping hook may assign (`target::name` lower-cased): the mapping's and `extended_adobe_groups`. */
  private readonly knownGroups = new Map<string, AdobeGroupRef>()
  /** Lower-cased `target::group` produced by additional_groups → the source groups producing it. */
  private readonly additionalSources = new Map<string, { ref: AdobeGroupRef; sources: Set<string> }>()
  private readonly caseOnlyWarned = new Set<string>()
  private readonly unknownWarned = new Set<string>()
  private readonly groupCache = new Map<string, GroupResult>()
  private readonly infoByList = new Map<readonly string[], GroupsInfo>()
  private readonly root: Node = { next: new Map() }
  private readonly groupFilter: Set<string> | undefined
  private readonly config: UstConfig
  private readonly warnings: string[]

  // No parameter properties: the benchmarks run this file with Node's type stripping.
  constructor(config: UstConfig, options: SyncOptions, warnings: string[], hook?: MappingHookStep) {
    this.config = config
    this.warnings = warnings
    this.targets = new TargetNames(config)
    this.indexMappings()
    if (hook) this.indexHookGroups(hook)
    this.groupFilter =
      options.users.kind === 'group'
        ? new Set(options.users.groups.map(normalGroup))
        : options.users.kind === 'mapped'
          ? new Set(this.mappingByGroup.keys())
          : undefined
  }

  /**
   * The selection and desired groups of a user's group list, computed once per distinct list: a source may
   * hand the same array to many users (the csv source does), so the cache is keyed by the array itself; its
   * group names are checked for control characters the first time the list is seen.
   */
  groupsInfo(source: DirectoryUser): GroupsInfo {
    const groups = source.groups
    const known = this.infoByList.get(groups)
    if (known) return known
    let selected = !this.groupFilter
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i] as string
      refuseControlCharacter(source, 'group', group)
      if (!selected && this.groupFilter?.has(normalGroup(group))) selected = true
    }
    const info: GroupsInfo = { desired: undefined, selected }
    // Bounded: a source giving each user its own array gains nothing from remembering them all.
    if (this.infoByList.size < MAX_REMEMBERED) this.infoByList.set(groups, info)
    return info
  }

  /** The desired groups per target of a group list (one shared map per distinct list). */
  desiredGroupsOf(groups: readonly string[]): ReadonlyMap<string, readonly string[]> {
    let node = this.root
    for (const group of groups) {
      let child = node.next.get(group)
      if (!child) node.next.set(group, (child = { next: new Map() }))
      node = child
    }
    if (node.desired) return node.desired
    const byTarget = new Map<string, string[]>()
    for (const group of groups) for (const ref of this.resolveGroup(group).refs) addGroup(byTarget, ref)
    node.desired = byTarget
    return byTarget
  }

  /** A hooked user's attributes and desired groups: the hook's (known ones only), then `additional_groups` (UST's order). */
  hookedGroups(
    hook: MappingHookStep,
    source: DirectoryUser,
  ): { attributes: TargetAttributes; groups: Map<string, string[]> } {
    const mapped = new Set<string>()
    for (const group of source.groups) {
      const { refs, mappedCount } = this.resolveGroup(group)
      for (let i = 0; i < mappedCount; i++) mapped.add(qualifiedName(refs[i] as AdobeGroupRef))
    }
    const out = callHook(hook, source, mapped)
    const byTarget = hookGroups(out.groups, this.knownGroups, (name) => {
      if (this.unknownWarned.has(name)) return
      this.unknownWarned.add(name)
      this.warnings.push(
        `Target adobe group ${name} is not known; ignored (the mapping hook gave it to ${source.origin ?? source.email}; add it to extended_adobe_groups)`,
      )
    })
    for (const group of source.groups) {
      const { refs, mappedCount } = this.resolveGroup(group)
      for (let i = mappedCount; i < refs.length; i++) addGroup(byTarget, refs[i] as AdobeGroupRef)
    }
    return { attributes: out.attributes, groups: byTarget }
  }

  /** Two source groups producing one target group through `additional_groups` is an error, as in UST. */
  checkAdditionalConflicts(): void {
    const conflicts = [...this.additionalSources.values()].filter((entry) => entry.sources.size > 1)
    if (conflicts.length === 0) return
    throw new ConfigError('Additional group resolution conflict', {
      code: 'config.additional-groups-conflict',
      issues: conflicts.map((c) => ({
        file: this.config.file,
        path: 'directory_users.additional_groups',
        message: `Additional group resolution conflict: [${[...c.sources].map((s) => `'${s}'`).join(', ')}] map to '${c.ref.name}' on '${c.ref.target === 'primary' ? 'primary org' : c.ref.target}'`,
        suggestion:
          'make the rules produce distinct Adobe groups, or map these directory groups explicitly under directory_users.groups',
      })),
    })
  }

  private addMapped(ref: AdobeGroupRef): void {
    let groups = this.mappedGroups.get(ref.target)
    if (!groups) this.mappedGroups.set(ref.target, (groups = new Map()))
    const lower = ref.name.toLowerCase()
    if (!groups.has(lower)) groups.set(lower, ref.name)
  }

  /** A ConfigError for a group reference to an org `adobe_users.connectors` does not define, or nothing. */
  private checkTarget(ref: AdobeGroupRef, message: string, path: string, detail?: string): void {
    const unknown = this.targets.unknown(ref)
    if (!unknown) return
    throw new ConfigError(message, {
      issues: [
        {
          file: this.config.file,
          path,
          message: detail ? `${unknown.message} ${detail}` : unknown.message,
          suggestion: unknown.suggestion,
        },
      ],
    })
  }

  private indexMappings(): void {
    for (const mapping of this.config.directoryUsers.groups) {
      const key = normalGroup(mapping.directoryGroup)
      const entry = this.mappingByGroup.get(key) ?? { spelled: mapping.directoryGroup, refs: [] }
      for (const ref of mapping.adobeGroups) {
        this.checkTarget(
          ref,
          `Group mapping of '${mapping.directoryGroup}' names target '${ref.target}', which adobe_users.connectors does not define`,
          'directory_users.groups',
          `in '${ref.target}::${ref.name}'`,
        )
        entry.refs.push(ref)
        this.addMapped(ref)
      }
      this.mappingByGroup.set(key, entry)
    }
  }

  private indexHookGroups(hook: MappingHookStep): void {
    for (const entry of this.mappingByGroup.values())
      for (const ref of entry.refs) this.knownGroups.set(groupId(ref), ref)
    for (const ref of hook.adobeGroups) {
      this.checkTarget(
        ref,
        `Mapping hook group '${qualifiedName(ref)}' names an org adobe_users.connectors does not define`,
        'directory_users.extension',
      )
      if (!this.knownGroups.has(groupId(ref))) this.knownGroups.set(groupId(ref), ref)
      this.addMapped(ref)
    }
  }

  private resolveGroup(group: string): GroupResult {
    let result = this.groupCache.get(group)
    if (result) return result
    const trimmed = group.trim()
    const mapping = this.mappingByGroup.get(trimmed.toLowerCase())
    const refs: AdobeGroupRef[] = mapping ? [...mapping.refs] : []
    const mappedCount = refs.length
    if (mapping && mapping.spelled !== group && !this.caseOnlyWarned.has(group)) {
      this.caseOnlyWarned.add(group)
      this.warnings.push(
        `Directory group '${group}' matches the mapping of '${mapping.spelled}' only when case and surrounding spaces are ignored; it is mapped (UST 2.10 would ignore it)`,
      )
    }
    for (const rule of this.config.directoryUsers.additionalGroups) {
      const ref = applyRule(rule, trimmed, this.config.file)
      if (!ref) continue
      this.checkTarget(
        ref,
        `Additional group rule '${rule.source.source}' maps '${trimmed}' to '${ref.target}::${ref.name}', but adobe_users.connectors defines no target '${ref.target}'`,
        'directory_users.additional_groups',
      )
      refs.push(ref)
      this.addMapped(ref)
      const id = `${ref.target}::${ref.name.toLowerCase()}`
      const entry = this.additionalSources.get(id) ?? { ref, sources: new Set<string>() }
      entry.sources.add(trimmed)
      this.additionalSources.set(id, entry)
    }
    result = { refs, mappedCount }
    this.groupCache.set(group, result)
    return result
  }
}

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
