import { injectable } from 'tsyringe'
import { ConfigError, type ErrorCode, isUstError } from '@ust-sync/api'
import { discoverConfigFile } from '../config/discover.js'
import type { MainFile, MainFileLocation } from '../config/main-file.js'
import { loadConfig, type LoadedConfig, type SchemaLookup } from '../config/load-config.js'
import type { UstConfig } from '../config/types.js'
import { permissionWarnings } from '../credentials/config-permissions.js'
import { findSecretSites, type SecretSite } from '../credentials/secret-sites.js'
import type { PluginRegistry } from '../plugins/plugin-registry.js'
import { MainFileService } from './main-file-service.js'
import { PluginService } from './plugin-service.js'

/** Where to find the configuration. */
export type ConfigLocation = MainFileLocation

/**
 * Finds, loads and validates configuration against the schemas the plugins declare. Plugin problems
 * (failed to load, duplicate ids, not on the allow-list) come back as warnings; when the config names an
 * id that is missing because a plugin failed, the error names that plugin.
 */
@injectable()
export class ConfigService {
  constructor(
    private readonly plugins: PluginService,
    private readonly files: MainFileService,
  ) {}

  /** The config file that would be used, or undefined when none is found. */
  find(location: ConfigLocation): Promise<string | undefined> {
    return location.configFile ? Promise.resolve(location.configFile) : discoverConfigFile(location.cwd)
  }

  /** The main config file as this command read it (once, shared with the plugin allow-list). */
  mainFile(location: ConfigLocation): Promise<MainFile> {
    return this.files.read(location)
  }

  /**
   * Loads and validates the whole configuration; throws a ConfigError listing every problem. The warnings
   * include every config file that holds a plain-text secret and is readable by group or others.
   */
  async load(location: ConfigLocation): Promise<LoadedConfig> {
    const main = await this.files.read(location)
    const registry = await this.plugins.registry(location)
    let loaded: LoadedConfig
    try {
      loaded = await loadConfig({ ...location, main, schemas: schemasOf(registry) })
    } catch (error) {
      throw withPluginHints(error, registry)
    }
    const sites = await this.secretSites(loaded.config, location.encoding)
    const permissions = await permissionWarnings(sites, loaded.config.file)
    return { ...loaded, warnings: [...registry.warnings(), ...loaded.warnings, ...permissions] }
  }

  /** Every secret setting (plain or `secure_X_key`) in the configuration's files. */
  async secretSites(config: UstConfig, encoding?: string): Promise<SecretSite[]> {
    const registry = await this.plugins.registry()
    return findSecretSites(
      config,
      (kind, id) => (kind === 'target' ? registry.target(id) : registry.identitySource(id))?.connector.secrets ?? [],
      encoding,
    )
  }
}

function schemasOf(registry: PluginRegistry): SchemaLookup {
  return {
    target: (id) => registry.target(id)?.connector,
    source: (id) => registry.identitySource(id)?.connector,
    targetIds: () => registry.targets().map((t) => t.definition.id),
    sourceIds: () => registry.identitySources().map((s) => s.definition.id),
  }
}

/** A config error about an unknown target, with the plugin that failed to provide it named. */
function withPluginHints(error: unknown, registry: PluginRegistry): unknown {
  if (!isUstError(error) || !(error instanceof ConfigError) || registry.failures.length === 0) return error
  const hints = new Set<string>()
  for (const issue of error.issues) {
    const id = /unknown target "([^"]+)"/.exec(issue.message)?.[1]
    const hint = id && registry.missingHint('target', id)
    if (hint) hints.add(hint)
  }
  if (hints.size === 0) return error
  const base = error.issues.length > 0 ? error.message.split('\n')[0]! : error.message
  return new ConfigError(base, {
    code: error.code as ErrorCode<'config'>,
    issues: error.issues,
    suggestions: [...[...hints].map((h) => `Not available because ${h}`), ...error.suggestions],
    cause: error,
  })
}
