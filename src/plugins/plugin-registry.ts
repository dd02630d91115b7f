import type {
  Contribution,
  CredentialBackendDefinition,
  IdentitySourceDefinition,
  Registry,
  TargetDefinition,
} from '@ust-sync/api'
import { API_VERSION } from '@ust-sync/api'

/** A registered contribution and the plugin it came from. */
export interface Registered<T extends Contribution> {
  definition: T
  plugin: string
}

/** A plugin that could not register (or one of its contributions was refused), and why. */
export interface PluginFailure {
  plugin: string
  message: string
}

const KIND_LABEL: Record<Contribution['kind'], string> = {
  identitySource: 'identity source',
  target: 'target',
  credentialBackend: 'credential backend',
}

/**
 * Every contribution registered by every plugin, by kind and id. Ids are unique per kind across all
 * plugins: a second registration of an id is refused and recorded as a failure naming both plugins.
 */
export class PluginRegistry {
  private readonly byKind = {
    identitySource: new Map<string, Registered<IdentitySourceDefinition>>(),
    target: new Map<string, Registered<TargetDefinition>>(),
    credentialBackend: new Map<string, Registered<CredentialBackendDefinition>>(),
  }
  readonly failures: PluginFailure[] = []

  /** The `Registry` facade handed to one plugin's hook: records the plugin as the owner of what it registers. */
  forPlugin(plugin: string): Registry {
    return { apiVersion: API_VERSION, register: (contribution) => this.add(plugin, contribution) }
  }

  /** Records a plugin failure (hook threw, incompatible apiVersion, ...). */
  fail(plugin: string, message: string): void {
    this.failures.push({ plugin, message })
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

  identitySource(id: string): IdentitySourceDefinition | undefined {
    return this.byKind.identitySource.get(id)?.definition
  }

  target(id: string): TargetDefinition | undefined {
    return this.byKind.target.get(id)?.definition
  }

  credentialBackend(id: string): CredentialBackendDefinition | undefined {
    return this.byKind.credentialBackend.get(id)?.definition
  }

  /** Contributions of one plugin, as `kind:id` lists. */
  contributionsOf(plugin: string): { identitySources: string[]; targets: string[]; credentialBackends: string[] } {
    const ids = <T extends Contribution>(map: Map<string, Registered<T>>) =>
      [...map.values()].filter((r) => r.plugin === plugin).map((r) => r.definition.id)
    return {
      identitySources: ids(this.byKind.identitySource),
      targets: ids(this.byKind.target),
      credentialBackends: ids(this.byKind.credentialBackend),
    }
  }

  private add(plugin: string, contribution: Contribution): void {
    const kind = contribution?.kind
    if (!kind || !(kind in this.byKind) || typeof contribution.id !== 'string' || !contribution.id) {
      this.fail(
        plugin,
        `registered an invalid contribution (expected kind identitySource|target|credentialBackend and an id)`,
      )
      return
    }
    const map = this.byKind[kind] as Map<string, Registered<Contribution>>
    const existing = map.get(contribution.id)
    if (existing) {
      this.fail(
        plugin,
        `${KIND_LABEL[kind]} id "${contribution.id}" is already registered by ${existing.plugin}; ${plugin}'s duplicate was ignored. Uninstall one of the two plugins.`,
      )
      return
    }
    map.set(contribution.id, { definition: contribution, plugin })
  }
}
