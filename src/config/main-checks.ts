import type { ConfigIssue } from '@ust-sync/api'
import { closestMatch } from './did-you-mean.js'
import { getAt, isRecord, type KeyPath } from './key-path.js'
import { INVOCATION_KEYWORDS } from './main-schema.js'
import { issueAt, type YamlFile } from './read-yaml.js'
import type { AdobeOnlyLimit } from './types.js'
import { notInstalled } from './ust-connectors.js'
import { type PatternUse, patternProblem } from './ust-pattern.js'

/** Top-level keys of older formats that UST refuses, with its advice. */
const RETIRED_KEYS: Record<string, { message: string; suggestion: string }> = {
  dashboard: {
    message: 'this is a User Sync v1 configuration ("dashboard:" section); it is not supported',
    suggestion: 'convert it to the v2 format (adobe_users / directory_users), see UST\'s "Upgrading from v1" guide',
  },
  directory: {
    message: 'this is a User Sync v1 configuration ("directory:" section); it is not supported',
    suggestion: 'convert it to the v2 format (adobe_users / directory_users), see UST\'s "Upgrading from v1" guide',
  },
  post_sync: {
    message: 'the post-sync connector (Sign Sync through "post_sync:") is no longer supported',
    suggestion:
      'remove "post_sync:"; migrate Sign Sync with UST\'s `user-sync migrate-post-sync`, which writes sign-sync-config.yml',
  },
}

/** Reports v1 (`dashboard:`/`directory:`) and `post_sync:` sections and returns the value without them. */
export function checkRetiredKeys(main: YamlFile, issues: ConfigIssue[]): Record<string, unknown> {
  const rest: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(main.value)) {
    const retired = RETIRED_KEYS[key]
    if (retired) issues.push(issueAt(main, [key], retired.message, retired.suggestion))
    else rest[key] = value
  }
  return rest
}

/** Parses `limits.max_adobe_only_users` as UST does: an integer ≥ 0, or "N%" with N from 0 to 100. */
export function parseAdobeOnlyLimit(value: unknown): AdobeOnlyLimit | string {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { kind: 'count', value }
  if (typeof value === 'string') {
    const text = value.trim()
    if (/^\d+$/.test(text)) return { kind: 'count', value: Number(text) }
    const percent = /^(\d+(?:\.\d+)?|\.\d+)%$/.exec(text)
    if (percent) {
      const n = Number(percent[1])
      return n <= 100 ? { kind: 'percent', value: n } : 'a percentage must be between 0% and 100%'
    }
  }
  return 'must be a whole number of users (e.g. 200) or a percentage of the Adobe users (e.g. "10%")'
}

/**
 * Checks of the main file that JSON Schema cannot express: the safety limit's format, regexes that must
 * compile, `exclude_adobe_groups` limited to the primary org, and the keywords
 * and connector of `invocation_defaults`.
 */
export function checkMainValues(main: YamlFile, values: Record<string, unknown>, sourceIds: string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const limit = getAt(values, ['limits', 'max_adobe_only_users'])
  if (limit !== undefined && (typeof limit === 'number' || typeof limit === 'string')) {
    const parsed = parseAdobeOnlyLimit(limit)
    if (typeof parsed === 'string')
      issues.push(
        issueAt(main, ['limits', 'max_adobe_only_users'], `invalid value ${JSON.stringify(limit)}: ${parsed}`),
      )
  }
  const regexAt = (path: KeyPath, use: PatternUse) => {
    const source = getAt(values, path)
    const problem = typeof source === 'string' ? patternProblem(source, use) : undefined
    if (problem)
      issues.push(
        issueAt(
          main,
          path,
          `invalid regular expression ${JSON.stringify(source)}: ${problem}`,
          'fix the pattern (escape special characters with \\)',
        ),
      )
  }
  forEachIndex(values, ['adobe_users', 'exclude_users'], (path) => regexAt(path, 'exclude_users'))
  forEachIndex(values, ['directory_users', 'additional_groups'], (path) =>
    regexAt([...path, 'source'], 'additional_groups'),
  )
  regexAt(['invocation_defaults', 'user_filter'], 'user_filter')
  forEachIndex(values, ['adobe_users', 'exclude_adobe_groups'], (path) => {
    const group = getAt(values, path)
    if (typeof group === 'string' && group.includes('::')) {
      issues.push(
        issueAt(
          main,
          path,
          `"${group}" names a group of another org; exclude_adobe_groups applies to the primary org only`,
          'use the group name without "org::"',
        ),
      )
    }
  })
  issues.push(...checkInvocationDefaults(main, values, sourceIds))
  return issues
}

function checkInvocationDefaults(main: YamlFile, values: Record<string, unknown>, sourceIds: string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const defaults = values.invocation_defaults
  if (!isRecord(defaults)) return issues
  const keywords: Record<string, readonly string[]> = { ...INVOCATION_KEYWORDS, connector: sourceIds }
  for (const [key, allowed] of Object.entries(keywords)) {
    const value = defaults[key]
    const first = Array.isArray(value) ? value[0] : typeof value === 'string' ? value.trim().split(/\s+/)[0] : undefined
    if (typeof first !== 'string' || allowed.includes(first.toLowerCase())) continue
    const plugin = key === 'connector' ? notInstalled(first.toLowerCase()) : undefined
    if (plugin) {
      issues.push(issueAt(main, ['invocation_defaults', key], plugin, 'install it, or choose another connector'))
      continue
    }
    const close = closestMatch(first, allowed)
    const hint = close
      ? `did you mean "${close}"?`
      : key === 'connector'
        ? 'install the plugin that provides this identity source (ust plugins install <package>)'
        : undefined
    const what = key === 'connector' ? `no identity source "${first}" is registered` : `unknown value "${first}"`
    issues.push(
      issueAt(main, ['invocation_defaults', key], `${what}; expected one of ${allowed.join(', ') || '(none)'}`, hint),
    )
  }
  return issues
}

function forEachIndex(values: unknown, path: KeyPath, visit: (path: KeyPath) => void): void {
  const list = getAt(values, path)
  if (Array.isArray(list)) for (let i = 0; i < list.length; i++) visit([...path, i])
}
