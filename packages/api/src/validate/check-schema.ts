import type { JsonSchema } from '../connector-schema.js'
import { isRecord } from './shape.js'

/**
 * Object schemas in a connector schema that accept keys they do not name: every schema with
 * `properties` (or `type: "object"`) must say `additionalProperties: false` (or give a schema for the
 * extra keys), so a misspelt key in a connector file is an error, as in UST. Returns the JSON pointers of
 * the offending subschemas (`#` is the root).
 */
export function openObjectSchemas(schema: JsonSchema): string[] {
  const open: string[] = []
  const walk = (node: unknown, pointer: string) => {
    if (!isRecord(node)) return
    const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object'))
    if ((isObject || isRecord(node.properties)) && node.additionalProperties === undefined && !node.$ref)
      open.push(pointer)
    if (isRecord(node.properties))
      for (const [k, v] of Object.entries(node.properties)) walk(v, `${pointer}/properties/${k}`)
    for (const key of ['items', 'additionalProperties'] as const) walk(node[key], `${pointer}/${key}`)
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
      if (Array.isArray(node[key]))
        for (const [i, v] of (node[key] as unknown[]).entries()) walk(v, `${pointer}/${key}/${i}`)
  }
  walk(schema, '#')
  return open
}
