import { defineTarget, type Logger } from '@ust-sync/api'
import { umapiConnectorSchema } from './config/connector-schema.js'
import { parseUmapiSettings } from './config/umapi-settings.js'
import { UmapiTarget } from './umapi-target.js'

/** The `umapi` target: an Adobe Admin Console org through the User Management API. */
export const umapiTarget = defineTarget({
  id: 'umapi',
  description: 'Adobe Admin Console org through the User Management API (connector-umapi.yml)',
  connector: umapiConnectorSchema,
  create: (config, context) => {
    const settings = parseUmapiSettings(config)
    if (settings.sslVerify === false && context.tlsVerify) bypassTlsVerification(context.logger)
    return new UmapiTarget(settings, context)
  },
})

/**
 * UST's `server.ssl_verify: False`. Requests go through the process-wide network settings (global fetch),
 * which have no per-host switch, so verification is turned off for the process, loudly, as UST warns.
 */
function bypassTlsVerification(logger: Logger): void {
  logger.warn(
    "SSL certificate verification is bypassed (server.ssl_verify: False). Consider trusting your proxy's root CA instead (NODE_EXTRA_CA_CERTS=/path/to/ca.pem).",
  )
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'
}
