import { ConfigError, type ConnectorConfig, type IdentityType, isUstError } from '@ust-sync/api'
import { parseUmapiSettings, type UmapiSettings } from '../config/umapi-settings.js'
import { reworded } from './reword.js'

/** The adobe_console connector in the form the source uses. */
export interface ConsoleSettings {
  /** The UMAPI client settings of the source org (same client as the umapi target). */
  umapi: UmapiSettings
  /** `identity_type_filter`: only users of this type are read; undefined reads all. */
  identityType?: IdentityType
}

/**
 * Validates a schema-valid `connector-adobe-console.yml` (secrets resolved) and builds {@link ConsoleSettings}.
 * Its `integration` section means what `enterprise` means in connector-umapi.yml, with the same rules
 * (OAuth only, `client_id` and `client_secret` required), and messages name this file's keys.
 */
export function parseConsoleSettings(config: ConnectorConfig): ConsoleSettings {
  const { integration, identity_type_filter: filter, ...rest } = config
  let umapi: UmapiSettings
  try {
    umapi = parseUmapiSettings({ ...rest, enterprise: integration })
  } catch (error) {
    if (isUstError(error)) throw reworded(error)
    throw error
  }
  if (typeof filter === 'string' && filter !== 'all') return { umapi, identityType: filter as IdentityType }
  if (filter !== undefined && filter !== 'all' && typeof filter !== 'string')
    throw new ConfigError(
      'adobe_console connector: identity_type_filter must be all, adobeID, enterpriseID or federatedID',
      {
        code: 'config.adobe-console',
      },
    )
  return { umapi }
}
