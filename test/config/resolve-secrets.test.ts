import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CredentialError, ExitCode } from '@ust-sync/api'
import { loadConfig } from '../../src/config/load-config.js'
import { resolveSecrets } from '../../src/credentials/resolve-secrets.js'
import { fakeSchemas } from './fake-schemas.js'

const dir = resolve(import.meta.dirname, '../fixtures/config/valid')

/** The lookup as the credential service hands it over: the backend `memory`, chosen by `--backend`. */
function source(lookup: (service: string, account: string) => Promise<string | undefined>) {
  return { lookup, backend: 'memory', chosenBy: '--backend', configFile: '/etc/ust/user-sync-config.yml' }
}

/** A credential store held in memory: (service, account) → secret. */
function store(entries: Record<string, string>) {
  const asked: string[] = []
  const lookup = async (service: string, account: string) => {
    asked.push(`${service}|${account}`)
    return entries[`${service}|${account}`]
  }
  return { lookup: source(lookup), asked }
}

describe('resolveSecrets', () => {
  it('fills secure_X_key references from the credential store under the plain key', async () => {
    const { config } = await loadConfig({ cwd: dir, schemas: fakeSchemas })
    const primary = config.adobeUsers.targets[0]!
    const { lookup, asked } = store({ 'ust-umapi-client-secret|0123456789ABCDEF01234567@AdobeOrg': 'p8e-secret' })
    const values = await resolveSecrets(primary, lookup)
    expect(asked).toEqual(['ust-umapi-client-secret|0123456789ABCDEF01234567@AdobeOrg'])
    expect(values.enterprise).toEqual({
      org_id: '0123456789ABCDEF01234567@AdobeOrg',
      client_id: '4f0c2b0a9a6c4b7d8e1f',
      client_secret: 'p8e-secret',
    })
    expect(values.server).toEqual(primary.values.server)
    // The loaded config is left as it was: secrets only in the returned copy.
    expect(primary.values.enterprise).not.toHaveProperty('client_secret')
  })

  it('a missing secret names service, account and file:line and suggests storing it in the credential backend', async () => {
    const { config } = await loadConfig({ cwd: dir, schemas: fakeSchemas })
    const ldap = config.directoryUsers.connectors.ldap!
    const error = await resolveSecrets(ldap, store({}).lookup).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialError)
    const credentialError = error as CredentialError
    expect(credentialError.exitCode).toBe(ExitCode.credential)
    expect(credentialError.message).toContain(
      'service "ust-ldap-password", account "cn=ust,ou=service,dc=example,dc=com"',
    )
    expect(credentialError.message).toContain(`${dir}/connector-ldap.yml:4`)
    expect(credentialError.message).toContain('No secret for password (secure_password_key: ust-ldap-password at')
    expect(credentialError.message).toContain('in the credential backend "memory" (chosen by --backend)')
    expect(credentialError.suggestions[0]).toBe(
      'store it: ust credentials set ust-ldap-password --username cn=ust,ou=service,dc=example,dc=com --backend memory -c /etc/ust/user-sync-config.yml',
    )
  })

  it('a failing backend becomes a CredentialError that does not leak other secrets', async () => {
    const { config } = await loadConfig({ cwd: dir, schemas: fakeSchemas })
    const org2 = config.adobeUsers.targets[1]!
    // No secure references: the plain secret passes through without a lookup.
    expect((await resolveSecrets(org2, store({}).lookup)).enterprise).toMatchObject({
      client_secret: 'org2-plain-secret',
    })
    const primary = config.adobeUsers.targets[0]!
    const error = await resolveSecrets(
      primary,
      source(async () => {
        throw new Error('Secret Service is not running')
      }),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialError)
    expect((error as Error).message).toMatch(
      /Could not read the secret for enterprise.client_secret .* from the credential backend "memory".*Secret Service is not running/,
    )
    expect((error as Error).message).not.toContain('org2-plain-secret')
  })
})
