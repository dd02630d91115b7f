/**
 * The sync engine: what `ust sync` calls. Mapping and planning are pure; `runSync` does the I/O.
 * @packageDocumentation
 */
export { runSync, type RunSyncInput } from './run-sync.js'
export { resolveSyncOptions, type RawSyncFlags } from './resolve-options.js'
export { acquireLock, lockPathFor, type SyncLock } from './lock.js'
export type { SyncResult, SyncCounts, SyncFailure, TargetActions } from './summary.js'
export type { Plan, PlanTarget, PlanCounters, LimitDecision, DesiredState, DesiredUser, AdobeOnlyFile } from './plan.types.js'
export type { SyncOptions } from './options.types.js'
