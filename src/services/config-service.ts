import { injectable } from 'tsyringe'
import { discoverConfigFile } from '../config/discover.js'
import { loadConfig, type LoadedConfig, type SchemaLookup } from '../config/load-config.js'
import type { UstConfig } from '../config/types.js'
import { permissionWarnings } from '../credentials/config-permissions.js'
import { findSecretSites, type SecretSite } from '../credentials/secret-sites.js'
import { PluginService } from './plugin-service.js'

/** Where to find the configuration. */
export interface ConfigLocation {
  /** `-c/--config`; otherwise discovered from `cwd`. */
  configFile?: string
  cwd: string
  /** `--config-file-encoding` (default utf8). */
  encoding?: string
}

/** Finds, loads and validates configuration against the schemas the plugins declare. */
@injectable()
export class ConfigService {
  constructor(private readonly plugins: PluginService) {}

  /** The config file that would be used, or undefined when none is found. */
  find(location: ConfigLocation): Promise<string | undefined> {
    return location.configFile ? Promise.resolve(location.configFile) : discoverConfigFile(location.cwd)
  }

  /**
   * Loads and validates the whole configuration; throws a ConfigError listing every problem. The warnings
   * include every config file that holds a plain-text secret and is readable by group or others.
   */
  async load(location: ConfigLocation): Promise<LoadedConfig> {
    const loaded = await loadConfig({ ...location, schemas: await this.schemas() })
    const sites = await this.secretSites(loaded.config, location.encoding)
    return { ...loaded, warnings: [...loaded.warnings, ...(await permissionWarnings(sites, loaded.config.file))] }
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

  private async schemas(): Promise<SchemaLookup> {
    const registry = await this.plugins.registry()
    return {
      target: (id) => registry.target(id)?.connector,
      source: (id) => registry.identitySource(id)?.connector,
      targetIds: () => registry.targets().map((t) => t.definition.id),
      sourceIds: () => registry.identitySources().map((s) => s.definition.id),
    }
  }
}
