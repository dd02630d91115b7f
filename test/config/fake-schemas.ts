import type { ConnectorSchema } from '@ust-sync/api'
import type { SchemaLookup } from '../../src/config/load-config.js'

/** A umapi-like target schema (connector-umapi.yml), with UST's secrets. */
export const fakeUmapiSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['enterprise'],
    properties: {
      authentication_method: { type: 'string', enum: ['oauth', 'jwt'] },
      server: {
        type: 'object',
        additionalProperties: false,
        properties: {
          host: { type: 'string' },
          endpoint: { type: 'string' },
          auth_host: { type: 'string' },
          timeout: { type: 'integer', minimum: 1 },
          retries: { type: 'integer', minimum: 0 },
          ssl_verify: { type: 'boolean' },
        },
      },
      enterprise: {
        type: 'object',
        additionalProperties: false,
        required: ['org_id', 'client_id', 'client_secret'],
        properties: {
          org_id: { type: 'string' },
          client_id: { type: 'string' },
          client_secret: { type: 'string' },
          tech_acct_id: { type: 'string' },
          priv_key_path: { type: 'string', 'x-ust-path': true },
        },
      },
    },
  },
  secrets: [
    { key: 'enterprise.client_id', account: 'enterprise.org_id', required: true },
    { key: 'enterprise.client_secret', account: 'enterprise.org_id', required: true },
  ],
}

/** An ldap-like source schema (connector-ldap.yml). */
export const fakeLdapSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['host', 'base_dn'],
    properties: {
      host: { type: 'string' },
      base_dn: { type: 'string' },
      username: { type: 'string' },
      password: { type: 'string' },
      require_tls_cert: { type: 'boolean' },
      search_page_size: { type: 'integer', minimum: 0 },
      all_users_filter: { type: 'string' },
      user_email_format: { type: 'string' },
    },
  },
  secrets: [{ key: 'password', account: 'username', required: false }],
}

/** A csv-like source schema: no file needed. */
export const fakeCsvSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { delimiter: { type: 'string' }, string_encoding: { type: 'string' } },
  },
}

/** A sandbox-like target schema. */
export const fakeSandboxSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { state_file: { type: 'string', 'x-ust-path': true } },
  },
}

/** A registry with targets umapi + sandbox and sources ldap + csv. */
export const fakeSchemas: SchemaLookup = {
  target: (id) => ({ umapi: fakeUmapiSchema, sandbox: fakeSandboxSchema })[id],
  source: (id) => ({ ldap: fakeLdapSchema, csv: fakeCsvSchema })[id],
  targetIds: () => ['umapi', 'sandbox'],
  sourceIds: () => ['ldap', 'csv'],
}
