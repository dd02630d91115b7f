import type { Config } from '@oclif/core'
import { inject, injectable } from 'tsyringe'
import type { MainFileLocation } from '../config/main-file.js'
import { allowListInMainFile, allowListOf } from '../plugins/allow-list.js'
import { ignoredHooksOf } from '../plugins/hook-policy.js'
import { loadPlugins, REGISTER_TIMEOUT_MS } from '../plugins/load-plugins.js'
import type { PluginRegistry } from '../plugins/plugin-registry.js'
import { Tokens } from '../tokens.js'
import { MainFileService } from './main-file-service.js'

const FAIL_CLOSED =
  'the main config file could not be read or parsed, so its plugins.allow is unknown: only plugins shipped with ust load until the file is fixed'

/** How a plugin is installed, in oclif's terms. */
export type PluginType = 'core' | 'user' | 'link' | 'dev'

/** A plugin as `ust info` shows it. */
export interface PluginDescription {
  name: string
  version: string
  type: PluginType
  root: string
  /** Ids registered by this plugin, by kind. */
  contributes: { identitySources: string[]; targets: string[]; credentialBackends: string[]; mappingHooks: string[] }
  /** oclif hooks it declares that ust does not run (only `ust:register` is run for non-core plugins). */
  ignoredHooks: string[]
}

/** Loads plugins once per process and answers questions about them. */
@injectable()
export class PluginService {
  private loaded?: Promise<PluginRegistry>

  constructor(
    @inject(Tokens.OclifConfig) private readonly config: Config,
    private readonly files: MainFileService,
    @inject(Tokens.ConfigLocation) private readonly location: MainFileLocation,
  ) {}

  /**
   * The registry, filled by every plugin's `ust:register` hook (loaded on first use). Only plugins on the
   * allow-list load (`UST_PLUGIN_ALLOW` and the `plugins.allow` of the command's main config file, read by
   * the one parse every service shares; a file that cannot be parsed allows ust's own plugins only). The
   * first call decides: `location` (default: the command's `-c` and encoding flags) is read then.
   */
  registry(location: MainFileLocation = this.location): Promise<PluginRegistry> {
    const timeout = Number(process.env.UST_PLUGIN_REGISTER_TIMEOUT_MS)
    this.loaded ??= this.files.read(location).then((main) =>
      loadPlugins(this.config, {
        allow: allowListOf(process.env, allowListInMainFile(main)),
        allowReason: main.kind === 'failed' ? FAIL_CLOSED : undefined,
        timeoutMs: timeout > 0 ? timeout : REGISTER_TIMEOUT_MS,
      }),
    )
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
