import {
  checkAvailability,
  checkCapabilities,
  checkCommandResults,
  checkHookOutput,
  checkMappingHook,
  checkReadResult,
  checkSnapshot,
  ConfigError,
  isUstError,
  PluginError,
  type Contribution,
  type CredentialBackendDefinition,
  type IdentitySource,
  type IdentitySourceDefinition,
  type MappingHook,
  type MappingHookDefinition,
  type Target,
  type TargetDefinition,
} from '@ust-sync/api'

/**
 * Everything a plugin hands back is checked here, at the boundary, before the engine uses it: read
 * results, snapshots, capabilities, command results and backend answers. A value that breaks the
 * contract is a PluginError (exit 5) naming the plugin and the first problems (`users[3].groups: …`),
 * never a crash deep in the engine or, worse, a plan computed from garbage.
 */
export function guardContribution<T extends Contribution>(contribution: T, plugin: string): T {
  switch (contribution.kind) {
    case 'identitySource':
      return guardSourceDefinition(contribution, plugin) as T
    case 'target':
      return guardTargetDefinition(contribution, plugin) as T
    case 'credentialBackend':
      return guardBackend(contribution, plugin) as T
    case 'mappingHook':
      return guardMappingHook(contribution, plugin) as T
  }
  return contribution
}

function broken(plugin: string, what: string, problems: string[]): PluginError {
  return new PluginError(
    `Plugin ${plugin} broke the plugin contract: ${what} returned an invalid value:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    {
      code: 'plugin.contract',
      suggestions: [
        'Nothing was changed by this step. Report this to the authors of the plugin (see `ust info`), or uninstall it',
      ],
    },
  )
}

/**
 * Runs one call into a plugin. An error the plugin did not design (a TypeError, a plain Error) becomes a
 * PluginError naming the plugin (package@version) and the method, with the original as its `cause`
 * (`--log-level debug` prints its stack); a UstError passes as it is.
 */
async function attributed<T>(plugin: string, what: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw crashed(plugin, what, error)
  }
}

/** {@link attributed} for a contribution's `create()`, whose usual failure is a setting it cannot use. */
function createdBy<T>(plugin: string, label: string, id: string, call: () => T): T {
  try {
    return call()
  } catch (error) {
    if (isUstError(error)) throw error
    throw new PluginError(`Plugin ${plugin} failed to create its ${label}: ${messageOf(error)}`, {
      code: 'plugin.create',
      cause: error,
      suggestions: [
        `Check the ${id} connector file; if it is right, report this to the plugin's authors (--log-level debug shows where it failed)`,
      ],
    })
  }
}

function crashed(plugin: string, what: string, error: unknown): unknown {
  if (isUstError(error)) return error
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return new PluginError(`Plugin ${plugin} failed in ${what}: ${detail}`, {
    code: 'plugin.crashed',
    cause: error,
    suggestions: [
      'This is a bug in the plugin: run again with --log-level debug for its stack trace, and report it to its authors (see `ust info`)',
    ],
  })
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

function checked<T>(value: T, problems: string[], plugin: string, what: string): T {
  if (problems.length > 0) throw broken(plugin, what, problems)
  return value
}

/** A connector's `identity()`, when it has one, checked to be a non-empty string of one line. */
function guardIdentity(connector: { identity?(): string }, plugin: string, label: string): { identity?(): string } {
  if (typeof connector.identity !== 'function') return {}
  return {
    identity: () => {
      const identity = connector.identity?.()
      const ok = typeof identity === 'string' && identity.trim() !== '' && !/[\r\n]/.test(identity)
      return checked(
        identity as string,
        ok ? [] : ['expected a non-empty string of one line'],
        plugin,
        `${label} identity()`,
      )
    },
  }
}

function guardSourceDefinition(definition: IdentitySourceDefinition, plugin: string): IdentitySourceDefinition {
  const label = `identity source "${definition.id}"`
  return {
    ...definition,
    create(config, context): IdentitySource {
      const source = createdBy(plugin, label, definition.id, () => definition.create(config, context))
      if (typeof source?.read !== 'function')
        throw broken(plugin, `${label} create()`, ['expected an object with a read() method'])
      return {
        read: async (selection) => {
          const result = await attributed(plugin, `${label} read()`, () => source.read(selection))
          return checked(result, checkReadResult(result), plugin, `${label} read()`)
        },
        endpoints: () => (typeof source.endpoints === 'function' ? source.endpoints() : []),
        ...guardIdentity(source, plugin, label),
        ...(source.check ? { check: source.check.bind(source) } : {}),
        ...(source.close ? { close: source.close.bind(source) } : {}),
      }
    },
  }
}

function guardTargetDefinition(definition: TargetDefinition, plugin: string): TargetDefinition {
  const label = `target "${definition.id}"`
  return {
    ...definition,
    create(config, context): Target {
      const target = createdBy(plugin, label, definition.id, () => definition.create(config, context))
      if (typeof target?.snapshot !== 'function' || typeof target.apply !== 'function')
        throw broken(plugin, `${label} create()`, ['expected an object with snapshot() and apply() methods'])
      const capabilities = checked(
        { ...target.capabilities },
        checkCapabilities(target.capabilities),
        plugin,
        `${label} capabilities`,
      )
      return {
        capabilities,
        endpoints: () => (typeof target.endpoints === 'function' ? target.endpoints() : []),
        ...guardIdentity(target, plugin, label),
        snapshot: async (scope) => {
          const snapshot = await attributed(plugin, `${label} snapshot()`, () => target.snapshot(scope))
          return checked(snapshot, checkSnapshot(snapshot, scope), plugin, `${label} snapshot()`)
        },
        apply: async (commands, options) => {
          if (options.testOnly && !capabilities.testMode)
            throw new ConfigError(`Target "${definition.id}" (${plugin}) has no test mode; it is never called with -t`)
          const results = await attributed(plugin, `${label} apply()`, () => target.apply(commands, options))
          return checked(results, checkCommandResults(results, commands), plugin, `${label} apply()`)
        },
        ...(target.check ? { check: target.check.bind(target) } : {}),
        ...(target.stats
          ? {
              stats: () => {
                const stats = target.stats?.() ?? { requests: 0, rateLimitWaitMs: 0 }
                const bad = [stats?.requests, stats?.rateLimitWaitMs].some((n) => !Number.isFinite(n) || n < 0)
                return checked(
                  stats,
                  bad ? ['expected {requests, rateLimitWaitMs} as numbers ≥ 0'] : [],
                  plugin,
                  `${label} stats()`,
                )
              },
            }
          : {}),
        ...(target.close ? { close: target.close.bind(target) } : {}),
      }
    },
  }
}

function guardBackend(definition: CredentialBackendDefinition, plugin: string): CredentialBackendDefinition {
  const label = `credential backend "${definition.id}"`
  const expect = <T>(value: T, ok: boolean, method: string, wanted: string): T =>
    checked(
      value,
      ok ? [] : [`expected ${wanted}, got ${value === null ? 'null' : typeof value}`],
      plugin,
      `${label} ${method}`,
    )
  return {
    ...definition,
    create: (context) => {
      const backend = definition.create(context)
      return {
        describe: async () => {
          const availability = await backend.describe()
          return checked(availability, checkAvailability(availability), plugin, `${label} describe()`)
        },
        get: async (service, account) => {
          const secret = await backend.get(service, account)
          return expect(secret, secret === undefined || typeof secret === 'string', 'get()', 'a string or undefined')
        },
        set: (service, account, secret) => backend.set(service, account, secret),
        delete: async (service, account) => {
          const deleted = await backend.delete(service, account)
          return expect(deleted, typeof deleted === 'boolean', 'delete()', 'true or false')
        },
        list: async (service) => {
          const accounts = await backend.list(service)
          const ok = Array.isArray(accounts) && accounts.every((a) => typeof a === 'string')
          return expect(accounts, ok, 'list()', 'an array of account names')
        },
      }
    },
  }
}

/**
 * A mapping hook whose `afterMapping` is checked after every call: what it leaves must be attributes and
 * group names (a PluginError otherwise), and an exception it throws becomes a PluginError (exit 5)
 * naming the plugin and the user.
 */
function guardMappingHook(definition: MappingHookDefinition, plugin: string): MappingHookDefinition {
  const label = `mapping hook "${definition.id}"`
  return {
    ...definition,
    create(settings, context): MappingHook {
      const hook = createdBy(plugin, label, 'directory_users.extension', () => definition.create(settings, context))
      checked(hook, checkMappingHook(hook), plugin, `${label} create()`)
      return {
        ...(hook.extendedAttributes ? { extendedAttributes: [...hook.extendedAttributes] } : {}),
        ...(hook.extendedAdobeGroups ? { extendedAdobeGroups: [...hook.extendedAdobeGroups] } : {}),
        afterMapping: (user) => {
          const who = `${user.targetAttributes.email ?? user.targetAttributes.username ?? '?'}${user.origin ? ` (${user.origin})` : ''}`
          let returned: unknown
          try {
            returned = hook.afterMapping(user)
          } catch (error) {
            throw new PluginError(
              `Plugin ${plugin}: ${label} failed for user ${who}: ${error instanceof Error ? error.message : String(error)}`,
              {
                code: 'plugin.hook-failed',
                cause: error,
                suggestions: ["Nothing was changed. Fix the hook (or the user's directory data), then run again"],
              },
            )
          }
          const problems = checkHookOutput(user)
          if (typeof (returned as { then?: unknown } | undefined)?.then === 'function')
            problems.unshift('returned a Promise: afterMapping() must be synchronous (ust does not await it)')
          checked(user, problems, plugin, `${label} afterMapping() for user ${who}`)
        },
      }
    },
  }
}
