import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import { allowListInConfig, allowListOf } from '../plugins/allow-list.js'
import { ignoredHooksOf } from '../plugins/hook-policy.js'
import { loadPlugins, REGISTER_TIMEOUT_MS } from '../plugins/load-plugins.js'
import type { PluginRegistry } from '../plugins/plugin-registry.js'
import { Tokens } from '../tokens.js'

/** How a plugin is installed, in oclif's terms. */
export type PluginType = 'core' | 'user' | 'link' | 'dev'

/** A plugin as `ust info` shows it. */
export interface PluginDescription {
  name: string
  version: string
  type: PluginType
  root: string
  /** Ids registered by this plugin, by kind. */
  contributes: { identitySources: string[]; targets: string[]; credentialBackends: string[] }
  /** oclif hooks it declares that ust does not run (only `ust:register` is run for non-core plugins). */
  ignoredHooks: string[]
}

/** Loads plugins once per process and answers questions about them. */
@injectable()
export class PluginService {
  private loaded?: Promise<PluginRegistry>
  private allowFromConfig?: string[]

  constructor(@inject(Tokens.OclifConfig) private readonly config: Config) {}

  /**
   * Takes the allow-list (`plugins.allow`) from the main config file, if any. Must come before the first
   * {@link registry} call to have an effect (ConfigService and InfoService call it first).
   */
  async useConfigFile(file: string | undefined): Promise<void> {
    if (!this.loaded) this.allowFromConfig = await allowListInConfig(file)
  }

  /** The registry, filled by every plugin's `ust:register` hook (loaded on first use). */
  registry(): Promise<PluginRegistry> {
    const timeout = Number(process.env.UST_PLUGIN_REGISTER_TIMEOUT_MS)
    this.loaded ??= loadPlugins(this.config, {
      allow: allowListOf(process.env, this.allowFromConfig),
      timeoutMs: timeout > 0 ? timeout : REGISTER_TIMEOUT_MS,
    })
    return this.loaded
  }

  /** Every plugin oclif knows that takes part in ust (declares `ust` in package.json or the register hook). */
  async describe(): Promise<PluginDescription[]> {
    const registry = await this.registry()
    return this.config
      .getPluginsList()
      .filter((p) => p.hooks?.['ust:register']?.length || (p.pjson as { ust?: unknown }).ust)
      .map((p) => ({
        name: p.name,
        version: p.version,
        type: p.type as PluginType,
        root: p.root,
        contributes: registry.contributionsOf(p.name),
        ignoredHooks: ignoredHooksOf(p as unknown as Parameters<typeof ignoredHooksOf>[0]),
      }))
  }
}
