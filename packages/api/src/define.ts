import type {
  CredentialBackendDefinition,
  IdentitySourceDefinition,
  RegisterHookOptions,
  TargetDefinition,
} from './contributions.js'
import type { MappingHookDefinition } from './mapping-hook.js'

type Without<T> = Omit<T, 'kind'>

/** Declares an identity source (adds `kind`, checks the shape at compile time). */
export function defineIdentitySource(definition: Without<IdentitySourceDefinition>): IdentitySourceDefinition {
  return { kind: 'identitySource', ...definition }
}

/** Declares a target. */
export function defineTarget(definition: Without<TargetDefinition>): TargetDefinition {
  return { kind: 'target', ...definition }
}

/** Declares a credential backend. */
export function defineCredentialBackend(definition: Without<CredentialBackendDefinition>): CredentialBackendDefinition {
  return { kind: 'credentialBackend', ...definition }
}

/** Declares a mapping hook (UST's `after_mapping_hook`, in JavaScript). */
export function defineMappingHook(definition: Without<MappingHookDefinition>): MappingHookDefinition {
  return { kind: 'mappingHook', ...definition }
}

/** Types a plugin's `ust:register` hook: `export default defineRegisterHook(({registry}) => registry.register(...))`. */
export function defineRegisterHook(
  hook: (options: RegisterHookOptions) => void | Promise<void>,
): (options: RegisterHookOptions) => Promise<void> {
  return async (options) => hook(options)
}
