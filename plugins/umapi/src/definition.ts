import { defineTarget, type Target } from '@ust-sync/api'
import { umapiConnectorSchema } from './config/connector-schema.js'
import { endpointsOf, parseUmapiSettings, UMAPI_CAPABILITIES } from './config/umapi-settings.js'
import type { UmapiTarget } from './umapi-target.js'

/**
 * The `umapi` target: an Adobe Admin Console org through the User Management API. UST's
 * `server.ssl_verify: False` (and `ssl_cert_verify: False`) turn verification off for this org's hosts
 * only, through `context.network.unverifiedFetch` (see umapi-session.ts); never process-wide.
 */
export const umapiTarget = defineTarget({
  id: 'umapi',
  description: 'Adobe Admin Console org through the User Management API (connector-umapi.yml)',
  connector: umapiConnectorSchema,
  create: (config, context) => {
    const settings = parseUmapiSettings(config)
    if ((settings.sslVerify ?? context.tlsVerify) === false && !context.network)
      context.logger.warn(
        "server.ssl_verify: False cannot be honoured by this version of ust (no per-host TLS exceptions); certificates are verified. Trust your proxy's CA with network.ca_file instead.",
      )
    // Settings are checked now (`ust config validate`); the HTTP client (ky) and the rest load on first use.
    let target: Promise<UmapiTarget> | undefined
    const open = () =>
      (target ??= import('./umapi-target.js').then(({ UmapiTarget }) => new UmapiTarget(settings, context)))
    const lazy: Target = {
      capabilities: UMAPI_CAPABILITIES,
      endpoints: () => endpointsOf(settings, context.tlsVerify),
      // The org, whichever connector file or credential reaches it.
      identity: () => `umapi:${settings.orgId}`,
      snapshot: async (scope) => (await open()).snapshot(scope),
      apply: async (commands, options) => (await open()).apply(commands, options),
      check: async () => (await open()).check(),
      close: async () => (target ? (await target).close() : undefined),
    }
    return lazy
  },
})
