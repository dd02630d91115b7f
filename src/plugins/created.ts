import { isUstError, PluginError } from '@ust-sync/api'
import type { PluginRegistry } from './plugin-registry.js'

/** Runs a contribution's `create`; a plugin's plain Error becomes a PluginError naming the plugin. */
export function created<T>(
  registry: PluginRegistry,
  kind: 'target' | 'identitySource',
  id: string,
  create: () => T,
): T {
  try {
    return create()
  } catch (error) {
    if (isUstError(error)) throw error
    const owner = (kind === 'target' ? registry.targets() : registry.identitySources()).find(
      (r) => r.definition.id === id,
    )?.plugin
    throw new PluginError(
      `Plugin ${owner ?? '?'} failed to create its ${kind === 'target' ? 'target' : 'identity source'} "${id}": ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        suggestions: [`Check the ${id} connector file; if it is right, report this to the plugin's authors`],
      },
    )
  }
}
