import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { API_VERSION, type Contribution, type CredentialBackendContext, ExitCode } from '@ust-sync/api'
import { envBackendDefinition } from '../src/definition.js'
import { variableNames } from '../src/naming.js'
import register from '../src/register.js'

const saved = { ...process.env }
const backend = envBackendDefinition.create({} as CredentialBackendContext)
afterEach(() => {
  process.env = { ...saved }
})

describe('env credential backend', () => {
  it('names variables UST_SECRET_<SERVICE>__<ACCOUNT>, then UST_SECRET_<SERVICE>, normalised', () => {
    expect(variableNames('ust-umapi', '4566206088344794932@AdobeOrg')).toEqual([
      'UST_SECRET_UST_UMAPI__4566206088344794932_ADOBEORG',
      'UST_SECRET_UST_UMAPI',
    ])
    expect(variableNames('my ldap.password', 'cn=Reader,dc=example')).toEqual([
      'UST_SECRET_MY_LDAP_PASSWORD__CN_READER_DC_EXAMPLE',
      'UST_SECRET_MY_LDAP_PASSWORD',
    ])
  })

  it('reads the account-specific variable first, then the service-wide one, then $CREDENTIALS_DIRECTORY', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ust-env-creds-'))
    try {
      process.env.CREDENTIALS_DIRECTORY = dir
      await writeFile(join(dir, 'ust-ldap'), 'from-systemd\n')
      expect(await backend.get('ust-ldap', 'cn=reader')).toBe('from-systemd')
      process.env.UST_SECRET_UST_LDAP = 'service-wide'
      expect(await backend.get('ust-ldap', 'cn=reader')).toBe('service-wide')
      process.env.UST_SECRET_UST_LDAP__CN_READER = 'for-this-account'
      expect(await backend.get('ust-ldap', 'cn=reader')).toBe('for-this-account')
      expect(await backend.get('ust-ldap', 'cn=other')).toBe('service-wide')
      expect(await backend.get('ust-other', 'x')).toBeUndefined()
      expect(await backend.list('ust-ldap')).toEqual(['CN_READER'])
      expect(await backend.describe()).toEqual({
        available: true,
        detail: expect.stringContaining(`systemd credentials in ${dir}`),
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('is read-only: set and delete say which variable to provide', async () => {
    for (const op of [
      () => backend.set('ust-umapi', '1@AdobeOrg', 'never-stored'),
      () => backend.delete('ust-umapi', '1@AdobeOrg'),
    ]) {
      const error = (await op().catch((e: unknown) => e)) as {
        message: string
        exitCode: number
        suggestions: string[]
      }
      expect(error.exitCode).toBe(ExitCode.credential)
      expect(error.message).toMatch(/^The env credential backend is read-only/)
      expect(error.suggestions[0]).toBe(
        "provide it in ust's environment as UST_SECRET_UST_UMAPI__1_ADOBEORG (or UST_SECRET_UST_UMAPI for every account of the service)",
      )
      expect(JSON.stringify(error)).not.toContain('never-stored')
    }
    expect(envBackendDefinition.readOnly).toBe(true)
  })

  it('registers the env backend', async () => {
    const registered: Contribution[] = []
    await register({ registry: { apiVersion: API_VERSION, register: (c) => registered.push(c) } })
    expect(registered.map((c) => [c.kind, c.id])).toEqual([['credentialBackend', 'env']])
  })
})
