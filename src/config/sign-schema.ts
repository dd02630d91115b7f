import type { JsonSchema } from '@ust-sync/api'
import { mainSchema } from './main-schema.js'

const str: JsonSchema = { type: 'string', minLength: 1 }
const path: JsonSchema = { type: 'string', minLength: 1, 'x-ust-path': true }

/**
 * Schema of UST's `sign-sync-config.yml` (UST 2.10 `sign_sync.py`), strict as UST's: unknown keys at any
 * level are errors. Path values resolve relative to this file.
 */
export const signMainSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sign_orgs', 'identity_source', 'user_sync', 'user_management', 'cache'],
  properties: {
    sign_orgs: {
      type: 'object',
      required: ['primary'],
      additionalProperties: path,
      'x-ust-message': "must map org names to connector files, with a 'primary' org",
    },
    identity_source: {
      type: 'object',
      additionalProperties: false,
      required: ['type', 'connector'],
      properties: { type: str, connector: path },
    },
    user_sync: {
      type: 'object',
      additionalProperties: false,
      required: ['sign_only_limit', 'sign_only_user_action'],
      properties: {
        sign_only_limit: { type: ['integer', 'string'] },
        sign_only_user_action: { enum: ['exclude', 'reset', 'deactivate', 'remove_roles', 'remove_groups'] },
      },
    },
    user_management: {
      type: ['array', 'null'],
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['directory_group'],
        properties: {
          directory_group: str,
          sign_group: { type: ['string', 'null'] },
          group_admin: { type: ['boolean', 'null'] },
          account_admin: { type: ['boolean', 'null'] },
        },
      },
    },
    cache: { type: 'object', additionalProperties: false, required: ['path'], properties: { path } },
    connection: {
      type: 'object',
      additionalProperties: false,
      properties: {
        request_concurrency: { type: 'integer', minimum: 0 },
        batch_size: { type: 'integer', minimum: 0 },
        retry_count: { type: 'integer', minimum: 0 },
        timeout: { type: 'integer', minimum: 0 },
      },
    },
    logging: {
      type: 'object',
      additionalProperties: false,
      properties: {
        log_to_file: { type: 'boolean' },
        file_log_directory: path,
        file_log_name_format: str,
        file_log_level: { enum: ['info', 'debug'] },
        console_log_level: { enum: ['info', 'debug'] },
      },
    },
    invocation_defaults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        test_mode: { type: 'boolean' },
        users: { anyOf: [{ enum: ['mapped', 'all'] }, { type: 'array', items: str }] },
      },
    },
    // ust's own section, as in user-sync-config.yml: one network layer for UMAPI and Sign.
    network: (mainSchema.properties as Record<string, JsonSchema>).network as JsonSchema,
    credentials: { type: 'object', additionalProperties: false, properties: { backend: str } },
  },
}
