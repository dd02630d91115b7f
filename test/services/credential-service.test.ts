import type { Config } from '@oclif/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ConfigError,
  CredentialError,
  type CredentialBackendContext,
  type CredentialBackendDefinition,
  ExitCode,
  PluginError,
} from '@ust-sync/api'
import type { ConnectorFile } from '../../src/config/types.js'
import { ProcessLogger } from '../../src/log/process-logger.js'
import { Redactor } from '../../src/log/redactor.js'
import { PluginRegistry } from '../../src/plugins/plugin-registry.js'
import { CredentialService } from '../../src/services/credential-service.js'
import type { PluginService } from '../../src/services/plugin-service.js'

const SPEC = [{ key: 'enterprise.client_secret', account: 'enterprise.org_id', required: true }]
const KEYRING = '@ust-sync/plugin-keyring'
const FILE = '@ust-sync/plugin-file'
const saved = { ...process.env }
afterEach(() => {
  process.env = { ...saved }
})

/** A backend in memory; `asked` records every get, `contexts` what create() received. */
function memoryBackend(id: string, entries: Record<string, string>, available = true, readOnly = false) {
  const asked: string[] = []
  const contexts: CredentialBackendContext[] = []
  const definition: CredentialBackendDefinition = {
    kind: 'credentialBackend',
    id,
    description: 'test',
    readOnly,
    create: (context) => {
      contexts.push(context)
      return {
        describe: async () => ({ available, detail: available ? `${id} store` : `${id}: no session bus; start one` }),
        get: async (service, account) => {
          asked.push(`${id}:${service}/${account}`)
          return entries[`${service}/${account}`]
        },
        set: async () => undefined,
        delete: async () => false,
        list: async () => [],
      }
    },
  }
  return { definition, asked, contexts }
}

function serviceWith(backends: [string, CredentialBackendDefinition][]) {
  const registry = new PluginRegistry()
  for (const [plugin, b] of backends) registry.forPlugin(plugin).register(b)
  const plugins = { registry: async () => registry } as unknown as PluginService
  const redactor = new Redactor()
  const logger = ProcessLogger.create(redactor, [])
  const clock = { now: () => 0, sleep: async () => undefined }
  const oclif = { dataDir: '/data/ust', version: '9.9.9' } as Config
  return { service: new CredentialService(plugins, redactor, logger, clock, oclif), redactor }
}

const secureConnector: ConnectorFile = {
  pluginId: 'umapi',
  files: ['/c/u.yml'],
  values: { enterprise: { org_id: 'O' } },
  secrets: [{ key: 'enterprise.client_secret', service: 'ust-prod', account: 'O', file: '/c/u.yml', line: 4 }],
}

describe('CredentialService', () => {
  it('registers a plain-text secret of the connector file with the redactor', async () => {
    const { service, redactor } = serviceWith([])
    const connector: ConnectorFile = {
      pluginId: 'umapi',
      files: ['/c/u.yml'],
      values: { enterprise: { org_id: 'O', client_secret: 'plain-s3cret-value' } },
      secrets: [],
    }
    await service.resolve(connector, SPEC)
    expect(redactor.redact('refused plain-s3cret-value')).toBe('refused ***')
  })

  it('withPlaceholders (config validate) reads no backend, fills each secure_X_key, and still redacts plain secrets', async () => {
    const keyring = memoryBackend('keyring', { 'ust-prod/O': 'kept-in-keyring' })
    const { service, redactor } = serviceWith([[KEYRING, keyring.definition]])
    const values = await service.withPlaceholders(secureConnector, SPEC)
    expect(values).toEqual({ enterprise: { org_id: 'O', client_secret: 'ust-placeholder-secret' } })
    expect(keyring.contexts).toEqual([])
    const plain: ConnectorFile = {
      ...secureConnector,
      values: { enterprise: { org_id: 'O', client_secret: 'plain-s3cret-value' } },
      secrets: [],
    }
    await service.withPlaceholders(plain, SPEC)
    expect(redactor.redact('refused plain-s3cret-value')).toBe('refused ***')
  })

  it('by default uses the first available first-party backend, gives it a PluginContext, and registers the secret', async () => {
    const keyring = memoryBackend('keyring', { 'ust-prod/O': 'kept-in-keyring' })
    const { service, redactor } = serviceWith([[KEYRING, keyring.definition]])
    const values = await service.resolve(secureConnector, SPEC, { configFile: '/c/main.yml' })
    expect(values).toEqual({ enterprise: { org_id: 'O', client_secret: 'kept-in-keyring' } })
    expect(redactor.redact('kept-in-keyring')).toBe('***')
    expect(keyring.contexts[0]).toMatchObject({ dataDir: '/data/ust', configDir: '/c', tlsVerify: true })
    expect(typeof keyring.contexts[0]?.logger.warn).toBe('function')
    expect(typeof keyring.contexts[0]?.clock.now).toBe('function')
  })

  it('skips an unavailable keyring in the default order for the file backend, and says so', async () => {
    const keyring = memoryBackend('keyring', {}, false)
    const file = memoryBackend('file', { 'ust-prod/O': 'in-file' })
    const { service } = serviceWith([
      [KEYRING, keyring.definition],
      [FILE, file.definition],
    ])
    const choice = await service.choose({})
    expect(choice.id).toBe('file')
    expect(choice.chosenBy).toBe(
      'the default order (keyring, file); skipped keyring: keyring: no session bus; start one',
    )
  })

  it('never picks a third-party backend unless it is named', async () => {
    const thirdParty = memoryBackend('vault', { 'ust-prod/O': 'from-vault' })
    const keyring = memoryBackend('keyring', {}, false)
    // a third-party plugin that registers the id "file" is not ust's file backend either
    const fakeFile = memoryBackend('file', { 'ust-prod/O': 'impostor' })
    const { service } = serviceWith([
      [KEYRING, keyring.definition],
      ['@acme/ust-vault', thirdParty.definition],
      ['@acme/ust-file', fakeFile.definition],
    ])
    const error = await service.resolve(secureConnector, SPEC).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialError)
    expect((error as Error).message).toBe(
      [
        '/c/u.yml:4: enterprise.client_secret is given as secure_*_key (service "ust-prod"), but no credential backend is usable here:',
        '  keyring: keyring: no session bus; start one',
        '  file: not installed',
      ].join('\n'),
    )
    expect(thirdParty.asked).toEqual([])
    expect(fakeFile.asked).toEqual([])
    process.env.UST_CREDENTIAL_BACKEND = 'vault'
    const { service: named } = serviceWith([
      [KEYRING, keyring.definition],
      ['@acme/ust-vault', thirdParty.definition],
    ])
    expect(await named.resolve(secureConnector, SPEC)).toMatchObject({ enterprise: { client_secret: 'from-vault' } })
  })

  it('names the backend by --backend, else UST_CREDENTIAL_BACKEND, else credentials.backend', async () => {
    const a = memoryBackend('alpha', {})
    const b = memoryBackend('beta', {})
    const c = memoryBackend('gamma', {})
    const backends: [string, CredentialBackendDefinition][] = [
      ['@x/a', a.definition],
      ['@x/b', b.definition],
      ['@x/c', c.definition],
    ]
    const configured = { configured: 'alpha', configFile: '/etc/ust/main.yml' }
    expect(await serviceWith(backends).service.choose(configured)).toMatchObject({
      id: 'alpha',
      chosenBy: 'credentials.backend in /etc/ust/main.yml',
    })
    process.env.UST_CREDENTIAL_BACKEND = 'beta'
    expect(await serviceWith(backends).service.choose(configured)).toMatchObject({
      id: 'beta',
      chosenBy: 'UST_CREDENTIAL_BACKEND',
    })
    expect(await serviceWith(backends).service.choose({ ...configured, flag: 'gamma' })).toMatchObject({
      id: 'gamma',
      chosenBy: '--backend',
    })
  })

  it('a miss in the chosen backend is an error naming key, service, account, backend and the set command; no other backend is asked', async () => {
    const keyring = memoryBackend('keyring', {})
    const file = memoryBackend('file', { 'ust-prod/O': 'would-be-found-here' })
    const { service } = serviceWith([
      [KEYRING, keyring.definition],
      [FILE, file.definition],
    ])
    const error = (await service
      .resolve(secureConnector, SPEC, { configured: 'keyring', configFile: '/c/main.yml' })
      .catch((e: unknown) => e)) as CredentialError
    expect(error).toBeInstanceOf(CredentialError)
    expect(error.exitCode).toBe(ExitCode.credential)
    expect(error.message).toBe(
      'No secret for enterprise.client_secret (secure_client_secret_key: ust-prod at /c/u.yml:4) in the credential backend "keyring" (chosen by credentials.backend in /c/main.yml): service "ust-prod", account "O" has no entry',
    )
    expect(error.suggestions[0]).toBe(
      'store it: ust credentials set ust-prod --username O --backend keyring -c /c/main.yml',
    )
    expect(file.asked).toEqual([])
  })

  it('a named backend that is unavailable is an error, never a switch to another', async () => {
    const keyring = memoryBackend('keyring', {}, false)
    const file = memoryBackend('file', { 'ust-prod/O': 'x' })
    const { service } = serviceWith([
      [KEYRING, keyring.definition],
      [FILE, file.definition],
    ])
    const error = (await service.choose({ flag: 'keyring' }).catch((e: unknown) => e)) as CredentialError
    expect(error).toBeInstanceOf(CredentialError)
    expect(error.message).toBe(
      'The credential backend "keyring" (named by --backend) cannot be used here: keyring: no session bus; start one',
    )
    expect(file.asked).toEqual([])
  })

  it('a named backend that is not installed is a configuration error listing the installed ones', async () => {
    const { service } = serviceWith([[KEYRING, memoryBackend('keyring', {}).definition]])
    const error = (await service
      .choose({ configured: 'vault', configFile: '/c/main.yml' })
      .catch((e: unknown) => e)) as ConfigError
    expect(error).toBeInstanceOf(ConfigError)
    expect(error.message).toBe(
      'The credential backend "vault" (named by credentials.backend in /c/main.yml) is not installed; installed: keyring',
    )
  })

  it("a backend plugin's plain Error is a PluginError naming the backend", async () => {
    const broken: CredentialBackendDefinition = {
      kind: 'credentialBackend',
      id: 'broken',
      description: 'test',
      create: () => ({
        describe: async () => ({ available: true, detail: 'ok' }),
        get: async () => {
          throw new Error('socket closed')
        },
        set: async () => undefined,
        delete: async () => false,
        list: async () => [],
      }),
    }
    const { service } = serviceWith([['@x/broken', broken]])
    const error = (await service.resolve(secureConnector, SPEC, { flag: 'broken' }).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(PluginError)
    expect(error.message).toBe('The credential backend "broken" failed: socket closed')
  })

  it('lists every backend with its availability for ust info', async () => {
    const { service } = serviceWith([
      [KEYRING, memoryBackend('keyring', {}, false).definition],
      ['@x/env', memoryBackend('env', {}, true, true).definition],
    ])
    expect(await service.statuses()).toEqual([
      expect.objectContaining({ id: 'keyring', plugin: KEYRING, default: true, available: false, readOnly: false }),
      expect.objectContaining({ id: 'env', plugin: '@x/env', default: false, available: true, readOnly: true }),
    ])
  })
})
