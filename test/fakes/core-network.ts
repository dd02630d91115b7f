import type { Logger, NetworkAccess } from '@ust-sync/api'
import { createNetworkAccess } from '../../src/network/network-fetch.js'
import { resolveNetworkSettings } from '../../src/network/settings.js'

/**
 * The core's `PluginContext.network` with no proxy or CA configured (the environment is not read), for
 * plugin tests that want the core's plain-language network failures: what `ust sync` gives a plugin.
 */
export function coreNetworkAccess(logger: Logger): NetworkAccess {
  return createNetworkAccess(resolveNetworkSettings({}, {}, 'test'), logger)
}
