import { arch, platform, release } from 'node:os'
import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import { API_VERSION } from '@ust-sync/api'
import type { PluginFailure } from '../plugins/plugin-registry.js'
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
    const registry = await this.plugins.registry()
    return {
      ust: { version: this.config.version, apiVersion: API_VERSION },
      node: process.version,
      platform: `${platform()} ${release()} ${arch()}`,
      dataDir: this.config.dataDir,
      configFile: (await this.configs.find(location)) ?? null,
      plugins: await this.plugins.describe(),
      failures: registry.failures,
    }
  }
}
