/**
 * `@ust-sync/plugin-testkit`: conformance checks for ust plugins. Each check runs the plugin as ust would
 * and throws a {@link ContractViolation} listing every broken rule, so it fits any test runner:
 *
 * ```ts
 * import { checkPluginPackage, checkIdentitySource } from '@ust-sync/plugin-testkit'
 * it('keeps the ust plugin contract', async () => {
 *   const { contributions } = await checkPluginPackage(pluginDir)
 *   await checkIdentitySource(contributions[0], { config: { file: 'people.json' }, failingConfig: { file: 'missing.json' } })
 * })
 * ```
 * @packageDocumentation
 */
export { checkPluginPackage, type PackageReport } from './check-package.js'
export { checkIdentitySource, type SourceCheckOptions } from './check-source.js'
export { checkTarget, type TargetCheckOptions } from './check-target.js'
export type { UnsupportedSteps } from './target-script.js'
export { checkCredentialBackend, type BackendCheckOptions } from './check-backend.js'
export {
  checkMappingHook,
  type HookOutcome,
  type HookSample,
  type MappingHookCheckOptions,
  type MappingHookReport,
} from './check-mapping-hook.js'
export { ContractViolation, type ConformanceReport } from './report.js'
export { leakedSecrets, testContext, type RecordingContext } from './test-context.js'
