import { isRecord, type KeyPath } from './key-path.js'
import { foundDepth, type YamlFile } from './read-yaml.js'

/**
 * Merges config dicts in order as UST's `combine_dicts` does: a later file wins, and a mapping value
 * present in both is merged one level deep (its keys updated), not replaced.
 */
export function combineDicts(dicts: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const dict of dicts) {
    for (const [key, value] of Object.entries(dict)) {
      const previous = result[key]
      result[key] = isRecord(previous) && isRecord(value) ? { ...previous, ...value } : value
    }
  }
  return result
}

/**
 * The file a key of a merged list of files came from: the last file holding the longest part of `path`
 * (later files win in {@link combineDicts}). Used to report an issue in the right file.
 */
export function originOf(files: readonly YamlFile[], path: KeyPath): YamlFile {
  let best = files[files.length - 1]!
  let bestDepth = -1
  for (let i = files.length - 1; i >= 0; i--) {
    const depth = foundDepth(files[i]!, path)
    if (depth > bestDepth) {
      best = files[i]!
      bestDepth = depth
    }
  }
  return best
}
