import { networkSecretSpecs } from './network-secrets.js'
import { dirname, resolve } from 'node:path'
import type { ConfigIssue, IdentityType } from '@ust-sync/api'
import { parseAdobeGroup } from './adobe-group.js'
import { formatKeyPath, getAt, isRecord, type KeyPath } from './key-path.js'
import { extensionOf } from './extension.js'
import { parseAdobeOnlyLimit } from './main-checks.js'
import { issueAt, positionOf, type YamlFile } from './read-yaml.js'
import { extractSecrets } from './secrets.js'
import {
  DEFAULT_FIRST_RUN_REMOVAL_PERCENT,
  type AdditionalGroupRule,
  type AdobeGroupRef,
  type ConnectorFile,
  type ExtensionConfig,
  type GroupMapping,
  type TargetConnector,
  type UstConfig,
} from './types.js'
import { alternationWarning, compileGroupPattern, compileUsernamePattern } from './ust-pattern.js'

/** Everything {@link normalise} needs besides the main file's validated values. */
export interface NormaliseInput {
  main: YamlFile
  values: Record<string, unknown>
  targets: TargetConnector[]
  sources: Record<string, ConnectorFile>
  files: string[]
}

/** Reports (into `issues`) a group reference at `path` to an org that `adobe_users.connectors` does not define. */
type CheckOrg = (ref: AdobeGroupRef, path: KeyPath) => void

/**
 * Builds the normalised {@link UstConfig} from validated values, applying UST's defaults, and reports group
 * references to orgs that `adobe_users.connectors` does not define (an error in UST).
 */
export function normalise(input: NormaliseInput): { config: UstConfig; issues: ConfigIssue[]; warnings: string[] } {
  const { main, values } = input
  const issues: ConfigIssue[] = []
  const warnings: string[] = []
  const checkOrg = orgChecker(main, input.targets, issues)
  // Issues are reported in file order: group mappings, additional groups, the extension, then the network.
  const groups = groupMappings(values, checkOrg)
  const additionalGroups = additionalGroupRules(values, checkOrg)
  const extension = extensionConfig(main, values, checkOrg, issues)
  const network = networkSection(main, recordAt(values, ['network']))
  issues.push(...network.issues)
  const config: UstConfig = {
    file: main.file,
    files: input.files,
    adobeUsers: adobeUsersOf(main, values, input.targets, warnings),
    directoryUsers: directoryUsersOf(values, input.sources, groups, additionalGroups, extension),
    limits: limitsOf(recordAt(values, ['limits'])),
    logging: loggingOf(main, recordAt(values, ['logging'])),
    network: { file: main.file, values: network.values, secrets: network.secrets },
    credentials: credentialsOf(recordAt(values, ['credentials'])),
    ...(typeof values.metrics_file === 'string' ? { metricsFile: values.metrics_file } : {}),
    invocationDefaults: recordAt(values, ['invocation_defaults']),
  }
  return { config, issues, warnings }
}

/** The strings of the list at `path` (anything else in it is left out); none when there is no list. */
function stringsAt(values: Record<string, unknown>, path: KeyPath): string[] {
  const list = getAt(values, path)
  return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : []
}

/** The mapping at `path`, or an empty one. */
function recordAt(values: Record<string, unknown>, path: KeyPath): Record<string, unknown> {
  const value = getAt(values, path)
  return isRecord(value) ? value : {}
}

function orgChecker(main: YamlFile, targets: TargetConnector[], issues: ConfigIssue[]): CheckOrg {
  const orgs = new Set(targets.map((t) => t.name))
  return (ref, path) => {
    if (orgs.has(ref.target)) return
    issues.push(
      issueAt(
        main,
        path,
        `org "${ref.target}" is not defined under adobe_users.connectors`,
        `add {${ref.target}: connector-${ref.target}.yml} to the target's list, or fix the group name`,
      ),
    )
  }
}

/** `directory_users.groups`: each entry with a `directory_group`, its Adobe groups parsed and their orgs checked. */
function groupMappings(values: Record<string, unknown>, checkOrg: CheckOrg): GroupMapping[] {
  const groups: GroupMapping[] = []
  const entries = getAt(values, ['directory_users', 'groups'])
  if (!Array.isArray(entries)) return groups
  entries.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.directory_group !== 'string') return
    const adobeGroups = stringsAt(values, ['directory_users', 'groups', i, 'adobe_groups']).map((name, j) => {
      const ref = parseAdobeGroup(name)
      checkOrg(ref, ['directory_users', 'groups', i, 'adobe_groups', j])
      return ref
    })
    groups.push({ directoryGroup: entry.directory_group, adobeGroups })
  })
  return groups
}

/** `directory_users.additional_groups`: each rule's pattern compiled; an `org::` target's org checked. */
function additionalGroupRules(values: Record<string, unknown>, checkOrg: CheckOrg): AdditionalGroupRule[] {
  const additional = getAt(values, ['directory_users', 'additional_groups'])
  return (Array.isArray(additional) ? additional : []).filter(isRecord).map((rule, i) => {
    const target = String(rule.target)
    if (target.includes('::')) checkOrg(parseAdobeGroup(target), ['directory_users', 'additional_groups', i, 'target'])
    return { source: compileGroupPattern(String(rule.source)), target }
  })
}

/** `directory_users.extension`, its `extended_adobe_groups` parsed (an empty name is an issue, an org is checked). */
function extensionConfig(
  main: YamlFile,
  values: Record<string, unknown>,
  checkOrg: CheckOrg,
  issues: ConfigIssue[],
): ExtensionConfig | undefined {
  const extension = extensionOf(values)
  if (!extension) return undefined
  const extendedAdobeGroups = extension.extendedAdobeGroups.map((name, i) => {
    const at = ['directory_users', 'extension', 'extended_adobe_groups', i]
    const ref = parseAdobeGroup(name)
    if (!ref.name) issues.push(issueAt(main, at, `illegal extended_adobe_group spec: "${name}"`, 'name a group'))
    else checkOrg(ref, at)
    return ref
  })
  return { ...extension, extendedAdobeGroups }
}

/** The `network:` section with its secrets extracted; issue paths start with `network.`. */
function networkSection(main: YamlFile, section: Record<string, unknown>) {
  const network = extractSecrets(section, networkSecretSpecs(section), (path) => ({
    file: main.file,
    ...positionOf(main, ['network', ...path]),
  }))
  return { ...network, issues: network.issues.map((i) => ({ ...i, path: `network.${i.path}` })) }
}

/** `adobe_users`: exclusions (an `exclude_users` pattern with a top-level alternation is warned about) and the targets. */
function adobeUsersOf(
  main: YamlFile,
  values: Record<string, unknown>,
  targets: TargetConnector[],
  warnings: string[],
): UstConfig['adobeUsers'] {
  return {
    excludeIdentityTypes: stringsAt(values, ['adobe_users', 'exclude_identity_types']) as IdentityType[],
    excludeAdobeGroups: stringsAt(values, ['adobe_users', 'exclude_adobe_groups']).map((g) => g.trim().toLowerCase()),
    excludeUsers: stringsAt(values, ['adobe_users', 'exclude_users']).map((p, i) => {
      const warning = alternationWarning(p, 'exclude_users')
      if (warning) {
        const at = ['adobe_users', 'exclude_users', i]
        const { line, column } = positionOf(main, at)
        warnings.push(`${main.file}:${line}:${column}: ${formatKeyPath(at)}: ${warning}`)
      }
      return compileUsernamePattern(p, 'exclude_users')
    }),
    updateAttributes: (getAt(values, ['adobe_users', 'update_attributes']) ?? [
      'firstname',
      'lastname',
      'email',
    ]) as UstConfig['adobeUsers']['updateAttributes'],
    targets,
  }
}

/** `directory_users`, with UST's defaults (`enterpriseID`, no group creation). */
function directoryUsersOf(
  values: Record<string, unknown>,
  sources: Record<string, ConnectorFile>,
  groups: GroupMapping[],
  additionalGroups: AdditionalGroupRule[],
  extension: ExtensionConfig | undefined,
): UstConfig['directoryUsers'] {
  const directory = recordAt(values, ['directory_users'])
  return {
    userIdentityType: (directory.user_identity_type as IdentityType | undefined) ?? 'enterpriseID',
    ...(typeof directory.default_country_code === 'string'
      ? { defaultCountryCode: directory.default_country_code }
      : {}),
    connectors: sources,
    groups,
    additionalGroups,
    autoCreateGroups: getAt(values, ['directory_users', 'group_sync_options', 'auto_create']) === true,
    ...(extension ? { extension } : {}),
  }
}

/** `limits`; a `max_adobe_only_users` that does not parse (already reported by the main checks) is 0. */
function limitsOf(limits: Record<string, unknown>): UstConfig['limits'] {
  const limit = parseAdobeOnlyLimit(limits.max_adobe_only_users)
  return {
    maxAdobeOnlyUsers: typeof limit === 'string' ? { kind: 'count', value: 0 } : limit,
    groupRemovalsOnly: limits.group_removals_only === true,
    firstRunRemovalPercent:
      typeof limits.first_run_removal_percent === 'number'
        ? limits.first_run_removal_percent
        : DEFAULT_FIRST_RUN_REMOVAL_PERCENT,
  }
}

/** `logging`, with UST's defaults (log files under `logs/` next to the main file). */
function loggingOf(main: YamlFile, logging: Record<string, unknown>): UstConfig['logging'] {
  return {
    logToFile: logging.log_to_file === true,
    fileLogDirectory: (logging.file_log_directory as string | undefined) ?? resolve(dirname(main.file), 'logs'),
    fileLogNameFormat: (logging.file_log_name_format as string | undefined) ?? '{:%Y-%m-%d}.log',
    fileLogLevel: (logging.file_log_level as string | undefined) ?? 'info',
    consoleLogLevel: (logging.console_log_level as string | undefined) ?? 'info',
    logProgress: logging.log_progress !== false,
  }
}

/** `credentials`: the backend it names, if any. */
function credentialsOf(credentials: Record<string, unknown>): UstConfig['credentials'] {
  const backend = credentials.backend as string | undefined
  return backend === undefined ? {} : { backend }
}
