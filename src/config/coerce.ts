import { isAbsolute, resolve } from 'node:path'
import type { JsonSchema } from '@ust-sync/api'
import { isRecord } from './key-path.js'

/**
 * Schema annotations understood by the loader (ignored by ajv):
 * - `"x-ust-path": true` on a string: a file path, resolved relative to the file that holds it (as UST
 *   resolves `priv_key_path`, `file_log_directory`, ...).
 * - `"x-ust-case-insensitive": true` on an `enum`: a value equal to a member ignoring case and surrounding
 *   spaces is replaced by that member (UST compares identity types and log levels case-insensitively).
 */
export const PATH_ANNOTATION = 'x-ust-path'
export const CASE_INSENSITIVE_ANNOTATION = 'x-ust-case-insensitive'

/**
 * Reads a value as UST does, guided by its schema, before validation: a scalar where a list is expected
 * becomes a one-element list, an empty (null) value of a typed key is treated as absent, case-insensitive enums
 * are canonicalised and path settings are made absolute against `baseDir`. Returns a new value.
 */
export function coerce(value: unknown, schema: JsonSchema, baseDir: string, root: JsonSchema = schema): unknown {
  const s = deref(schema, root)
  const types = typesOf(s)
  let v = value
  if (types.includes('array') && v !== null && v !== undefined && !accepts(types, v)) v = [v]
  if (s[PATH_ANNOTATION] === true && typeof v === 'string' && !v.startsWith('$(') && !isAbsolute(v))
    v = resolve(baseDir, v)
  if (s[CASE_INSENSITIVE_ANNOTATION] === true && typeof v === 'string' && Array.isArray(s.enum)) {
    const wanted = v.trim().toLowerCase()
    v = s.enum.find((member) => typeof member === 'string' && member.toLowerCase() === wanted) ?? v
  }
  if (Array.isArray(v)) {
    const items = s.items
    return isRecord(items) ? v.map((item) => coerce(item, items, baseDir, root)) : v
  }
  if (isRecord(v)) {
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(v)) {
      const childSchema = propertySchema(s, key)
      if (childSchema === undefined) {
        out[key] = child
        continue
      }
      // UST reads an empty value (`key:`, `~`, `null`) as "not set" (`get_*(key, none_allowed)` gives None).
      if (child === null && typesOf(deref(childSchema, root)).length > 0) continue
      out[key] = coerce(child, childSchema, baseDir, root)
    }
    return out
  }
  return v
}

function propertySchema(schema: JsonSchema, key: string): JsonSchema | undefined {
  const properties = schema.properties
  if (isRecord(properties) && isRecord(properties[key])) return properties[key]
  const additional = schema.additionalProperties
  return isRecord(additional) ? additional : undefined
}

/** Follows a local `$ref` (`#/$defs/x`) against the root schema. */
function deref(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref
  if (typeof ref !== 'string' || !ref.startsWith('#')) return schema
  let target: unknown = root
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    target = isRecord(target) ? target[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))] : undefined
  }
  return isRecord(target) ? target : schema
}

function typesOf(schema: JsonSchema): string[] {
  const type = schema.type
  if (typeof type === 'string') return [type]
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : []
}

function accepts(types: string[], value: unknown): boolean {
  const type = jsonType(value)
  return types.includes(type) || (type === 'integer' && types.includes('number'))
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}
