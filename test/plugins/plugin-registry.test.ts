import { describe, expect, it } from 'vitest'
import type { Contribution } from '@ust-sync/api'
import { PluginRegistry } from '../../src/plugins/plugin-registry.js'

const source = (id: string): Contribution => ({
  kind: 'identitySource',
  id,
  description: id,
  connector: { schema: { type: 'object' } },
  create: () => ({ read: async () => ({ users: [], warnings: [] }) }),
})

describe('PluginRegistry', () => {
  it('records which plugin registered each contribution', () => {
    const registry = new PluginRegistry()
    registry.forPlugin('@a/one').register(source('ldap'))
    expect(registry.identitySources()).toEqual([expect.objectContaining({ plugin: '@a/one' })])
    expect(registry.contributionsOf('@a/one')).toEqual({
      identitySources: ['ldap'],
      targets: [],
      credentialBackends: [],
    })
  })

  it('refuses a duplicate id and names both plugins, keeping the first', () => {
    const registry = new PluginRegistry()
    registry.forPlugin('@a/one').register(source('ldap'))
    registry.forPlugin('@b/two').register(source('ldap'))
    expect(registry.identitySources()).toHaveLength(1)
    expect(registry.failures).toEqual([
      { plugin: '@b/two', message: expect.stringContaining('"ldap" is already registered by @a/one') },
    ])
  })

  it('allows the same id for different kinds', () => {
    const registry = new PluginRegistry()
    registry.forPlugin('@a/one').register(source('umapi'))
    registry.forPlugin('@a/one').register({
      kind: 'target',
      id: 'umapi',
      description: 't',
      connector: { schema: {} },
      create: () => {
        throw new Error('unused')
      },
    })
    expect(registry.failures).toEqual([])
  })

  it('rejects a contribution without a valid kind or id, naming the plugin', () => {
    const registry = new PluginRegistry()
    registry.forPlugin('@c/bad').register({ kind: 'nonsense', id: '' } as unknown as Contribution)
    expect(registry.failures[0]).toMatchObject({
      plugin: '@c/bad',
      message: expect.stringContaining('invalid contribution'),
    })
  })
})
