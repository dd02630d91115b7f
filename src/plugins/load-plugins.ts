import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Config } from '@oclif/core'
import type { RegisterHookOptions } from '@ust-sync/api'
import { API_VERSION } from '@ust-sync/api'
import { isAllowed } from './allow-list.js'
import { KIND_LABEL, PluginRegistry, type ContributionKind, type Provides } from './plugin-registry.js'

/** The oclif hook every ust plugin implements to register its contributions. */
export const REGISTER_HOOK = 'ust:register'

/** How long a plugin's register hook may take (`UST_PLUGIN_REGISTER_TIMEOUT_MS` overrides it). */
export const REGISTER_TIMEOUT_MS = 10_000

type RegisterHook = (options: RegisterHookOptions) => unknown
type OclifPlugin = ReturnType<Config['getPluginsList']>[number]

/** Options of {@link loadPlugins}. */
export interface LoadOptions {
  /** Globs on package names; when set, only matching non-core plugins load. */
  allow?: string[] | undefined
  /** Why non-core plugins are skipped, when the allow-list is empty for a reason other than the globs. */
  allowReason?: string | undefined
  timeoutMs?: number
}

/** What a plugin's package.json says under `ust`. */
function ustOf(plugin: OclifPlugin): { apiVersion?: unknown; provides?: Provides } | undefined {
  return (plugin.pjson as { ust?: { apiVersion?: unknown; provides?: Provides } }).ust
}

/**
 * Fans the `ust:register` hook out to every plugin oclif knows (core first, then user-installed, then
 * linked), each with its own staging registry. A plugin is recorded as a failure and contributes nothing
 * when its hook throws, does not finish within the time limit, or it declares another contract version
 * (`"ust": {"apiVersion": N}`). A plugin not on the allow-list is not loaded at all. What a plugin
 * registered is checked against its `"ust": {"provides"}`. An id registered by two plugins is a conflict
 * (see PluginRegistry): load order never decides.
 */
export async function loadPlugins(config: Config, options: LoadOptions = {}): Promise<PluginRegistry> {
  const registry = new PluginRegistry()
  const timeoutMs = options.timeoutMs ?? REGISTER_TIMEOUT_MS
  for (const plugin of inPriorityOrder(config)) await loadPlugin(config, registry, plugin, options, timeoutMs)
  return registry
}

/** One plugin: admitted, its register hooks run on a staging registry, then committed and checked. */
async function loadPlugin(
  config: Config,
  registry: PluginRegistry,
  plugin: OclifPlugin,
  options: LoadOptions,
  timeoutMs: number,
): Promise<void> {
  const hooks = plugin.hooks?.[REGISTER_HOOK] ?? []
  const ust = ustOf(plugin)
  if (!admitted(registry, plugin, hooks.length > 0, ust, options)) return
  const { staged, registry: facade } = registry.stage(plugin.name, plugin.type, plugin.version)
  try {
    for (const hook of hooks) {
      const module = (await import(pathToFileURL(join(plugin.root, hook.target)).href)) as Record<string, unknown>
      const fn = module[hook.identifier ?? 'default'] ?? module.default
      if (typeof fn !== 'function') throw new Error(`${hook.target} does not export a hook function`)
      await withinTime(Promise.resolve((fn as RegisterHook).call({ config }, { registry: facade })), timeoutMs)
    }
  } catch (error) {
    staged.closed = true
    registry.fail(
      plugin.name,
      `failed while registering: ${error instanceof Error ? error.message : String(error)}`,
      ust?.provides,
    )
    return
  }
  registry.commit(staged)
  const mismatch = providesMismatch(ust?.provides, registry.contributionsOf(plugin.name))
  if (mismatch) registry.fail(plugin.name, mismatch)
}

/**
 * Whether a plugin's register hook may run: it has one (a plugin declaring `"ust"` without one fails; any
 * other plugin is not a ust plugin), it is core or on the allow-list (else skipped), and it was built for
 * this contract version (else it fails).
 */
function admitted(
  registry: PluginRegistry,
  plugin: OclifPlugin,
  hasHook: boolean,
  ust: ReturnType<typeof ustOf>,
  options: LoadOptions,
): boolean {
  if (!hasHook) {
    if (ust) registry.fail(plugin.name, `declares "ust" in its package.json but no "${REGISTER_HOOK}" oclif hook`)
    return false
  }
  if (plugin.type !== 'core' && options.allow && !isAllowed(plugin.name, options.allow)) {
    registry.skip(
      plugin.name,
      options.allowReason ??
        `not on the plugin allow-list (plugins.allow / UST_PLUGIN_ALLOW: ${options.allow.join(', ') || 'empty'})`,
    )
    return false
  }
  if (ust?.apiVersion !== API_VERSION) {
    registry.fail(
      plugin.name,
      ust?.apiVersion === undefined
        ? `declares no "ust.apiVersion" in its package.json; this ust needs plugins built for contract version ${API_VERSION}`
        : `was built for ust plugin contract version ${String(ust.apiVersion)}, but this ust implements version ${API_VERSION}; install a version of the plugin made for this ust`,
      ust?.provides,
    )
    return false
  }
  return true
}

/** Rejects when `promise` has not settled within `ms` (the timer is cleared as soon as it settles). */
async function withinTime<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`its ${REGISTER_HOOK} hook did not finish within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const KINDS: [ContributionKind, keyof Provides][] = [
  ['identitySource', 'identitySources'],
  ['target', 'targets'],
  ['credentialBackend', 'credentialBackends'],
  ['mappingHook', 'mappingHooks'],
]

/** How `"ust": {"provides"}` differs from what the plugin registered, worded for the user; undefined if equal. */
function providesMismatch(declared: Provides | undefined, registered: Required<Provides>): string | undefined {
  if (!declared) return undefined
  const problems: string[] = []
  for (const [kind, key] of KINDS) {
    const want = new Set(declared[key] ?? [])
    const have = new Set(registered[key])
    const missing = [...want].filter((id) => !have.has(id))
    const extra = [...have].filter((id) => !want.has(id))
    if (missing.length) problems.push(`declares ${KIND_LABEL[kind]} ${missing.join(', ')} but did not register it`)
    if (extra.length) problems.push(`registered ${KIND_LABEL[kind]} ${extra.join(', ')} without declaring it`)
  }
  return problems.length ? `does not match its package.json "ust.provides": ${problems.join('; ')}` : undefined
}

const PRIORITY: Record<string, number> = { core: 0, user: 1, link: 2, dev: 3 }

/** oclif's plugins, core first, then user-installed, then linked (stable within each type). */
function inPriorityOrder(config: Config) {
  return [...config.getPluginsList()].sort((a, b) => (PRIORITY[a.type] ?? 9) - (PRIORITY[b.type] ?? 9))
}
