import { stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { ConfigError, type ConfigIssue, type ConnectorSchema } from '@ust-sync/api'
import { coerce } from './coerce.js'
import { sourceRefs, targetRefs } from './connector-refs.js'
import { isKnownEncoding } from './decode.js'
import { CONFIG_SEARCH_PLACES, discoverConfigFile } from './discover.js'
import { loadConnector } from './load-connector.js'
import { checkMainValues, checkRetiredKeys } from './main-checks.js'
import { mainSchema } from './main-schema.js'
import { normalise } from './normalise.js'
import { issueAt, isYamlFailure, readYamlFile } from './read-yaml.js'
import type { ConnectorFile, TargetConnector, UstConfig } from './types.js'
import { isSignSyncConfig, notInstalled, UST_CONNECTOR_PACKAGES } from './ust-connectors.js'
import { validateAgainstSchema } from './validate.js'

/** Connector schemas by contribution id, from the plugin registry. */
export interface SchemaLookup {
  target(id: string): ConnectorSchema | undefined
  source(id: string): ConnectorSchema | undefined
  targetIds(): string[]
  sourceIds(): string[]
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** `-c/--config FILE`, relative to `cwd`; when absent the file is discovered from `cwd`. */
  configFile?: string
  cwd: string
  schemas: SchemaLookup
  /** `--config-file-encoding`, default `utf8`. */
  encoding?: string
}

/** The loaded configuration and the warnings found on the way (already formatted `file:line:col: ...`). */
export interface LoadedConfig {
  config: UstConfig
  warnings: string[]
}

/**
 * Loads, validates and normalises the configuration: the main file (given or discovered) and every
 * connector file it names, read as UST reads them. Throws a {@link ConfigError} listing **all** problems
 * found (`ConfigError.issues`, each with file, line:column and key path) rather than the first one.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const { schemas, encoding } = options
  if (encoding !== undefined && !isKnownEncoding(encoding)) {
    throw new ConfigError(`Unknown config file encoding "${encoding}"`, {
      suggestions: ['use an encoding name such as utf8, latin1, cp1252 or utf-16'],
    })
  }
  const file = await findMainFile(options)
  const main = await readYamlFile(file, encoding)
  if (isYamlFailure(main)) throw invalid(main.issues)

  if (isSignSyncConfig(main.value)) throw signSyncNotInstalled(main.file)
  const issues: ConfigIssue[] = []
  const warnings: string[] = []
  const raw = checkRetiredKeys(main, issues)
  if (issues.some((i) => i.path === 'dashboard' || i.path === 'directory')) throw invalid(issues)
  const values = coerce(raw, mainSchema, dirname(file)) as Record<string, unknown>
  issues.push(
    ...(await validateAgainstSchema(values, mainSchema, (path, message, suggestion) =>
      issueAt(main, path, message, suggestion),
    )),
  )
  issues.push(...checkMainValues(main, values, schemas.sourceIds()))

  const files = [file]
  const targets: TargetConnector[] = []
  for (const ref of targetRefs(main, values, schemas.targetIds(), issues)) {
    const loaded = await loadConnector(ref.id, ref.files, schemas.target(ref.id)!, main, encoding)
    issues.push(...loaded.issues)
    warnings.push(...loaded.warnings)
    files.push(...loaded.files)
    if (loaded.connector) targets.push({ ...loaded.connector, name: ref.name })
  }
  const sources: Record<string, ConnectorFile> = {}
  for (const ref of sourceRefs(main, values, schemas.sourceIds(), issues, warnings)) {
    const loaded = await loadConnector(ref.id, ref.files, schemas.source(ref.id)!, main, encoding)
    issues.push(...loaded.issues)
    warnings.push(...loaded.warnings)
    files.push(...loaded.files)
    if (loaded.connector) sources[ref.id] = loaded.connector
  }
  if (issues.length > 0) throw invalid(issues)

  const normalised = normalise({ main, values, targets, sources, files })
  if (normalised.issues.length > 0) throw invalid(normalised.issues)
  return { config: normalised.config, warnings: [...warnings, ...normalised.warnings] }
}

async function findMainFile(options: LoadConfigOptions): Promise<string> {
  if (options.configFile !== undefined) {
    const file = resolve(options.cwd, options.configFile)
    const found = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    )
    if (!found) {
      throw new ConfigError(`Config file not found: ${file}`, {
        issues: [{ file: 'command line', path: '--config', message: `no such file: ${file}` }],
        suggestions: [
          'check the path given to -c/--config (relative paths are resolved against the working directory)',
        ],
      })
    }
    return file
  }
  const found = await discoverConfigFile(options.cwd)
  if (found) return found
  throw new ConfigError(
    `No config file found: searched ${CONFIG_SEARCH_PLACES.join(', ')} in ${options.cwd} and its parent directories up to the project root`,
    {
      suggestions: [
        'pass the config file with -c/--config FILE',
        'or start from examples/quickstart/user-sync-config.yml',
      ],
    },
  )
}

/** A UST `sign-sync-config.yml`: recognised, and run by the Sign plugin once installed. */
function signSyncNotInstalled(file: string): ConfigError {
  const message = `${file} is a UST Sign Sync config (sign_orgs, identity_source, user_management); ${notInstalled('sign')}`
  return new ConfigError(message, {
    code: 'config.connector-not-installed',
    suggestions: [`install the Sign plugin: ust plugins install ${UST_CONNECTOR_PACKAGES.sign}`],
  })
}

function invalid(issues: ConfigIssue[]): ConfigError {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
  return new ConfigError(`The configuration is invalid (${count}):`, {
    issues,
    suggestions: ['fix the problems listed (file:line:column: key: message), then run `ust config validate`'],
  })
}
