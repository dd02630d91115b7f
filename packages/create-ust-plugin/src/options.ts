import { ConfigError } from '@ust-sync/api'

/** The four kinds of contribution a plugin can make. */
export const KINDS = ['source', 'target', 'backend', 'mapping-hook'] as const
export type Kind = (typeof KINDS)[number]
export const LANGUAGES = ['ts', 'js'] as const
export type Language = (typeof LANGUAGES)[number]

/** What to generate. */
export interface PluginOptions {
  kind: Kind
  lang: Language
  /** npm package name, e.g. `ust-plugin-hr` or `@acme/ust-plugin-hr`. */
  name: string
  /** Contribution id (the config key); default: derived from the name. */
  id: string
  /** Directory to write (must not exist or be empty). */
  dir: string
}

/** npm's rules for a package name (lower case, URL-safe, optional scope). */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/

/** A valid npm package name, or a ConfigError saying what is wrong. */
export function checkName(name: string): string {
  if (!PACKAGE_NAME.test(name) || name.length > 214)
    throw new ConfigError(`"${name}" is not an npm package name`, {
      suggestions: ['Use lower-case letters, digits, - . _ and an optional @scope/, e.g. @acme/ust-plugin-hr'],
    })
  return name
}

/** The contribution id a package name suggests: `@acme/ust-plugin-hr-feed` → `hr-feed`. */
export function idFromName(name: string): string {
  const bare = name.replace(/^@[^/]+\//, '').replace(/^(ust-plugin-|plugin-ust-|ust-)/, '')
  const id = bare
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
  return id || 'plugin'
}

/** A value among `allowed` (case-insensitive; `typescript`/`javascript` and `hook` accepted), or a ConfigError. */
export function oneOf<T extends string>(what: string, value: string, allowed: readonly T[]): T {
  const aliases: Record<string, string> = { typescript: 'ts', javascript: 'js', hook: 'mapping-hook' }
  const folded = value.trim().toLowerCase()
  const found = allowed.find((a) => a === (aliases[folded] ?? folded))
  if (!found) throw new ConfigError(`--${what} ${value} is not one of ${allowed.join(', ')}`)
  return found
}
