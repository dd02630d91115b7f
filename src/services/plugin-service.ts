import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import { loadPlugins } from '../plugins/load-plugins.js'
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
}

/** Loads plugins once per process and answers questions about them. */
@injectable()
export class PluginService {
  private loaded?: Promise<PluginRegistry>

  constructor(@inject(Tokens.OclifConfig) private readonly config: Config) {}

  /** The registry, filled by every plugin's `ust:register` hook (loaded on first use). */
  registry(): Promise<PluginRegistry> {
    this.loaded ??= loadPlugins(this.config)
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
      }))
  }
}
