import type { ConnectorSchema, JsonSchema } from '@ust-sync/api'

const text: JsonSchema = { type: 'string', minLength: 1 }
const template = (meaning: string): JsonSchema => ({ type: 'string', description: meaning })

/**
 * Schema of UST's `connector-okta.yml` (every key UST reads, strict), plus the OAuth 2.0 service-app keys
 * ust adds. Secrets: `api_token` (or `secure_api_token_key`, keyring account = `host`, as in UST) and
 * `private_key` (or `secure_private_key_key`, account = `client_id`).
 */
export const oktaConnectorSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['host'],
    properties: {
      host: { ...text, description: 'Okta org host, e.g. example.okta.com (https:// is implied)' },
      authentication_method: {
        enum: ['api_token', 'oauth'],
        'x-ust-case-insensitive': true,
        description: 'api_token (SSWS, UST) or oauth (an API Services app with a private key); default api_token',
      },
      api_token: { type: 'string', description: 'Okta API token (prefer secure_api_token_key)' },
      client_id: { ...text, description: 'OAuth: client id of the API Services app' },
      private_key: { type: 'string', description: 'OAuth: PEM or JWK private key (prefer secure_private_key_key)' },
      private_key_file: { ...text, 'x-ust-path': true, description: 'OAuth: file holding the PEM or JWK private key' },
      key_id: { ...text, description: 'OAuth: kid of the key registered with the app (from a JWK when absent)' },
      group_filter_format: { ...text, description: 'Okta group name from a directory group name, {group}' },
      all_users_filter: {
        ...text,
        description: 'Expression every synced user must match, e.g. user.status == "ACTIVE"',
      },
      string_encoding: { ...text, description: 'Accepted for UST compatibility; Okta replies are UTF-8 JSON' },
      user_email_format: template('Email, default {email}'),
      user_username_format: template('Username, default: the email'),
      user_domain_format: template('Domain of a non-email username, default: the email domain'),
      user_given_name_format: template('First name, default {firstName}'),
      user_surname_format: template('Last name, default {lastName}'),
      user_country_code_format: template('Country code, default {countryCode}'),
      user_identity_type_format: template('Identity type per user, e.g. {idType}ID'),
      user_identity_type: { type: 'string', description: 'adobeID, enterpriseID or federatedID' },
    },
  },
  secrets: [
    { key: 'api_token', account: 'host', required: false },
    { key: 'private_key', account: 'client_id', required: false },
  ],
}
