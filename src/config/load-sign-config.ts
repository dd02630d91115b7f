import { dirname, resolve } from 'node:path'
import type { ConfigIssue } from '@ust-sync/api'
import { coerce } from './coerce.js'
import type { SchemaLookup } from './schema-lookup.js'
import { loadConnector } from './load-connector.js'
import { invalidConfig } from './main-file.js'
import { parseAdobeOnlyLimit } from './main-checks.js'
import { issueAt, positionOf, type YamlFile } from './read-yaml.js'
import { extractSecrets } from './secrets.js'
import { signMainSchema } from './sign-schema.js'
import { signMappings } from './sign-rules.js'
import { DEFAULT_FIRST_RUN_REMOVAL_PERCENT, type ConnectorFile, type TargetConnector, type UstConfig } from './types.js'
import { validateAgainstSchema } from './validate.js'

type Values = Record<string, unknown>
const rec = (v: unknown): Values => (typeof v === 'object' && v !== null ? (v as Values) : {})

/**
 * UST's `connection` settings as connector defaults (0 means "the default", as in UST); a connector file's
 * own `timeout`, `retries` or `request_concurrency` wins.
 */
function connectionDefaults(connection: Values): Values {
  const set = (v: unknown) => typeof v === 'number' && v > 0
  return {
    ...(set(connection.timeout) ? { timeout: connection.timeout } : {}),
    ...(set(connection.retry_count) ? { retries: Math.min(connection.retry_count as number, 100) } : {}),
    ...(set(connection.request_concurrency)
      ? { request_concurrency: Math.min(connection.request_concurrency as number, 32) }
      : {}),
  }
}

/**
 * Loads UST's `sign-sync-config.yml` unchanged into the engine's configuration: `sign_orgs` become the
 * targets (plugin `sign`, `primary` first), `identity_source` the one directory connector,
 * `user_management` the mapping (kept whole in `config.sign`, and as group mappings so that `--users
 * mapped` reads the mapped groups), `sign_only_limit` the Adobe-only limit, `cache.path` each org's
 * cache directory. Every problem is reported at once (file, line, key).
 */
export async function loadSignConfig(
  main: YamlFile,
  schemas: SchemaLookup,
  encoding?: string,
): Promise<{ config: UstConfig; warnings: string[] }> {
  const values = coerce(main.value, signMainSchema, dirname(main.file)) as Values

  const issues: ConfigIssue[] = await validateAgainstSchema(values, signMainSchema, (path, message, suggestion) =>
    issueAt(main, path, message, suggestion),
  )
  if (issues.length > 0) throw invalidConfig(issues)
  const warnings: string[] = []
  const files = [main.file]
  const sync = rec(values.user_sync)
  const limit = parseAdobeOnlyLimit(sync.sign_only_limit)
  if (typeof limit === 'string')
    issues.push(
      issueAt(
        main,
        ['user_sync', 'sign_only_limit'],
        `invalid value ${JSON.stringify(sync.sign_only_limit)}: ${limit}`,
      ),
    )
  const { mappings, issues: mappingIssues } = signMappings(main, (values.user_management ?? []) as never[])
  issues.push(...mappingIssues)
  const cachePath = rec(values.cache).path as string
  const connection = rec(values.connection)

  const targets: TargetConnector[] = []
  const orgs = Object.entries(rec(values.sign_orgs) as Record<string, string>)
  const ordered = [...orgs.filter(([n]) => n === 'primary'), ...orgs.filter(([n]) => n !== 'primary')]
  const signSchema = schemas.target('sign')
  for (const [name, file] of ordered) {
    if (!signSchema) break
    const loaded = await loadConnector('sign', [{ path: file, at: ['sign_orgs', name] }], signSchema, main, encoding)
    issues.push(...loaded.issues)
    warnings.push(...loaded.warnings)
    files.push(...loaded.files)
    if (!loaded.connector) continue
    const own = loaded.connector.values
    const settings = {
      ...connectionDefaults(connection),
      ...own,
      cache_path: own.cache_path ?? resolve(cachePath, name),
    }
    targets.push({ ...loaded.connector, values: settings, name })
  }
  const source = rec(values.identity_source)
  const sourceId = String(source.type)
  const sources: Record<string, ConnectorFile> = {}
  const sourceSchema = schemas.source(sourceId)
  if (!sourceSchema)
    issues.push(
      issueAt(
        main,
        ['identity_source', 'type'],
        `no identity source "${sourceId}" is installed`,
        `installed: ${schemas.sourceIds().join(', ')}`,
      ),
    )
  else {
    const loaded = await loadConnector(
      sourceId,
      [{ path: String(source.connector), at: ['identity_source', 'connector'] }],
      sourceSchema,
      main,
      encoding,
    )
    issues.push(...loaded.issues)
    warnings.push(...loaded.warnings)
    files.push(...loaded.files)
    if (loaded.connector) sources[sourceId] = loaded.connector
  }
  if (rec(values.connection).batch_size !== undefined)
    warnings.push(
      `${main.file}:${positionOf(main, ['connection', 'batch_size']).line}: connection.batch_size: accepted, not needed (ust sends each user's requests as they come, at most request_concurrency at once)`,
    )
  if (issues.length > 0 || typeof limit === 'string') throw invalidConfig(issues)

  const network = extractSecrets(
    rec(values.network),
    [{ key: 'proxy_password', account: 'proxy_user', required: false }],
    (path) => ({
      file: main.file,
      ...positionOf(main, ['network', ...path]),
    }),
  )
  if (network.issues.length > 0) throw invalidConfig(network.issues.map((i) => ({ ...i, path: `network.${i.path}` })))
  const logging = rec(values.logging)
  const defaults = rec(values.invocation_defaults)
  const backend = rec(values.credentials).backend as string | undefined
  const config: UstConfig = {
    file: main.file,
    files,
    sign: {
      mappings,
      signOnlyUserAction: sync.sign_only_user_action as NonNullable<UstConfig['sign']>['signOnlyUserAction'],
      signOnlyLimit: limit,
      orgs: targets.map((t) => ({
        name: t.name,
        createUsers: t.values.create_users === true,
        deactivateUsers: t.values.deactivate_users === true,
      })),
    },
    adobeUsers: { excludeIdentityTypes: [], excludeAdobeGroups: [], excludeUsers: [], updateAttributes: [], targets },
    directoryUsers: {
      userIdentityType: 'federatedID',
      connectors: sources,
      groups: mappings.map((m) => ({ directoryGroup: m.directoryGroup, adobeGroups: m.groups })),
      additionalGroups: [],
      autoCreateGroups: true,
    },
    limits: {
      maxAdobeOnlyUsers: limit,
      groupRemovalsOnly: false,
      firstRunRemovalPercent: DEFAULT_FIRST_RUN_REMOVAL_PERCENT,
    },
    logging: {
      logToFile: logging.log_to_file === true,
      fileLogDirectory: (logging.file_log_directory as string | undefined) ?? resolve(dirname(main.file), 'sign_logs'),
      fileLogNameFormat: (logging.file_log_name_format as string | undefined) ?? '{:%Y-%m-%d}.log',
      fileLogLevel: (logging.file_log_level as string | undefined) ?? 'info',
      consoleLogLevel: (logging.console_log_level as string | undefined) ?? 'info',
      logProgress: true,
    },
    network: { file: main.file, values: network.values, secrets: network.secrets },
    credentials: backend === undefined ? {} : { backend },
    invocationDefaults: {
      connector: [sourceId],
      ...(defaults.users === undefined ? {} : { users: defaults.users }),
      ...(defaults.test_mode === undefined ? {} : { test_mode: defaults.test_mode }),
    },
  }
  return { config, warnings }
}
