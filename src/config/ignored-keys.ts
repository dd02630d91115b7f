import { isRecord, type KeyPath } from './key-path.js'

/**
 * Schema annotation (ignored by ajv): `"x-ust-ignored": "<what to do instead>"` on a property marks a key
 * UST accepts without acting on it. The loader accepts the key whatever its value, leaves it out of what the
 * plugin receives, and warns with the note.
 */
export const IGNORED_ANNOTATION = 'x-ust-ignored'

/** A copy of `value` without the keys its schema marks {@link IGNORED_ANNOTATION}; each is `report`ed. */
export function dropIgnoredKeys(
  value: unknown,
  schema: Record<string, unknown>,
  report: (path: KeyPath, note: string) => void,
  path: KeyPath = [],
): unknown {
  const properties = schema.properties
  if (!isRecord(value) || !isRecord(properties)) return value
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    const childSchema = properties[key]
    if (!isRecord(childSchema)) out[key] = child
    else if (typeof childSchema[IGNORED_ANNOTATION] === 'string')
      report([...path, key], childSchema[IGNORED_ANNOTATION])
    else out[key] = dropIgnoredKeys(child, childSchema, report, [...path, key])
  }
  return out
}
