import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Config } from '@oclif/core'
import type { RegisterHookOptions } from '@ust-sync/api'
import { API_VERSION } from '@ust-sync/api'
import { PluginRegistry } from './plugin-registry.js'

/** The oclif hook every ust plugin implements to register its contributions. */
export const REGISTER_HOOK = 'ust:register'

type RegisterHook = (options: RegisterHookOptions) => unknown

/**
 * Fans the `ust:register` hook out to every plugin oclif knows (core, user-installed, linked), each with a
 * registry facade that records it as the owner of what it registers. A plugin whose hook throws, or that
 * declares another contract version (`"ust": {"apiVersion": N}` in its package.json), is recorded as a
 * failure and skipped; the others are unaffected. Core plugins register first, so an installed plugin
 * can never take over an id of ust's own (its duplicate is the one refused).
 */
export async function loadPlugins(config: Config): Promise<PluginRegistry> {
  const registry = new PluginRegistry()
  for (const plugin of inPriorityOrder(config)) {
    const hooks = plugin.hooks?.[REGISTER_HOOK] ?? []
    if (hooks.length === 0) continue
    const declared = (plugin.pjson as { ust?: { apiVersion?: unknown } }).ust?.apiVersion
    if (declared !== API_VERSION) {
      registry.fail(
        plugin.name,
        declared === undefined
          ? `declares no "ust.apiVersion" in its package.json; this ust needs plugins built for contract version ${API_VERSION}`
          : `was built for ust plugin contract version ${String(declared)}, but this ust implements version ${API_VERSION}; install a version of the plugin made for this ust`,
      )
      continue
    }
    for (const hook of hooks) {
      try {
        const module = (await import(pathToFileURL(join(plugin.root, hook.target)).href)) as Record<string, unknown>
        const fn = module[hook.identifier ?? 'default'] ?? module.default
        if (typeof fn !== 'function') throw new Error(`${hook.target} does not export a hook function`)
        await (fn as RegisterHook).call({ config }, { registry: registry.forPlugin(plugin.name) })
      } catch (error) {
        registry.fail(
          plugin.name,
          `failed while registering: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
    }
  }
  return registry
}

const PRIORITY: Record<string, number> = { core: 0, user: 1, link: 2, dev: 3 }

/** oclif's plugins, core first, then user-installed, then linked (stable within each type). */
function inPriorityOrder(config: Config) {
  return [...config.getPluginsList()].sort((a, b) => (PRIORITY[a.type] ?? 9) - (PRIORITY[b.type] ?? 9))
}
