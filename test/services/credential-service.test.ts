import { describe, expect, it } from 'vitest'
import { CredentialError, type CredentialBackendDefinition } from '@ust-sync/api'
import type { ConnectorFile } from '../../src/config/types.js'
import { Redactor } from '../../src/log/redactor.js'
import { PluginRegistry } from '../../src/plugins/plugin-registry.js'
import { CredentialService } from '../../src/services/credential-service.js'
import type { PluginService } from '../../src/services/plugin-service.js'

const SPEC = [{ key: 'enterprise.client_secret', account: 'enterprise.org_id', required: true }]

function serviceWith(backends: CredentialBackendDefinition[]): { service: CredentialService; redactor: Redactor } {
  const registry = new PluginRegistry()
  for (const b of backends) registry.forPlugin('@test/backend').register(b)
  const plugins = { registry: async () => registry } as unknown as PluginService
  const redactor = new Redactor()
  return { service: new CredentialService(plugins, redactor), redactor }
}

function memoryBackend(entries: Record<string, string>, available = true): CredentialBackendDefinition {
  return {
    kind: 'credentialBackend',
    id: 'memory',
    description: 'test',
    describe: async () => ({ available, detail: available ? 'memory' : 'no session bus; start one' }),
    get: async (service, account) => entries[`${service}/${account}`],
    set: async () => undefined,
    delete: async () => false,
    list: async () => [],
  }
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

  it('fills a secure_X_key secret from the first available backend and registers it', async () => {
    const { service, redactor } = serviceWith([memoryBackend({ 'ust-prod/O': 'kept-in-keyring' })])
    const connector: ConnectorFile = {
      pluginId: 'umapi',
      files: ['/c/u.yml'],
      values: { enterprise: { org_id: 'O' } },
      secrets: [{ key: 'enterprise.client_secret', service: 'ust-prod', account: 'O', file: '/c/u.yml', line: 4 }],
    }
    const values = await service.resolve(connector, SPEC)
    expect(values).toEqual({ enterprise: { org_id: 'O', client_secret: 'kept-in-keyring' } })
    expect(redactor.redact('kept-in-keyring')).toBe('***')
  })

  it('without an available backend says where the reference is and why each backend is unavailable', async () => {
    const { service } = serviceWith([memoryBackend({}, false)])
    const connector: ConnectorFile = {
      pluginId: 'umapi',
      files: ['/c/u.yml'],
      values: {},
      secrets: [{ key: 'enterprise.client_secret', service: 'ust-prod', account: 'O', file: '/c/u.yml', line: 4 }],
    }
    const error = await service.resolve(connector, SPEC).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialError)
    expect((error as Error).message).toMatch(
      /\/c\/u\.yml:4: enterprise\.client_secret .*service "ust-prod".*memory: no session bus; start one/,
    )
  })
})
