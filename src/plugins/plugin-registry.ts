import type {
  Contribution,
  CredentialBackendDefinition,
  IdentitySourceDefinition,
  MappingHookDefinition,
  Registry,
  TargetDefinition,
} from '@ust-sync/api'
import { API_VERSION, ConfigError } from '@ust-sync/api'
import { guardContribution } from './guard.js'

/** A registered contribution and the plugin it came from. */
export interface Registered<T extends Contribution> {
  definition: T
  plugin: string
}

/** What a plugin's package.json declares under `"ust": {"provides": …}`. */
export interface Provides {
  identitySources?: string[]
  targets?: string[]
  credentialBackends?: string[]
  mappingHooks?: string[]
}

/** A plugin that could not be loaded (or whose registration broke a rule), and why. */
export interface PluginFailure {
  plugin: string
  message: string
  /** What its package.json says it provides: lets `ust sync` name it when one of those ids is missing. */
  provides?: Provides
}

/** An id registered by more than one plugin. Using it is refused; ust never picks one by load order. */
export interface PluginConflict {
  kind: Contribution['kind']
  id: string
  /** Every plugin registering it: core plugins first, then by name (never by load order). */
  plugins: string[]
}

/** A plugin deliberately not loaded (not on the allow-list). */
export interface SkippedPlugin {
  plugin: string
  reason: string
}

export type ContributionKind = Contribution['kind']

export const KIND_LABEL: Record<ContributionKind, string> = {
  identitySource: 'identity source',
  target: 'target',
  credentialBackend: 'credential backend',
  mappingHook: 'mapping hook',
}

const PROVIDES_KEY: Record<ContributionKind, keyof Provides> = {
  identitySource: 'identitySources',
  target: 'targets',
  credentialBackend: 'credentialBackends',
  mappingHook: 'mappingHooks',
}

/** The contributions one plugin registered, staged until its hook finished (a failed plugin adds nothing). */
export interface Staged {
  plugin: string
  contributions: Contribution[]
  /** Closed once the hook finished or timed out: later `register` calls are ignored. */
  closed: boolean
}

/**
 * Every contribution registered by every plugin, by kind and id. An id registered by two plugins is a
 * conflict: it stays listed, but looking it up throws a ConfigError naming both plugins, so a command that
 * needs it stops, and other commands only warn.
 */
export class PluginRegistry {
  private readonly byKind = {
    identitySource: new Map<string, Registered<IdentitySourceDefinition>>(),
    target: new Map<string, Registered<TargetDefinition>>(),
    credentialBackend: new Map<string, Registered<CredentialBackendDefinition>>(),
    mappingHook: new Map<string, Registered<MappingHookDefinition>>(),
  }
  readonly failures: PluginFailure[] = []
  readonly conflicts: PluginConflict[] = []
  readonly skipped: SkippedPlugin[] = []
  /** Plugin name → how it is installed (`core`, `user`, `link`), for uninstall advice. */
  private readonly types = new Map<string, string>()
  /** Package versions, for errors that name a plugin as `package@version`. */
  private readonly versions = new Map<string, string>()

  /** A staging area and the `Registry` facade handed to one plugin's hook. */
  stage(plugin: string, type = 'user', version?: string): { staged: Staged; registry: Registry } {
    this.types.set(plugin, type)
    if (version) this.versions.set(plugin, version)
    const staged: Staged = { plugin, contributions: [], closed: false }
    const registry: Registry = {
      apiVersion: API_VERSION,
      register: (contribution) => {
        if (!staged.closed) staged.contributions.push(contribution)
      },
    }
    return { staged, registry }
  }

  /** A `Registry` facade that adds at once (no staging), for tests and for the core's own registrations. */
  forPlugin(plugin: string, type = 'core'): Registry {
    this.types.set(plugin, type)
    return { apiVersion: API_VERSION, register: (contribution) => this.add(plugin, contribution) }
  }

  /** Adds what a plugin registered, once its hook has finished. Invalid contributions are failures. */
  commit(staged: Staged): void {
    staged.closed = true
    for (const contribution of staged.contributions) this.add(staged.plugin, contribution)
  }

  /** Records a plugin failure (hook threw or timed out, incompatible apiVersion, ...). */
  fail(plugin: string, message: string, provides?: Provides): void {
    this.failures.push(provides ? { plugin, message, provides } : { plugin, message })
  }

  skip(plugin: string, reason: string): void {
    this.skipped.push({ plugin, reason })
  }

  identitySources(): Registered<IdentitySourceDefinition>[] {
    return [...this.byKind.identitySource.values()]
  }

  targets(): Registered<TargetDefinition>[] {
    return [...this.byKind.target.values()]
  }

  credentialBackends(): Registered<CredentialBackendDefinition>[] {
    return [...this.byKind.credentialBackend.values()]
  }

  mappingHooks(): Registered<MappingHookDefinition>[] {
    return [...this.byKind.mappingHook.values()]
  }

  /** The identity source `id`; throws a ConfigError when two plugins register it. */
  identitySource(id: string): IdentitySourceDefinition | undefined {
    return this.lookup('identitySource', id)?.definition as IdentitySourceDefinition | undefined
  }

  /** The target `id`; throws a ConfigError when two plugins register it. */
  target(id: string): TargetDefinition | undefined {
    return this.lookup('target', id)?.definition as TargetDefinition | undefined
  }

  /** The credential backend `id`; throws a ConfigError when two plugins register it. */
  credentialBackend(id: string): CredentialBackendDefinition | undefined {
    return this.lookup('credentialBackend', id)?.definition as CredentialBackendDefinition | undefined
  }

  /** The mapping hook `id`; throws a ConfigError when two plugins register it. */
  mappingHook(id: string): MappingHookDefinition | undefined {
    return this.lookup('mappingHook', id)?.definition as MappingHookDefinition | undefined
  }

  /** The plugin that registered `kind` `id`, if any (the first one, for a conflict). */
  ownerOf(kind: ContributionKind, id: string): string | undefined {
    return this.byKind[kind].get(id)?.plugin
  }

  /** Contributions of one plugin, as id lists by kind (an id it shares in a conflict included). */
  contributionsOf(plugin: string): Required<Provides> {
    // What the plugin registered: the ids it holds, and the ids it registered that another plugin also did
    // (a conflict keeps one holder; each plugin of it still registered the id once).
    const ids = (kind: ContributionKind) => [
      ...new Set([
        ...[...this.byKind[kind].values()].filter((r) => r.plugin === plugin).map((r) => r.definition.id),
        ...this.conflicts.filter((c) => c.kind === kind && c.plugins.includes(plugin)).map((c) => c.id),
      ]),
    ]
    return {
      identitySources: ids('identitySource'),
      targets: ids('target'),
      credentialBackends: ids('credentialBackend'),
      mappingHooks: ids('mappingHook'),
    }
  }

  /**
   * Why `kind` `id` may be missing: the failed plugin that declares it in `ust.provides`, else every
   * plugin that failed to load. Undefined when no plugin failed.
   */
  missingHint(kind: ContributionKind, id: string): string | undefined {
    const declaring = this.failures.filter((f) => f.provides?.[PROVIDES_KEY[kind]]?.includes(id))
    const culprits = declaring.length > 0 ? declaring : this.failures
    if (culprits.length === 0) return undefined
    const named = culprits.map((f) => `${f.plugin} ${f.message}`).join('; ')
    return declaring.length > 0
      ? `the plugin that provides ${KIND_LABEL[kind]} "${id}" failed to load: ${named}`
      : `${culprits.length === 1 ? 'a plugin' : `${culprits.length} plugins`} failed to load and may provide it: ${named}`
  }

  /** One line per failure, conflict and skipped plugin, for commands to print as warnings. */
  warnings(): string[] {
    return [
      ...this.failures.map((f) => `plugin ${f.plugin} ${f.message}`),
      ...this.conflicts.map(
        (c) =>
          `${KIND_LABEL[c.kind]} "${c.id}" is registered by ${c.plugins.join(' and ')}; it cannot be used until one is uninstalled (${this.uninstallAdvice(c.plugins)})`,
      ),
      ...this.skipped.map((s) => `plugin ${s.plugin} was not loaded: ${s.reason}`),
    ]
  }

  private lookup(kind: ContributionKind, id: string): Registered<Contribution> | undefined {
    const conflict = this.conflicts.find((c) => c.kind === kind && c.id === id)
    if (conflict) {
      throw new ConfigError(
        `${conflict.plugins.length} plugins register the ${KIND_LABEL[kind]} "${id}": ${conflict.plugins.join(', ')}. ust does not choose one by load order, so nothing was done`,
        {
          code: 'config.duplicate-plugin-id',
          suggestions: [`Uninstall one of them: ${this.uninstallAdvice(conflict.plugins)}`],
        },
      )
    }
    return this.byKind[kind].get(id)
  }

  /** Core plugins first, then by name: messages do not depend on the order oclif lists plugins in. */
  private readonly byTypeThenName = (a: string, b: string): number =>
    Number(this.types.get(a) !== 'core') - Number(this.types.get(b) !== 'core') || a.localeCompare(b)

  private uninstallAdvice(plugins: string[]): string {
    const removable = plugins.filter((p) => this.types.get(p) !== 'core')
    return (removable.length > 0 ? removable : plugins).map((p) => `ust plugins uninstall ${p}`).join(' or ')
  }

  private add(plugin: string, contribution: Contribution): void {
    const kind = contribution?.kind
    if (!kind || !(kind in this.byKind) || typeof contribution.id !== 'string' || !contribution.id) {
      this.fail(
        plugin,
        'registered an invalid contribution (expected kind identitySource|target|credentialBackend|mappingHook and an id)',
      )
      return
    }
    const map = this.byKind[kind] as Map<string, Registered<Contribution>>
    const existing = map.get(contribution.id)
    if (!existing) {
      const version = this.versions.get(plugin)
      const label = version ? `${plugin}@${version}` : plugin
      map.set(contribution.id, { definition: guardContribution(contribution, label), plugin })
      return
    }
    const conflict = this.conflicts.find((c) => c.kind === kind && c.id === contribution.id)
    if (conflict) {
      if (!conflict.plugins.includes(plugin)) conflict.plugins.push(plugin)
      conflict.plugins.sort(this.byTypeThenName)
    } else if (existing.plugin !== plugin)
      this.conflicts.push({ kind, id: contribution.id, plugins: [existing.plugin, plugin].sort(this.byTypeThenName) })
    else this.fail(plugin, `registered the ${KIND_LABEL[kind]} "${contribution.id}" twice`)
  }
}
