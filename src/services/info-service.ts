import { arch, platform, release } from 'node:os'
import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import { API_VERSION } from '@ust-sync/api'
import type { PluginConflict, PluginFailure, SkippedPlugin } from '../plugins/plugin-registry.js'
import { Tokens } from '../tokens.js'
import { ConfigService } from './config-service.js'
import { PluginService, type PluginDescription } from './plugin-service.js'

/** What `ust info` reports. */
export interface InfoResult {
  ust: { version: string; apiVersion: number }
  node: string
  platform: string
  dataDir: string
  /** The config file that `ust sync` would use from here, or null. */
  configFile: string | null
  plugins: PluginDescription[]
  /** Plugins that failed to load or register, and why. */
  failures: PluginFailure[]
  /** Ids registered by more than one plugin (unusable until one is uninstalled). */
  conflicts: PluginConflict[]
  /** Plugins not loaded because of the allow-list. */
  skipped: SkippedPlugin[]
  /** Every plugin problem and every ignored oclif hook, one line each, as the human output warns them. */
  warnings: string[]
}

/** Gathers versions, platform, config location and plugins for `ust info`. */
@injectable()
export class InfoService {
  constructor(
    @inject(Tokens.OclifConfig) private readonly config: Config,
    private readonly plugins: PluginService,
    private readonly configs: ConfigService,
  ) {}

  async info(location: { configFile?: string; cwd: string }): Promise<InfoResult> {
    const configFile = (await this.configs.find(location)) ?? null
    await this.plugins.useConfigFile(configFile ?? undefined)
    const registry = await this.plugins.registry()
    const plugins = await this.plugins.describe()
    const ignored = plugins
      .filter((p) => p.ignoredHooks.length > 0)
      .map(
        (p) =>
          `plugin ${p.name} declares oclif hooks ust does not run: ${p.ignoredHooks.join(', ')} (only ust:register runs for plugins not shipped with ust)`,
      )
    return {
      ust: { version: this.config.version, apiVersion: API_VERSION },
      node: process.version,
      platform: `${platform()} ${release()} ${arch()}`,
      dataDir: this.config.dataDir,
      configFile,
      plugins,
      failures: registry.failures,
      conflicts: registry.conflicts,
      skipped: registry.skipped,
      warnings: [...registry.warnings(), ...ignored],
    }
  }
}
