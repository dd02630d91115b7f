import { arch, platform, release } from 'node:os'
import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import { API_VERSION, isUstError } from '@ust-sync/api'
import type { MainFile, MainFileLocation } from '../config/main-file.js'
import type { YamlFile } from '../config/read-yaml.js'
import type { PluginConflict, PluginFailure, SkippedPlugin } from '../plugins/plugin-registry.js'
import { Tokens } from '../tokens.js'
import { ConfigService } from './config-service.js'
import { type BackendStatus, CredentialService } from './credential-service.js'
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
  /** Every credential backend, whether it can be used here and why not, and which one a run would use. */
  credentials: {
    backends: BackendStatus[]
    /** The backend a run from here would use, how it was chosen, or why none can be. */
    selected: { id: string; chosenBy: string } | { error: string }
  }
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
    private readonly credentials: CredentialService,
  ) {}

  async info(location: MainFileLocation): Promise<InfoResult> {
    const main = await this.configs.mainFile(location)
    const configFile = main.kind === 'none' ? null : (main.file ?? null)
    const registry = await this.plugins.registry(location)
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
      credentials: await this.credentialInfo(main),
      failures: registry.failures,
      conflicts: registry.conflicts,
      skipped: registry.skipped,
      warnings: [...registry.warnings(), ...ignored],
    }
  }

  private async credentialInfo(main: MainFile): Promise<InfoResult['credentials']> {
    const configured = main.kind === 'read' ? configuredBackend(main.yaml) : undefined
    const settings = { configured, configFile: main.kind === 'none' ? undefined : main.file, interactive: false }
    const backends = await this.credentials.statuses(settings)
    try {
      const choice = await this.credentials.choose(settings)
      return { backends, selected: { id: choice.id, chosenBy: choice.chosenBy } }
    } catch (error) {
      if (!isUstError(error)) throw error
      return { backends, selected: { error: error.message } }
    }
  }
}

/** `credentials.backend` of the main file, read without validating the whole config. */
function configuredBackend(main: YamlFile): string | undefined {
  const backend = (main.value.credentials as { backend?: unknown } | undefined)?.backend
  return typeof backend === 'string' ? backend : undefined
}
