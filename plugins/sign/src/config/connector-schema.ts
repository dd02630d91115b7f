import type { ConnectorSchema, JsonSchema } from '@ust-sync/api'

const str: JsonSchema = { type: 'string', minLength: 1 }

/**
 * Schema of UST's `connector-sign.yml`, read unchanged: `host`, `admin_email`, `integration_key` (or
 * `secure_integration_key_key`, a keyring service whose account is `admin_email`), `create_users`,
 * `deactivate_users`; plus ust's own optional keys:
 *
 * - OAuth 2.0 where the account offers no integration key (Sign for Government): `oauth_client_id`,
 *   `oauth_client_secret` and `oauth_refresh_token` (secrets may be `secure_*_key`; access tokens are
 *   refreshed from `https://<host>/oauth/v2/refresh`, so `host` is then the account's access point), or an
 *   `oauth_access_token` used as is;
 * - `timeout` (seconds, default 120), `retries` (default 5), `max_retry_after` (seconds, default 300),
 *   `request_concurrency` (parallel reads, default 4);
 * - `cache_path`: the directory of the 24-hour read cache (`ust sign-sync` sets it from `cache.path`).
 *
 * `host` may carry `https://` or `http://` (plain host means https); the core refuses `http://` to another
 * machine unless `network.allow_insecure_http` says otherwise.
 */
export const signConnectorSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['host', 'admin_email', 'create_users', 'deactivate_users'],
    properties: {
      host: str,
      admin_email: str,
      integration_key: str,
      oauth_access_token: str,
      oauth_client_id: str,
      oauth_client_secret: str,
      oauth_refresh_token: str,
      create_users: { type: 'boolean' },
      deactivate_users: { type: 'boolean' },
      timeout: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
      retries: { type: 'integer', minimum: 0, maximum: 100 },
      max_retry_after: { type: 'number', exclusiveMinimum: 0, maximum: 86_400 },
      request_concurrency: { type: 'integer', minimum: 1, maximum: 32 },
      cache_path: { type: 'string', minLength: 1, 'x-ust-path': true },
    },
  },
  secrets: [
    { key: 'integration_key', account: 'admin_email', required: false },
    { key: 'oauth_access_token', account: 'admin_email', required: false },
    { key: 'oauth_client_secret', account: 'admin_email', required: false },
    { key: 'oauth_refresh_token', account: 'admin_email', required: false },
  ],
}
