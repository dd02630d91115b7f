import type { JsonSchema } from '@ust-sync/api'

const identityType = {
  type: 'string',
  enum: ['adobeID', 'enterpriseID', 'federatedID'],
  'x-ust-case-insensitive': true,
}
const logLevel = {
  type: 'string',
  enum: ['debug', 'info', 'warning', 'error', 'critical'],
  'x-ust-case-insensitive': true,
}
const stringList = { type: 'array', items: { type: 'string' } }
/** A connector file reference: one file, or a list of files merged in order. */
const fileList = { type: ['string', 'array'], items: { type: 'string' } }
/** `invocation_defaults` values that take a keyword and maybe an argument (`[write-file, out.csv]`). */
const keywordList = { type: ['string', 'array'], items: { type: 'string' } }

/**
 * JSON Schema of the main config file (`user-sync-config.yml`, ust-behaviour.md §2.2), after coercion
 * (scalars to lists, empty sections removed). Connector references under `adobe_users.connectors` name a
 * target id, under `directory_users.connectors` a source id; both are checked against the registry
 * separately. `limits.max_adobe_only_users`'s "N%" form and regexes are checked in code.
 */
export const mainSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['adobe_users', 'limits'],
  properties: {
    adobe_users: {
      type: 'object',
      additionalProperties: false,
      required: ['connectors'],
      properties: {
        exclude_identity_types: { type: 'array', items: identityType },
        exclude_adobe_groups: stringList,
        exclude_users: stringList,
        update_attributes: {
          type: 'array',
          items: {
            type: 'string',
            enum: ['firstname', 'lastname', 'email', 'username'],
            'x-ust-case-insensitive': true,
          },
        },
        connectors: {
          type: 'object',
          minProperties: 1,
          // A target's files: the primary as leading strings, then {name: file(s)} secondaries.
          additionalProperties: {
            type: ['string', 'array'],
            items: { type: ['string', 'object'], additionalProperties: fileList },
          },
        },
      },
    },
    directory_users: {
      type: 'object',
      additionalProperties: false,
      properties: {
        user_identity_type: identityType,
        default_country_code: { type: 'string' },
        // UST extension file(s) (refused with the equivalent JavaScript hook), or {plugin: <id>, ...settings}.
        extension: {
          type: ['string', 'array', 'object'],
          items: { type: 'string' },
          required: ['plugin'],
          properties: {
            plugin: { type: 'string' },
            extended_attributes: stringList,
            extended_adobe_groups: stringList,
          },
          additionalProperties: true,
        },
        connectors: { type: 'object', additionalProperties: fileList },
        groups: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['directory_group'],
            properties: { directory_group: { type: 'string' }, adobe_groups: stringList },
          },
        },
        additional_groups: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['source', 'target'],
            properties: { source: { type: 'string' }, target: { type: 'string' } },
          },
        },
        group_sync_options: {
          type: 'object',
          additionalProperties: false,
          properties: { auto_create: { type: 'boolean' } },
        },
      },
    },
    limits: {
      type: 'object',
      additionalProperties: false,
      required: ['max_adobe_only_users'],
      properties: {
        max_adobe_only_users: { type: ['integer', 'string'] },
        group_removals_only: { type: 'boolean' },
        first_run_removal_percent: { type: 'number', minimum: 0, maximum: 100 },
      },
    },
    logging: {
      type: 'object',
      additionalProperties: false,
      properties: {
        log_to_file: { type: 'boolean' },
        file_log_directory: { type: 'string', 'x-ust-path': true },
        file_log_name_format: { type: 'string' },
        file_log_level: logLevel,
        console_log_level: logLevel,
        log_progress: { type: 'boolean' },
      },
    },
    network: {
      type: 'object',
      additionalProperties: false,
      properties: {
        proxy: { type: 'string' },
        proxy_user: { type: 'string' },
        proxy_password: { type: 'string' },
        secure_proxy_password_key: { type: 'string' },
        no_proxy: { type: 'array', items: { type: 'string' } },
        ca_file: { type: 'array', items: { type: 'string', 'x-ust-path': true } },
        ssl_verify: { type: 'boolean' },
        allow_insecure_http: { type: 'boolean' },
        // The most one HTTP reply may bring (MiB, before decoding); a reply past it fails as a bad reply.
        max_reply_mb: { type: 'integer', minimum: 1, maximum: 4096 },
        // ust's own key: client certificates (mutual TLS), by a name of the administrator's choosing.
        client_certificates: {
          type: 'object',
          propertyNames: { pattern: '^[A-Za-z0-9_-]+$' },
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['hosts'],
            properties: {
              hosts: { ...stringList, minItems: 1 },
              cert_file: { type: 'string', minLength: 1, 'x-ust-path': true },
              key_file: { type: 'string', minLength: 1, 'x-ust-path': true },
              pkcs12_file: { type: 'string', minLength: 1, 'x-ust-path': true },
              passphrase: { type: 'string' },
              secure_passphrase_key: { type: 'string' },
            },
          },
        },
      },
    },
    plugins: {
      type: 'object',
      additionalProperties: false,
      properties: {
        // ust's own key (not UST's): globs on package names of the non-core plugins allowed to load.
        allow: stringList,
      },
    },
    credentials: {
      type: 'object',
      additionalProperties: false,
      properties: { backend: { type: 'string', minLength: 1 } },
    },
    // ust's own key (not UST's): the Prometheus textfile written at the end of every sync run.
    metrics_file: { type: 'string', minLength: 1, 'x-ust-path': true },
    invocation_defaults: {
      type: 'object',
      additionalProperties: false,
      properties: {
        adobe_only_user_action: keywordList,
        adobe_only_user_list: { type: 'string' },
        adobe_users: keywordList,
        connector: keywordList,
        exclude_unmapped_users: { type: 'boolean' },
        process_groups: { type: 'boolean' },
        strategy: { type: 'string', enum: ['sync', 'push'], 'x-ust-case-insensitive': true },
        test_mode: { type: 'boolean' },
        update_user_info: { type: 'boolean' },
        user_filter: { type: 'string' },
        users: keywordList,
        ssl_cert_verify: { type: 'boolean' },
      },
    },
  },
}

/** First words allowed in `invocation_defaults` keyword settings (the rest are arguments). */
export const INVOCATION_KEYWORDS: Record<string, readonly string[]> = {
  adobe_only_user_action: ['preserve', 'exclude', 'write-file', 'remove-adobe-groups', 'remove', 'delete'],
  adobe_users: ['all', 'mapped', 'group'],
  users: ['all', 'file', 'mapped', 'group'],
}
