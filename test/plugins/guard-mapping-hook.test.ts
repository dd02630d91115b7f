import { describe, expect, it } from 'vitest'
import {
  defineMappingHook,
  type MappingHook,
  type MappingHookUser,
  PluginError,
  type PluginContext,
} from '@ust-sync/api'
import { PluginRegistry } from '../../src/plugins/plugin-registry.js'

const context = { logger: { debug() {}, info() {}, warn() {}, error() {} } } as unknown as PluginContext

function hookOf(afterMapping: MappingHook['afterMapping'], extra: Partial<MappingHook> = {}) {
  return defineMappingHook({ id: 'h', description: 'h', create: () => ({ afterMapping, ...extra }) })
}

/** Registers `definition` for plugin @x/hook and creates it through the registry (guarded), as a run does. */
function created(definition: ReturnType<typeof hookOf>): MappingHook {
  const registry = new PluginRegistry()
  registry.forPlugin('@x/hook', 'link').register(definition)
  return registry.mappingHook('h')!.create({}, context)
}

function user(): MappingHookUser {
  return {
    sourceAttributes: {},
    sourceGroups: new Set(),
    targetAttributes: { email: 'ann@example.com' },
    targetGroups: new Set(),
    storage: {},
    logger: context.logger,
    origin: 'users.csv:2',
  }
}

describe('mapping hooks at the plugin boundary', () => {
  it('a hook that throws is a PluginError (exit 5) naming the plugin, the hook and the user', () => {
    const hook = created(
      hookOf(() => {
        throw new TypeError("Cannot read properties of undefined (reading 'slice')")
      }),
    )
    let thrown: unknown
    try {
      hook.afterMapping(user())
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(PluginError)
    expect(thrown).toMatchObject({
      exitCode: 5,
      code: 'plugin.hook-failed',
      message:
        'Plugin @x/hook: mapping hook "h" failed for user ann@example.com (users.csv:2): Cannot read properties of undefined (reading \'slice\')',
    })
  })

  it('what the hook leaves is checked: attribute names and types, group names, and no Promise', () => {
    const bad = created(
      hookOf((u) => {
        ;(u.targetAttributes as Record<string, unknown>).Country = 'JP'
        ;(u.targetAttributes as Record<string, unknown>).lastname = 7
        u.targetGroups.add(3 as unknown as string)
      }),
    )
    expect(() => bad.afterMapping(user())).toThrow(
      [
        'Plugin @x/hook broke the plugin contract: mapping hook "h" afterMapping() for user ann@example.com (users.csv:2) returned an invalid value:',
        '  targetAttributes.Country: unknown attribute (expected one of email, username, domain, firstname, lastname, country)',
        '  targetAttributes.lastname: expected a string, null or undefined, got number',
        '  targetGroups[0]: expected a string, got number',
      ].join('\n'),
    )
    const rebound = created(
      hookOf((u) => {
        u.targetGroups = ['A'] as unknown as Set<string>
      }),
    )
    const u = user()
    rebound.afterMapping(u)
    expect(u.targetGroups).toEqual(['A'])
    const async = created(hookOf((async () => {}) as unknown as MappingHook['afterMapping']))
    expect(() => async.afterMapping(user())).toThrow(
      'returned a Promise: afterMapping() must be synchronous (ust does not await it)',
    )
  })

  it('create() must return a hook; declared groups and attributes must be string lists', () => {
    const registry = new PluginRegistry()
    registry
      .forPlugin('@x/hook')
      .register(defineMappingHook({ id: 'h', description: 'h', create: () => ({ extendedAttributes: 'bc' }) as never }))
    expect(() => registry.mappingHook('h')!.create({}, context)).toThrow(
      'Plugin @x/hook broke the plugin contract: mapping hook "h" create() returned an invalid value:\n  hook: expected an object with an afterMapping() method, got object',
    )
    expect(() => created(hookOf(() => {}, { extendedAdobeGroups: [1] as unknown as string[] }))).toThrow(
      'Plugin @x/hook broke the plugin contract: mapping hook "h" create() returned an invalid value:\n  extendedAdobeGroups[0]: expected a string, got number',
    )
    expect(() => created(hookOf(() => {}, { extendedAdobeGroups: ['org2:: '] }))).toThrow(
      'Plugin @x/hook broke the plugin contract: mapping hook "h" create() returned an invalid value:\n  extendedAdobeGroups[0]: expected a group name (Group or org::Group), got "org2:: "',
    )
  })

  it('ids are unique across plugins; `ust info` lists the hook under its plugin', () => {
    const registry = new PluginRegistry()
    registry.forPlugin('@x/one', 'user').register(hookOf(() => {}))
    registry.forPlugin('@x/two', 'link').register(hookOf(() => {}))
    expect(() => registry.mappingHook('h')).toThrow(
      '2 plugins register the mapping hook "h": @x/one, @x/two. ust does not choose one by load order, so nothing was done',
    )
    expect(registry.contributionsOf('@x/two')).toEqual({
      identitySources: [],
      targets: [],
      credentialBackends: [],
      mappingHooks: ['h'],
    })
  })
})
