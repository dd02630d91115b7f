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

/**
 * Builds the normalised {@link UstConfig} from validated values, applying UST's defaults, and reports group
 * references to orgs that `adobe_users.connectors` does not define (an error in UST).
 */
export function normalise(input: NormaliseInput): { config: UstConfig; issues: ConfigIssue[]; warnings: string[] } {
  const { main, values } = input
  const issues: ConfigIssue[] = []
  const warnings: string[] = []
  const orgs = new Set(input.targets.map((t) => t.name))
  const checkOrg = (ref: AdobeGroupRef, path: KeyPath) => {
    if (!orgs.has(ref.target)) {
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
  const strings = (path: KeyPath) => {
    const list = getAt(values, path)
    return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : []
  }
  const record = (path: KeyPath) => {
    const value = getAt(values, path)
    return isRecord(value) ? value : {}
  }

  const groups: GroupMapping[] = []
  const groupEntries = getAt(values, ['directory_users', 'groups'])
  if (Array.isArray(groupEntries)) {
    groupEntries.forEach((entry, i) => {
      if (!isRecord(entry) || typeof entry.directory_group !== 'string') return
      const adobeGroups = strings(['directory_users', 'groups', i, 'adobe_groups']).map((name, j) => {
        const ref = parseAdobeGroup(name)
        checkOrg(ref, ['directory_users', 'groups', i, 'adobe_groups', j])
        return ref
      })
      groups.push({ directoryGroup: entry.directory_group, adobeGroups })
    })
  }
  const additional = getAt(values, ['directory_users', 'additional_groups'])
  const additionalGroups = (Array.isArray(additional) ? additional : []).filter(isRecord).map((rule, i) => {
    const target = String(rule.target)
    if (target.includes('::')) checkOrg(parseAdobeGroup(target), ['directory_users', 'additional_groups', i, 'target'])
    return { source: compileGroupPattern(String(rule.source)), target }
  })

  const extension = extensionOf(values)
  let hookConfig: ExtensionConfig | undefined
  if (extension) {
    const extendedAdobeGroups = extension.extendedAdobeGroups.map((name, i) => {
      const at = ['directory_users', 'extension', 'extended_adobe_groups', i]
      const ref = parseAdobeGroup(name)
      if (!ref.name) issues.push(issueAt(main, at, `illegal extended_adobe_group spec: "${name}"`, 'name a group'))
      else checkOrg(ref, at)
      return ref
    })
    hookConfig = { ...extension, extendedAdobeGroups }
  }

  const networkSection = record(['network'])
  const network = extractSecrets(networkSection, networkSecretSpecs(networkSection), (path) => ({
    file: main.file,
    ...positionOf(main, ['network', ...path]),
  }))
  issues.push(...network.issues.map((i) => ({ ...i, path: `network.${i.path}` })))
  const logging = record(['logging'])
  const directory = record(['directory_users'])
  const limits = record(['limits'])
  const limit = parseAdobeOnlyLimit(limits.max_adobe_only_users)
  const backend = record(['credentials']).backend as string | undefined
  const config: UstConfig = {
    file: main.file,
    files: input.files,
    adobeUsers: {
      excludeIdentityTypes: strings(['adobe_users', 'exclude_identity_types']) as IdentityType[],
      excludeAdobeGroups: strings(['adobe_users', 'exclude_adobe_groups']).map((g) => g.trim().toLowerCase()),
      excludeUsers: strings(['adobe_users', 'exclude_users']).map((p, i) => {
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
      targets: input.targets,
    },
    directoryUsers: {
      userIdentityType: (directory.user_identity_type as IdentityType | undefined) ?? 'enterpriseID',
      ...(typeof directory.default_country_code === 'string'
        ? { defaultCountryCode: directory.default_country_code }
        : {}),
      connectors: input.sources,
      groups,
      additionalGroups,
      autoCreateGroups: getAt(values, ['directory_users', 'group_sync_options', 'auto_create']) === true,
      ...(hookConfig ? { extension: hookConfig } : {}),
    },
    limits: {
      maxAdobeOnlyUsers: typeof limit === 'string' ? { kind: 'count', value: 0 } : limit,
      groupRemovalsOnly: limits.group_removals_only === true,
      firstRunRemovalPercent:
        typeof limits.first_run_removal_percent === 'number'
          ? limits.first_run_removal_percent
          : DEFAULT_FIRST_RUN_REMOVAL_PERCENT,
    },
    logging: {
      logToFile: logging.log_to_file === true,
      fileLogDirectory: (logging.file_log_directory as string | undefined) ?? resolve(dirname(main.file), 'logs'),
      fileLogNameFormat: (logging.file_log_name_format as string | undefined) ?? '{:%Y-%m-%d}.log',
      fileLogLevel: (logging.file_log_level as string | undefined) ?? 'info',
      consoleLogLevel: (logging.console_log_level as string | undefined) ?? 'info',
      logProgress: logging.log_progress !== false,
    },
    network: { file: main.file, values: network.values, secrets: network.secrets },
    credentials: backend === undefined ? {} : { backend },
    ...(typeof values.metrics_file === 'string' ? { metricsFile: values.metrics_file } : {}),
    invocationDefaults: record(['invocation_defaults']),
  }
  return { config, issues, warnings }
}
