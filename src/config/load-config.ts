import { dirname } from 'node:path'
import { ConfigError, type ConfigIssue } from '@ust-sync/api'
import { coerce } from './coerce.js'
import { refuseUstExtension } from './extension.js'
import { sourceRefs, targetRefs } from './connector-refs.js'
import { loadConnector } from './load-connector.js'
import { loadSignConfig } from './load-sign-config.js'
import { checkMainValues, checkRetiredKeys } from './main-checks.js'
import { mainSchema } from './main-schema.js'
import { normalise } from './normalise.js'
import { invalidConfig, type MainFile, type MainFileLocation, readMainFile, requireMainFile } from './main-file.js'
import { issueAt } from './read-yaml.js'
import type { ConnectorFile, TargetConnector, UstConfig } from './types.js'
import { isSignSyncConfig, notInstalled, UST_CONNECTOR_PACKAGES } from './ust-connectors.js'
import { validateAgainstSchema } from './validate.js'
import type { SchemaLookup } from './schema-lookup.js'

export type { SchemaLookup } from './schema-lookup.js'

/** Options of {@link loadConfig}: where the main file is (or the main file as already read) and the schemas. */
export interface LoadConfigOptions extends MainFileLocation {
  schemas: SchemaLookup
  /** The main file as the command already read it ({@link readMainFile}); read here when absent. */
  main?: MainFile
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
  const { file, yaml: main } = requireMainFile(options.main ?? (await readMainFile(options)))

  if (isSignSyncConfig(main.value)) {
    if (!schemas.target('sign')) throw signSyncNotInstalled(main.file)
    return loadSignConfig(main, schemas, encoding)
  }
  const issues: ConfigIssue[] = []
  const warnings: string[] = []
  const raw = checkRetiredKeys(main, issues)
  if (issues.some((i) => i.path === 'dashboard' || i.path === 'directory')) throw invalidConfig(issues)
  const values = coerce(raw, mainSchema, dirname(file)) as Record<string, unknown>
  issues.push(
    ...(await validateAgainstSchema(values, mainSchema, (path, message, suggestion) =>
      issueAt(main, path, message, suggestion),
    )),
  )
  issues.push(...checkMainValues(main, values, schemas.sourceIds()))
  issues.push(...(await refuseUstExtension(main, values, encoding, issues)))

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
  if (issues.length > 0) throw invalidConfig(issues)

  const normalised = normalise({ main, values, targets, sources, files })
  if (normalised.issues.length > 0) throw invalidConfig(normalised.issues)
  return { config: normalised.config, warnings: [...warnings, ...normalised.warnings] }
}

/** A UST `sign-sync-config.yml`: recognised, and run by the Sign plugin once installed. */
function signSyncNotInstalled(file: string): ConfigError {
  const message = `${file} is a UST Sign Sync config (sign_orgs, identity_source, user_management); ${notInstalled('sign')}`
  return new ConfigError(message, {
    code: 'config.connector-not-installed',
    suggestions: [`install the Sign plugin: ust plugins install ${UST_CONNECTOR_PACKAGES.sign}`],
  })
}
