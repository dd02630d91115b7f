import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import type { ConfigIssue, JsonSchema } from '@ust-sync/api'
import { didYouMean } from './did-you-mean.js'
import { getAt, isRecord, type KeyPath } from './key-path.js'

/** Builds an issue at a key path (the caller knows the file and how to find line:column). */
export type IssueAt = (path: KeyPath, message: string, suggestion?: string) => ConfigIssue

const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true })
const compiled = new WeakMap<JsonSchema, ValidateFunction>()

/**
 * Validates `value` against a JSON Schema and returns every problem (ajv `allErrors`), each as an issue
 * at its key path, worded for a person: unknown keys with a "did you mean", missing keys, wrong types,
 * values outside an enum. Values are not echoed (they may be secrets).
 */
export function validateAgainstSchema(value: unknown, schema: JsonSchema, at: IssueAt): ConfigIssue[] {
  let validate = compiled.get(schema)
  if (!validate) {
    validate = ajv.compile(schema)
    compiled.set(schema, validate)
  }
  if (validate(value)) return []
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if')
  return errors.map((error) => toIssue(error, value, at))
}

function toIssue(error: ErrorObject, root: unknown, at: IssueAt): ConfigIssue {
  const path = instancePath(error.instancePath, root)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const known = isRecord(error.parentSchema?.properties) ? Object.keys(error.parentSchema.properties) : []
      const hint = didYouMean(key, known) ?? (known.length ? `allowed keys: ${known.join(', ')}` : 'remove it')
      return at([...path, key], `unknown key "${key}"`, hint)
    }
    case 'required': {
      const key = String(params.missingProperty)
      return at([...path, key], `missing required key "${key}"`, `add "${key}"`)
    }
    case 'type':
      return at(path, `must be ${describeTypes(String(params.type))}, not ${describeValue(error.data)}`)
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')
      return at(path, `must be one of ${allowed}`)
    }
    default:
      return at(path, error.message ?? `fails the "${error.keyword}" rule`)
  }
}

/** Converts ajv's JSON pointer to a key path, using numbers where the data is a list. */
function instancePath(pointer: string, root: unknown): KeyPath {
  const path: Array<string | number> = []
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    path.push(Array.isArray(getAt(root, path)) ? Number(segment) : segment)
  }
  return path
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys',
  null: 'empty',
}

function describeTypes(types: string): string {
  return types
    .split(',')
    .map((t) => TYPE_NAMES[t] ?? t)
    .join(' or ')
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'number') return 'a number'
  if (typeof value === 'boolean') return 'true/false'
  return 'a string'
}
