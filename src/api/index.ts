/**
 * `ust-sync/api`: the plugin contract, re-exported from `@ust-sync/api` so that code written against the core
 * package keeps working. New plugins depend on `@ust-sync/api` directly (a runtime dependency with no
 * dependencies of its own).
 * @packageDocumentation
 */
export * from '@ust-sync/api'
