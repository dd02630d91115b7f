import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { isUstError } from '@ust-sync/api'
import { umapiConnectorSchema } from '../src/config/connector-schema.js'
import { parseUmapiSettings } from '../src/config/umapi-settings.js'

const enterprise = { org_id: 'ABC@AdobeOrg', client_id: 'cid', client_secret: 's3cr3t-value' }

function configError(config: Record<string, unknown>): { message: string; suggestions: string[] } {
  try {
    parseUmapiSettings(config)
  } catch (error) {
    if (!isUstError(error)) throw error
    expect(error.code).toBe('config.umapi')
    expect(error.message).not.toContain('s3cr3t-value')
    return { message: error.message, suggestions: error.suggestions }
  }
  throw new Error('expected a ConfigError')
}

describe('connector-umapi.yml settings', () => {
  it('applies UST defaults and the documented pacing defaults', () => {
    expect(parseUmapiSettings({ authentication_method: 'oauth', enterprise })).toEqual({
      orgId: 'ABC@AdobeOrg',
      clientId: 'cid',
      clientSecret: 's3cr3t-value',
      umapiBaseUrl: 'https://usermanagement.adobe.io/v2/usermanagement',
      statusUrl: 'https://usermanagement.adobe.io/status',
      tokenUrl: 'https://ims-na1.adobelogin.com/ims/token/v2',
      timeoutMs: 120_000,
      attempts: 3,
      maxRetryAfterMs: 300_000,
      rateLimits: { action: 10, users: 25, usersInGroup: 25, groups: 5 },
      windowMs: 60_000,
    })
  })

  it('reads server keys, legacy aliases, http:// test hosts and the pacing extension', () => {
    const s = parseUmapiSettings({
      server: {
        host: 'http://127.0.0.1:8080',
        endpoint: '/v2/usermanagement/',
        ims_host: 'ims.example.test:8443',
        ims_endpoint_jwt: '/ims/token/v3',
        timeout: 2.5,
        retries: 5,
        rate_limits: { action: 3 },
        rate_window_seconds: 2,
      },
      enterprise: { org_id: 'ABC@AdobeOrg', api_key: 'legacy-id', client_secret: 'x' },
    })
    expect(s.umapiBaseUrl).toBe('http://127.0.0.1:8080/v2/usermanagement')
    expect(s.statusUrl).toBe('http://127.0.0.1:8080/status')
    expect(s.tokenUrl).toBe('https://ims.example.test:8443/ims/token/v3')
    expect(s.clientId).toBe('legacy-id')
    expect([s.timeoutMs, s.attempts, s.windowMs]).toEqual([2500, 5, 2000])
    expect(s.rateLimits).toEqual({ action: 3, users: 25, usersInGroup: 25, groups: 5 })
  })

  it('refuses a JWT configuration and says how to move to OAuth server-to-server', () => {
    const explicit = configError({
      authentication_method: 'jwt',
      enterprise: { ...enterprise, tech_acct_id: 'x@techacct.adobe.com', priv_key_path: 'private.key' },
    })
    expect(explicit.message).toContain('authentication_method: jwt')
    expect(explicit.message).toContain('OAuth server-to-server')
    expect(explicit.suggestions.join(' ')).toContain('authentication_method: oauth')
    expect(explicit.suggestions.join(' ')).toContain('tech_acct_id')
    const implicit = configError({ enterprise: { ...enterprise, tech_acct_id: 'x@techacct.adobe.com' } })
    expect(implicit.message).toContain('no authentication_method is given and enterprise.tech_acct_id is set')
    expect(configError({ server: { auth_endpoint: '/ims/exchange/jwt' }, enterprise }).message).toContain(
      'retired JWT exchange',
    )
  })

  it('refuses JWT keys next to oauth, client_id with api_key, and missing ids', () => {
    expect(
      configError({ authentication_method: 'oauth', enterprise: { ...enterprise, priv_key_data: 'KEY' } }).message,
    ).toContain('enterprise.priv_key_data: is a JWT setting')
    expect(configError({ enterprise: { ...enterprise, api_key: 'old' } }).message).toContain(
      'both client_id and its legacy name api_key',
    )
    expect(configError({ enterprise: { org_id: 'A@AdobeOrg', client_secret: 'x' } }).message).toContain(
      'enterprise.client_id: is required',
    )
    expect(configError({ enterprise: { org_id: 'A@AdobeOrg', client_id: 'x' } }).message).toContain(
      'enterprise.client_secret: is required',
    )
  })

  it('says what is wrong with a host that carries a path or an odd scheme', () => {
    expect(configError({ server: { host: 'https://usermanagement.adobe.io/v2' }, enterprise }).message).toContain(
      'server.host: "https://usermanagement.adobe.io/v2" must be a host name only',
    )
    // Credentials in a host are refused without being repeated: the message masks them.
    for (const host of [
      'https://admin:Sup3rS3cret@usermanagement.adobe.io',
      'admin:Sup3rS3cret@usermanagement.adobe.io',
    ]) {
      const message = configError({ server: { host }, enterprise }).message
      expect(message).toContain('***@usermanagement.adobe.io" must be a host name only')
      expect(message).not.toContain('Sup3rS3cret')
      expect(message).not.toContain('admin')
    }
    expect(configError({ server: { auth_host: 'ftp://ims' }, enterprise }).message).toContain(
      'server.auth_host: scheme ftp: is not supported',
    )
    expect(configError({ server: { endpoint: 'v2/usermanagement' }, enterprise }).message).toContain(
      'must start with /',
    )
    expect(configError({ server: { auth_host: 'a', ims_host: 'b' }, enterprise }).message).toContain(
      'both auth_host and its legacy name ims_host',
    )
  })
})

describe('connector schema', () => {
  // Strict, with ust's annotation keywords declared (the loader accepts them; @ust-sync/api documents them).
  const validate = new Ajv2020({ allErrors: true, strict: true })
    .addKeyword('x-ust-ignored')
    .compile(umapiConnectorSchema.schema)

  it('accepts UST example files (OAuth, secure_*_key forms, legacy keys)', () => {
    expect(
      validate({
        authentication_method: 'oauth',
        server: {
          host: 'usermanagement.adobe.io',
          endpoint: '/v2/usermanagement',
          ims_host: 'ims-na1.adobelogin.com',
          timeout: 120,
          retries: 3,
          ssl_verify: true,
        },
        enterprise: { org_id: 'A@AdobeOrg', secure_client_id_key: 'svc', secure_client_secret_key: 'svc2' },
      }),
    ).toBe(true)
    expect(
      validate({
        enterprise: { org_id: 'A@AdobeOrg', api_key: 'k', client_secret: 's', tech_acct_id: 't', priv_key_path: 'p' },
        trusted: true,
      }),
    ).toBe(true)
  })

  it('rejects unknown keys anywhere, as UST does', () => {
    expect(validate({ enterprise: { org_id: 'A', client_secret: 's', clientid: 'x' } })).toBe(false)
    expect(validate({ server: { hostname: 'x' }, enterprise: { org_id: 'A' } })).toBe(false)
    expect(validate({ server: { rate_limits: { actions: 3 } }, enterprise: { org_id: 'A' } })).toBe(false)
    expect(validate({ enterprise: { org_id: 'A' }, extra: 1 })).toBe(false)
  })

  it('marks the secrets with org_id as the keyring account', () => {
    expect(umapiConnectorSchema.secrets?.map((s) => [s.key, s.account])).toEqual([
      ['enterprise.client_id', 'enterprise.org_id'],
      ['enterprise.api_key', 'enterprise.org_id'],
      ['enterprise.client_secret', 'enterprise.org_id'],
      ['enterprise.priv_key_data', 'enterprise.org_id'],
      ['enterprise.priv_key_pass', 'enterprise.org_id'],
    ])
  })
})
