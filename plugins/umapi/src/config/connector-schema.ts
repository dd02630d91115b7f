import type { ConnectorSchema, JsonSchema } from '@ust-sync/api'

const str: JsonSchema = { type: 'string', minLength: 1 }
const perWindow: JsonSchema = { type: 'integer', minimum: 1 }

/**
 * `server.rate_limits` (ust extension): requests per `rate_window_seconds` the client allows itself, per
 * endpoint kind. Defaults are UMAPI's documented per-client limits per minute (umapi.md §8.1).
 */
const rateLimits: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { action: perWindow, users: perWindow, users_in_group: perWindow, groups: perWindow },
}

/** `server:` of connector-umapi.yml, shared with connector-adobe-console.yml (the same client settings). */
export const umapiServerSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: str,
    endpoint: str,
    auth_host: str,
    ims_host: str,
    auth_endpoint: str,
    ims_endpoint_jwt: str,
    timeout: { type: 'number', exclusiveMinimum: 0, maximum: 3600 },
    retries: { type: 'integer', minimum: 1, maximum: 100 },
    max_retry_after: { type: 'number', exclusiveMinimum: 0, maximum: 86_400 },
    ssl_verify: { type: 'boolean' },
    rate_limits: rateLimits,
    rate_window_seconds: { type: 'number', exclusiveMinimum: 0, maximum: 86_400 },
  },
}

const enterprise: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['org_id'],
  properties: {
    org_id: str,
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
 * Schema of UST's `connector-umapi.yml`, read unchanged (ust-behaviour.md §2.3), plus two ust extensions
 * under `server:` for client-side pacing:
 *
 * - `server.rate_limits: {action, users, users_in_group, groups}`: requests allowed per window for
 *   each endpoint kind; defaults 10, 25, 25, 5 (UMAPI's per-client limits per minute).
 * - `server.rate_window_seconds`: the window length, default 60.
 * - `server.max_retry_after`: the longest `Retry-After` (seconds, default 300) the client waits; a longer
 *   one stops the run with a message instead of blocking it for up to an hour.
 *
 * `server.host` and `server.auth_host` may carry an explicit `https://` or `http://` prefix (plain host
 * means https); the core refuses `http://` to another machine (the secret would travel in clear text)
 * unless the main config sets `network.allow_insecure_http`; loopback test servers are allowed.
 */
export const umapiConnectorSchema: ConnectorSchema = {
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['enterprise'],
    properties: {
      authentication_method: { enum: ['oauth', 'jwt'] },
      server: umapiServerSchema,
      enterprise,
      trusted: { type: 'boolean' },
      uses_business_id: { type: 'boolean' },
      // UST's template shows `ssl_verify` here, and UST reads `ssl_cert_verify` here, but UST 2.10 acts on
      // neither (the invocation's ssl_cert_verify overwrites it): accepted, not acted on, warned.
      ssl_verify: {
        'x-ust-ignored':
          'UST 2.10 does not read ssl_verify here and neither does ust (certificates stay verified); to turn verification off for UMAPI write server.ssl_verify, or better trust your proxy CA with network.ca_file',
      },
      ssl_cert_verify: {
        'x-ust-ignored':
          'UST 2.10 overwrites this with invocation_defaults.ssl_cert_verify and so does ust (certificates stay verified unless that says False); write it there, or better trust your proxy CA with network.ca_file',
      },
    },
  },
  secrets: [
    // An identifier, not a secret (UST logs it): shown in messages, so the administrator can check it.
    { key: 'enterprise.client_id', account: 'enterprise.org_id', required: false, redact: false },
    { key: 'enterprise.api_key', account: 'enterprise.org_id', required: false },
    { key: 'enterprise.client_secret', account: 'enterprise.org_id', required: true },
    { key: 'enterprise.priv_key_data', account: 'enterprise.org_id', required: false },
    { key: 'enterprise.priv_key_pass', account: 'enterprise.org_id', required: false },
  ],
}
