import { SYNC_OPTIONS } from '../sync/sync-options.table.js'

/**
 * The values shell completion offers for flags that cannot declare oclif `options`: `ust sync`'s UST
 * two-token options take a keyword and an argument (`--users group "g1,g2"`), so oclif would reject the
 * argument, and its text options are case-insensitive. Keyed by command id, then flag name.
 */
export function completionValues(): Record<string, Record<string, readonly string[]>> {
  const sync: Record<string, readonly string[]> = {}
  for (const spec of SYNC_OPTIONS) {
    if (!('flag' in spec)) continue
    if ('forms' in spec) sync[spec.flag] = spec.forms.map((form) => form.keyword)
    else if ('values' in spec) sync[spec.flag] = spec.values
  }
  return { sync }
}
