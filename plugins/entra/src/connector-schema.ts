import type { ConnectorSchema, JsonSchema } from '@ust-sync/api'

const text: JsonSchema = { type: 'string', minLength: 1 }
const template = (meaning: string): JsonSchema => ({ type: 'string', description: meaning })

const server: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    timeout: { type: 'number', exclusiveMinimum: 0, maximum: 3600, description: 'Seconds per request, default 120' },
    retries: { type: 'integer', minimum: 1, maximum: 100, description: 'Tries per request, default 5' },
    max_retry_after: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 86_400,
      description: 'Longest Retry-After waited (seconds, default 300); a longer one stops the run',
    },
    resource_units: {
      type: 'integer',
      minimum: 1,
      maximum: 150_000,
      description: 'Graph resource units per window ust allows itself, default 3500 (the smallest tenant quota)',
    },
    window_seconds: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 3600,
      description: 'The pacing window, default 10',
    },
  },
}

/**
 * Schema of `connector-entra.yml`, in the style of UST's connector files: the app registration
 * (`tenant_id`, `client_id`, and `client_secret` or a certificate), the clouds' hosts, `all_users_filter`
 * (an OData `$filter`), `user_*_format` templates over Graph user properties and `user_identity_type`.
 * Secrets (`client_secret`, `private_key_pass`) may be given as `secure_*_key`, resolved through the
 * credential backend with the account `client_id`.
 */
export const entraConnectorSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['tenant_id', 'client_id'],
    properties: {
      tenant_id: {
        ...text,
        description: 'Directory (tenant) ID, or a verified domain such as contoso.onmicrosoft.com',
      },
      client_id: { ...text, description: 'Application (client) ID of the app registration' },
      client_secret: { type: 'string', description: 'Client secret value (prefer secure_client_secret_key)' },
      certificate_file: {
        ...text,
        'x-ust-path': true,
        description: 'PEM certificate uploaded to the app registration',
      },
      private_key_file: { ...text, 'x-ust-path': true, description: 'PEM private key (RSA) of that certificate' },
      private_key_pass: { type: 'string', description: 'Passphrase of an encrypted private key' },
      authority_host: { ...text, description: 'Token authority, default login.microsoftonline.com' },
      graph_host: { ...text, description: 'Microsoft Graph host, default graph.microsoft.com' },
      all_users_filter: {
        ...text,
        description: 'OData $filter every synced user must match, e.g. accountEnabled eq true',
      },
      user_email_format: template('Email of a user, default {mail}'),
      user_username_format: template('Username, default: the email'),
      user_domain_format: template('Domain of a non-email username, default: the email domain'),
      user_given_name_format: template('First name, default {givenName}'),
      user_surname_format: template('Last name, default {surname}'),
      user_country_code_format: template('Country code, default {usageLocation}'),
      user_identity_type_format: template('Identity type per user, e.g. {employeeType}'),
      user_identity_type: {
        enum: ['adobeID', 'enterpriseID', 'federatedID'],
        'x-ust-case-insensitive': true,
        description: 'Identity type of the users read (default: directory_users.user_identity_type)',
      },
      server,
    },
  },
  secrets: [
    { key: 'client_secret', account: 'client_id', required: false },
    { key: 'private_key_pass', account: 'client_id', required: false },
  ],
}
