import { defineTarget } from 'ust-sync/api'
import { umapiConnectorSchema } from './config/connector-schema.js'
import { parseUmapiSettings } from './config/umapi-settings.js'
import { UmapiTarget } from './umapi-target.js'

/** The `umapi` target: an Adobe Admin Console org through the User Management API. */
export const umapiTarget = defineTarget({
  id: 'umapi',
  description: 'Adobe Admin Console org through the User Management API (connector-umapi.yml)',
  connector: umapiConnectorSchema,
  create: (config, context) => new UmapiTarget(parseUmapiSettings(config), context),
})
