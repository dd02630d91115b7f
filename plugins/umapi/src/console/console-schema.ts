import type { ConnectorSchema, JsonSchema } from '@ust-sync/api'
import { umapiServerSchema } from '../config/connector-schema.js'

const str: JsonSchema = { type: 'string', minLength: 1 }

const integration: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['org_id'],
  properties: {
    org_id: { ...str, description: 'The source org (…@AdobeOrg)' },
    client_id: str,
    secure_client_id_key: str,
    api_key: str,
    secure_api_key_key: str,
    client_secret: str,
    secure_client_secret_key: str,
    tech_acct_id: str,
    tech_acct: str,
    priv_key_path: str,
    priv_key_data: str,
    secure_priv_key_data_key: str,
    priv_key_pass: str,
    secure_priv_key_pass_key: str,
  },
}

/**
 * Schema of UST's `connector-adobe-console.yml` (ust-behaviour.md §2.5), read unchanged: `integration`
 * (the source org's OAuth Server-to-Server credential), `server` (as in connector-umapi.yml, pacing keys
 * included), `identity_type_filter` and `authentication_method`. UST also accepts `user_identity_type` and
 * `ssl_cert_verify` here without acting on them; so does ust.
 */
export const consoleConnectorSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['integration'],
    properties: {
      authentication_method: { enum: ['oauth', 'jwt'], description: 'oauth (JWT is retired by Adobe)' },
      identity_type_filter: {
        enum: ['all', 'adobeID', 'enterpriseID', 'federatedID'],
        'x-ust-case-insensitive': true,
        description: 'Read only users of this identity type (default all)',
      },
      server: umapiServerSchema,
      integration,
      user_identity_type: {
        'x-ust-ignored': 'UST reads user_identity_type here and ignores it: each user keeps its type in the source org',
      },
      ssl_cert_verify: {
        'x-ust-ignored':
          'UST 2.10 overwrites this with invocation_defaults.ssl_cert_verify and so does ust; write server.ssl_verify, or better trust your proxy CA with network.ca_file',
      },
      ssl_verify: {
        'x-ust-ignored':
          'UST 2.10 does not read ssl_verify here and neither does ust; write server.ssl_verify, or better trust your proxy CA with network.ca_file',
      },
    },
  },
  secrets: [
    { key: 'integration.client_id', account: 'integration.org_id', required: false, redact: false },
    { key: 'integration.api_key', account: 'integration.org_id', required: false },
    { key: 'integration.client_secret', account: 'integration.org_id', required: true },
    { key: 'integration.priv_key_data', account: 'integration.org_id', required: false },
    { key: 'integration.priv_key_pass', account: 'integration.org_id', required: false },
  ],
}
