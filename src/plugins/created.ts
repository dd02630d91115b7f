import { isUstError, PluginError } from '@ust-sync/api'
import { KIND_LABEL, type PluginRegistry } from './plugin-registry.js'

/** Runs a contribution's `create`; a plugin's plain Error becomes a PluginError naming the plugin. */
export function created<T>(
  registry: PluginRegistry,
  kind: 'target' | 'identitySource' | 'mappingHook',
  id: string,
  create: () => T,
): T {
  try {
    return create()
  } catch (error) {
    if (isUstError(error)) throw error
    const owner = registry.ownerOf(kind, id)
    throw new PluginError(
      `Plugin ${owner ?? '?'} failed to create its ${KIND_LABEL[kind]} "${id}": ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
        suggestions: [
          kind === 'mappingHook'
            ? "Check directory_users.extension in the main config; if it is right, report this to the plugin's authors"
            : `Check the ${id} connector file; if it is right, report this to the plugin's authors`,
        ],
      },
    )
  }
}
