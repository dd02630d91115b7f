import { readFile } from 'node:fs/promises'
import { posix } from 'node:path'
import { parse } from 'yaml'

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
 * `plugins.allow` of a main config file, read before the plugins load (their schemas are needed to
 * validate the rest). A file that cannot be read or parsed gives undefined: the full config load reports
 * that problem properly right after.
 */
export async function allowListInConfig(file: string | undefined): Promise<string[] | undefined> {
  if (!file) return undefined
  try {
    const doc = parse(await readFile(file, 'utf8')) as { plugins?: { allow?: unknown } } | null
    const allow = doc?.plugins?.allow
    if (typeof allow === 'string') return [allow]
    if (Array.isArray(allow)) return allow.filter((a): a is string => typeof a === 'string')
    return undefined
  } catch {
    return undefined
  }
}
