import type { DirectoryUser, Logger, MappingHookUser, TargetAttributes } from '@ust-sync/api'
import { parseAdobeGroup } from '../config/adobe-group.js'
import type { AdobeGroupRef } from '../config/types.js'

/**
 * The mapping hook as the engine sees it: a plain function (the orchestration creates the plugin's hook,
 * guarded, and hands it over), the storage that lives for the run, and the groups it may assign.
 */
export interface MappingHookStep {
  /** Called per selected user; throws a PluginError to stop the run. */
  afterMapping(user: MappingHookUser): void
  storage: Record<string, unknown>
  logger: Logger
  /**
   * `extended_adobe_groups` of the config and of the hook: groups the hook may assign, managed like mapped
   * groups (removed from users the hook did not give them to, auto-created, read with `--adobe-users mapped`).
   */
  adobeGroups: readonly AdobeGroupRef[]
}

/** `Group` for the primary org, `org::Group` otherwise (UST's qualified name). */
export function qualifiedName(ref: AdobeGroupRef): string {
  return ref.target === 'primary' ? ref.name : `${ref.target}::${ref.name}`
}

/** `target::name` lower-cased: how the hook's group names are looked up (Adobe group names ignore case). */
export function groupId(ref: AdobeGroupRef): string {
  return `${ref.target}::${ref.name.toLowerCase()}`
}

/** UST's `source_attributes` when a source gave none: the standard fields. */
function standardAttributes(user: DirectoryUser): Record<string, string | undefined> {
  const { email, username, domain, firstname, lastname, country, identityType } = user
  return { email, username, domain, firstname, lastname, country, identity_type: identityType }
}

/**
 * Calls the hook for one user with UST's scope: copies of the source attributes and groups, the target
 * attributes as the directory gave them (username defaults to the email), and the Adobe groups mapped by
 * `directory_users.groups` (`mapped`). Returns what the hook left.
 */
export function callHook(
  hook: MappingHookStep,
  source: DirectoryUser,
  mapped: ReadonlySet<string>,
): { attributes: TargetAttributes; groups: Iterable<string> } {
  const user: MappingHookUser = {
    sourceAttributes: { ...(source.attributes ?? standardAttributes(source)) },
    sourceGroups: new Set(source.groups),
    targetAttributes: {
      email: source.email,
      username: source.username ?? source.email,
      domain: source.domain,
      firstname: source.firstname,
      lastname: source.lastname,
      country: source.country,
    },
    targetGroups: new Set(mapped),
    storage: hook.storage,
    logger: hook.logger,
    ...(source.origin ? { origin: source.origin } : {}),
  }
  hook.afterMapping(user)
  return { attributes: user.targetAttributes, groups: user.targetGroups }
}

/**
 * The hook's group names as desired groups by target (lower-cased). A name that is not a known group (of
 * the `groups` mapping or `extended_adobe_groups`) is reported through `unknown` and ignored, as in UST.
 */
export function hookGroups(
  names: Iterable<string>,
  known: ReadonlyMap<string, AdobeGroupRef>,
  unknown: (name: string) => void,
): Map<string, string[]> {
  const byTarget = new Map<string, string[]>()
  for (const name of names) {
    const ref = known.get(groupId(parseAdobeGroup(name)))
    if (!ref) {
      unknown(name)
      continue
    }
    addGroup(byTarget, ref)
  }
  return byTarget
}

/** Adds `ref` (lower-cased) to its target's list, once. */
export function addGroup(byTarget: Map<string, string[]>, ref: AdobeGroupRef): void {
  const lower = ref.name.toLowerCase()
  const list = byTarget.get(ref.target)
  if (!list) byTarget.set(ref.target, [lower])
  else if (!list.includes(lower)) list.push(lower)
}
