/**
 * `@ust-sync/api`: the public plugin contract. Plugins import only from here.
 * @packageDocumentation
 */
export { API_VERSION } from './version.js'
export {
  EXIT_CODE_CATALOGUE,
  type ErrorCode,
  type ErrorKind,
  ExitCode,
  type ExitCodeEntry,
  type ExitCodeRetry,
  type ExitCodeName,
} from './exit-codes.js'
export type * from './records.js'
export { ROLE_GROUPS } from './role-groups.js'
export type * from './context.js'
export type * from './connector-schema.js'
export type * from './contributions.js'
export type * from './mapping-hook.js'
export {
  defineIdentitySource,
  defineTarget,
  defineCredentialBackend,
  defineMappingHook,
  defineRegisterHook,
} from './define.js'
export { UstError, isUstError, type UstErrorOptions } from './errors/ust-error.js'
export { ConfigError, formatConfigIssue, type ConfigIssue } from './errors/config-error.js'
export { CredentialError } from './errors/credential-error.js'
export { NetworkError, type NetworkErrorOptions } from './errors/network-error.js'
export { PluginError } from './errors/plugin-error.js'
export { SourceError } from './errors/source-error.js'
export { TargetError } from './errors/target-error.js'
export { LockError } from './errors/lock-error.js'
export {
  checkAvailability,
  checkCapabilities,
  checkCommandResults,
  checkReadResult,
  checkSnapshot,
} from './validate/check-records.js'
export { checkHookOutput, checkMappingHook, TARGET_ATTRIBUTE_KEYS } from './validate/check-hook.js'
export { openObjectSchemas } from './validate/check-schema.js'
export { isEmailAddress } from './validate/is-email-address.js'
