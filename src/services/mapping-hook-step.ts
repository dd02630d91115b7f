import { ConfigError, type PluginContext } from '@ust-sync/api'
import { parseAdobeGroup } from '../config/adobe-group.js'
import type { UstConfig } from '../config/types.js'
import type { PluginRegistry } from '../plugins/plugin-registry.js'
import type { MappingHookStep } from '../sync/mapping-hook.js'

/** The mapping hook of a run, ready for the engine, with the attributes it needs read from the directory. */
export interface RunHook {
  step: MappingHookStep
  /** `extended_attributes` of the config and of the hook, in that order, once each. */
  extendedAttributes: string[]
}

/**
 * Creates the mapping hook `directory_users.extension` names (undefined when none): its plugin's
 * contribution, guarded (a throw or a bad result is a PluginError naming the plugin and the user), with
 * the config's `extended_attributes` / `extended_adobe_groups` joined to the ones the hook declares.
 * A missing or duplicated id is a ConfigError (exit 2).
 */
export function createRunHook(
  registry: PluginRegistry,
  config: UstConfig,
  context: PluginContext,
): RunHook | undefined {
  const extension = config.directoryUsers.extension
  if (!extension) return undefined
  const definition = registry.mappingHook(extension.plugin)
  if (!definition) {
    const known = registry.mappingHooks().map((h) => h.definition.id)
    const hint = registry.missingHint('mappingHook', extension.plugin)
    throw new ConfigError(
      `No mapping hook "${extension.plugin}" is registered (directory_users.extension.plugin; available: ${known.join(', ') || 'none'})${hint ? `: ${hint}` : ''}`,
      {
        code: 'config.unknown-mapping-hook',
        suggestions: [
          hint
            ? 'Fix or reinstall that plugin (`ust info` shows why it failed), or uninstall it'
            : 'Install or link the plugin that provides it (`ust plugins link DIR`), then check `ust info`',
        ],
      },
    )
  }
  const hook = definition.create(structuredClone(extension.settings), context)
  return {
    step: {
      afterMapping: hook.afterMapping,
      storage: {},
      logger: context.logger,
      adobeGroups: [...extension.extendedAdobeGroups, ...(hook.extendedAdobeGroups ?? []).map(parseAdobeGroup)],
    },
    extendedAttributes: [...new Set([...extension.extendedAttributes, ...(hook.extendedAttributes ?? [])])],
  }
}
