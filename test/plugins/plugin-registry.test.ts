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
      mappingHooks: [],
    })
  })

  it('attributes a duplicate id to each plugin that registered it, once, whatever the load order', () => {
    const registry = new PluginRegistry()
    // Loaded second but sorted first in the conflict (type, then name): each still shows the id once.
    registry.forPlugin('@z/late', 'link').register(source('jsonl'))
    registry.forPlugin('@a/early', 'link').register(source('jsonl'))
    const none = { targets: [], credentialBackends: [], mappingHooks: [] }
    expect(registry.contributionsOf('@z/late')).toEqual({ identitySources: ['jsonl'], ...none })
    expect(registry.contributionsOf('@a/early')).toEqual({ identitySources: ['jsonl'], ...none })
  })

  it('never resolves a duplicate id by load order: using it throws a config error naming both plugins', () => {
    const registry = new PluginRegistry()
    registry.forPlugin('@a/one', 'user').register(source('ldap'))
    registry.forPlugin('@b/two', 'link').register(source('ldap'))
    expect(registry.conflicts).toEqual([{ kind: 'identitySource', id: 'ldap', plugins: ['@a/one', '@b/two'] }])
    let thrown: unknown
    try {
      registry.identitySource('ldap')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('@a/one, @b/two'),
      suggestions: [expect.stringContaining('ust plugins uninstall @a/one or ust plugins uninstall @b/two')],
    })
    expect(registry.warnings()).toEqual([
      expect.stringContaining('identity source "ldap" is registered by @a/one and @b/two'),
    ])
  })

  it('advises uninstalling the third-party plugin, not the core one', () => {
    const registry = new PluginRegistry()
    registry.forPlugin('@ust-sync/plugin-csv', 'core').register(source('csv'))
    registry.forPlugin('@x/impostor', 'user').register(source('csv'))
    expect(() => registry.identitySource('csv')).toThrow(/plugin-csv, @x\/impostor/)
    expect(registry.warnings()[0]).toContain('(ust plugins uninstall @x/impostor)')
  })

  it('a staged plugin adds nothing until committed, and nothing after its hook was abandoned', () => {
    const registry = new PluginRegistry()
    const { staged, registry: facade } = registry.stage('@a/slow')
    facade.register(source('slow'))
    expect(registry.identitySources()).toEqual([])
    staged.closed = true
    facade.register(source('late'))
    registry.commit(staged)
    expect(registry.identitySources().map((r) => r.definition.id)).toEqual(['slow'])
  })

  it('names the failed plugin that declares a missing id in its provides', () => {
    const registry = new PluginRegistry()
    registry.fail('@x/scim', 'failed while registering: boom', { targets: ['scim'] })
    registry.fail('@x/other', 'failed while registering: bang')
    expect(registry.missingHint('target', 'scim')).toBe(
      'the plugin that provides target "scim" failed to load: @x/scim failed while registering: boom',
    )
    expect(registry.missingHint('target', 'nope')).toContain('2 plugins failed to load')
    expect(new PluginRegistry().missingHint('target', 'scim')).toBeUndefined()
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
