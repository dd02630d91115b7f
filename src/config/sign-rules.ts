import type { ConfigIssue } from '@ust-sync/api'
import { issueAt, type YamlFile } from './read-yaml.js'
import type { AdobeGroupRef, SignMapping } from './types.js'

/** One `user_management` entry as written. */
interface Entry {
  directory_group: string
  sign_group?: string | null
  group_admin?: boolean | null
  account_admin?: boolean | null
}

/**
 * UST's `user_management` loading: entries grouped by directory group; a group's priority is the index
 * of its first entry; roles are the union over its entries; Sign groups keep YAML order without repeats
 * (compared ignoring case). `org::Group` splits at the last `::` (no `::`: the primary org); an empty
 * group name is an error.
 */
export function signMappings(
  main: YamlFile,
  entries: readonly Entry[],
): { mappings: SignMapping[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = []
  const byGroup = new Map<string, SignMapping>()
  entries.forEach((entry, index) => {
    let mapping = byGroup.get(entry.directory_group)
    if (!mapping) {
      mapping = {
        directoryGroup: entry.directory_group,
        priority: index,
        groups: [],
        groupAdmin: false,
        accountAdmin: false,
      }
      byGroup.set(entry.directory_group, mapping)
    }
    if (entry.group_admin === true) mapping.groupAdmin = true
    if (entry.account_admin === true) mapping.accountAdmin = true
    if (typeof entry.sign_group !== 'string') return
    const ref = parseSignGroup(entry.sign_group)
    if (!ref.name) {
      issues.push(
        issueAt(
          main,
          ['user_management', index, 'sign_group'],
          `Bad Sign group: "${entry.sign_group}" in directory group: "${entry.directory_group}"`,
          'write org::Group Name, or just Group Name for the primary org',
        ),
      )
      return
    }
    const same = (g: AdobeGroupRef) => g.target === ref.target && g.name.toLowerCase() === ref.name.toLowerCase()
    if (!mapping.groups.some(same)) mapping.groups.push(ref)
  })
  return { mappings: [...byGroup.values()], issues }
}

/** `org::Group Name` → `{target: 'org', name: 'Group Name'}`, split at the last `::`. */
export function parseSignGroup(text: string): AdobeGroupRef {
  const at = text.lastIndexOf('::')
  return at < 0
    ? { target: 'primary', name: text.trim() }
    : { target: text.slice(0, at).trim() || 'primary', name: text.slice(at + 2).trim() }
}
