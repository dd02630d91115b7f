/** A key path inside a YAML document: mapping keys and sequence indexes. */
export type KeyPath = ReadonlyArray<string | number>

/** Formats a key path as `a.b[0].c`. */
export function formatKeyPath(path: KeyPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else out += out === '' ? segment : `.${segment}`
  }
  return out
}

/** Splits a dotted path (`enterprise.client_secret`) into segments. */
export function parseDottedPath(dotted: string): string[] {
  return dotted.split('.').filter((s) => s !== '')
}

/** True for a plain (non-array) object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

/** The value at `path` in nested records/arrays, or undefined. */
export function getAt(root: unknown, path: KeyPath): unknown {
  let current: unknown = root
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment]
    else if (isRecord(current) && typeof segment === 'string') current = current[segment]
    else return undefined
  }
  return current
}
