import { posix } from 'node:path'
import type { MainFile } from '../config/main-file.js'

/** Environment variable holding the allow-list: comma-separated globs on package names. */
export const ALLOW_ENV = 'UST_PLUGIN_ALLOW'

/**
 * Which non-core plugins may load: globs on the npm package name (`@acme/*`, `ust-plugin-okta`), from
 * `UST_PLUGIN_ALLOW` and the main config's `plugins.allow` together. Undefined when neither is set (every
 * installed plugin loads). Core plugins (shipped with ust) are always allowed.
 */
export function allowListOf(env: NodeJS.ProcessEnv, fromConfig: string[] | undefined): string[] | undefined {
  const fromEnv = env[ALLOW_ENV]
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (fromEnv === undefined && fromConfig === undefined) return undefined
  return [...(fromEnv ?? []), ...(fromConfig ?? [])]
}

/** Whether `name` matches one of the globs (`*` stays within a path segment, so `@acme/*` is one scope). */
export function isAllowed(name: string, globs: readonly string[]): boolean {
  return globs.some((glob) => glob === name || posix.matchesGlob(name, glob))
}

/**
 * `plugins.allow` of the main config file as the command read it ({@link MainFile}), read before the plugins
 * load (their schemas are needed to validate the rest). Fails closed: a config file that cannot be read or
 * parsed, or an allow-list that is not a glob or a list of globs, allows no plugin beyond ust's own (the
 * command then stops on the config error itself).
 */
export function allowListInMainFile(main: MainFile): string[] | undefined {
  if (main.kind === 'none') return undefined
  if (main.kind === 'failed') return []
  const plugins = main.yaml.value.plugins
  if (plugins === undefined || plugins === null) return undefined
  if (typeof plugins !== 'object' || Array.isArray(plugins)) return []
  const allow = (plugins as { allow?: unknown }).allow
  if (allow === undefined || allow === null) return undefined
  if (typeof allow === 'string') return [allow]
  if (Array.isArray(allow) && allow.every((a) => typeof a === 'string')) return allow
  return []
}
