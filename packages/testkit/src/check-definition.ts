import { type Contribution, openObjectSchemas } from '@ust-sync/api'
import { isRecord } from './shape.js'

/** Problems in the static parts of a contribution: kind, id, description, connector schema, methods. */
export function definitionProblems(definition: Contribution, kind: Contribution['kind'], methods: string[]): string[] {
  const problems: string[] = []
  if (!isRecord(definition)) return ['the definition is not an object']
  if (definition.kind !== kind) problems.push(`kind is ${String(definition.kind)}, expected ${kind}`)
  if (typeof definition.id !== 'string' || !/^[a-z][a-z0-9_-]*$/.test(definition.id))
    problems.push(
      `id ${JSON.stringify(definition.id)} should be lower-case letters, digits, - or _ (it is a config key)`,
    )
  if (typeof definition.description !== 'string' || !definition.description)
    problems.push('description must be a non-empty string (ust info shows it)')
  for (const method of methods)
    if (typeof (definition as unknown as Record<string, unknown>)[method] !== 'function')
      problems.push(`${method} must be a function`)
  return problems
}

/** Problems in a connector schema: an object schema that accepts keys it does not name. */
export function schemaProblems(definition: Contribution): string[] {
  if (definition.kind === 'credentialBackend' || definition.kind === 'mappingHook') return []
  const schema = definition.connector?.schema
  if (!isRecord(schema)) return ['connector.schema must be a JSON Schema object']
  return openObjectSchemas(schema).map(
    (pointer) =>
      `${pointer} accepts unknown keys: add "additionalProperties": false so a misspelt key in a connector file is an error`,
  )
}
