import type { ErrorObject } from 'ajv/dist/2020.js'
import type { ConfigIssue, JsonSchema } from '@ust-sync/api'
import { didYouMean } from './did-you-mean.js'
import { formatKeyPath, getAt, isRecord, type KeyPath } from './key-path.js'

/** Builds an issue at a key path (the caller knows the file and how to find line:column). */
export type IssueAt = (path: KeyPath, message: string, suggestion?: string) => ConfigIssue

/** A compiled schema, as ajv (or its standalone code) makes it. */
type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null }

/** ajv's options, also used by scripts/compile-schemas.ts for the validators compiled at build time. */
const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true } as const
const compiled = new WeakMap<JsonSchema, Validator>()

/**
 * Validators compiled at build time for the schemas ust ships (scripts/compile-schemas.ts), by the JSON
 * text of their schema; empty when running from source.
 */
let shipped: Promise<ReadonlyMap<string, Validator>> | undefined
const shippedValidators = () =>
  (shipped ??= import('./compiled-schemas.js').then(
    (m) => m.validators as ReadonlyMap<string, Validator>,
    () => new Map<string, Validator>(),
  ))

/** ajv, loaded only for a schema not compiled at build time (a third-party plugin's). */
let runtime: Promise<{ compile(schema: JsonSchema): Validator }> | undefined
const runtimeAjv = () => (runtime ??= import('ajv/dist/2020.js').then(({ Ajv2020 }) => new Ajv2020(AJV_OPTIONS)))

/** The validator of `schema`: compiled at build time when it is one ust ships, else by ajv now (once). */
export async function validatorFor(schema: JsonSchema): Promise<Validator> {
  let validate = compiled.get(schema)
  if (!validate) {
    validate = (await shippedValidators()).get(JSON.stringify(schema)) ?? (await runtimeAjv()).compile(schema)
    compiled.set(schema, validate)
  }
  return validate
}

/**
 * Validates `value` against a JSON Schema and returns every problem (ajv `allErrors`), each as an issue
 * at its key path, worded for a person: unknown keys with a "did you mean", missing keys, wrong types,
 * values outside an enum. Values are not echoed (they may be secrets). A schema's `"x-ust-message"` replaces
 * the wording of every rule its value breaks (a `pattern` shows that message, never the regex).
 */
export async function validateAgainstSchema(value: unknown, schema: JsonSchema, at: IssueAt): Promise<ConfigIssue[]> {
  const validate = await validatorFor(schema)
  if (validate(value)) return []
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if')
  const issues: ConfigIssue[] = []
  const seen = new Set<string>()
  for (const error of errors) {
    const issue = toIssue(error, value, at)
    // Two failed rules of one value with an `x-ust-message` (pattern and minLength) say the same thing: once.
    const key = `${issue.path}\n${issue.message}`
    if (!seen.has(key)) issues.push(issue)
    seen.add(key)
  }
  return issues
}

/** Keywords about an object's keys, not about the value itself: `x-ust-message` does not replace them. */
const KEY_KEYWORDS = new Set(['additionalProperties', 'required', 'propertyNames', 'dependentRequired'])

/** The schema's `x-ust-message` for a rule the value broke (a non-empty string), else undefined. */
function humanMessage(error: ErrorObject): string | undefined {
  if (KEY_KEYWORDS.has(error.keyword)) return undefined
  const message = (error.parentSchema as Record<string, unknown> | undefined)?.['x-ust-message']
  return typeof message === 'string' && message.trim() ? message.trim() : undefined
}

/**
 * A key as an error may show it: a plain key as written; anything else (a colon, quote, space or `=`
 * inside it, or over 64 characters) is cut before the first such character and marked `…`, since what
 * follows may be a value, even a secret.
 */
export function shownKey(key: string): string {
  if (/^[A-Za-z0-9_.-]{1,64}$/.test(key)) return key
  const plain = /^[A-Za-z0-9_-]{0,40}/.exec(key)?.[0] ?? ''
  return `${plain}…`
}

function toIssue(error: ErrorObject, root: unknown, at: IssueAt): ConfigIssue {
  const path = instancePath(error.instancePath, root)
  const params = error.params as Record<string, unknown>
  const human = humanMessage(error)
  if (human !== undefined) return at(path, human)
  switch (error.keyword) {
    case 'additionalProperties': {
      const written = String(params.additionalProperty)
      const known = isRecord(error.parentSchema?.properties) ? Object.keys(error.parentSchema.properties) : []
      const key = shownKey(written)
      if (key !== written) {
        // `client_secret:'S3cret':` (no space after the colon) is one key holding a value: never quote it.
        const meant = written.slice(0, key.length - 1)
        const hint = `${didYouMean(meant, known) ?? 'check the line'}; write a space after the colon (key: value)`
        const message = `unknown key "${key}" (cut: it looks like a key and its value written together)`
        return { ...at([...path, written], message, hint), path: formatKeyPath([...path, key]) }
      }
      const hint =
        didYouMean(key, known) ??
        misplaced(key, path) ??
        (known.length ? `allowed keys: ${known.join(', ')}` : 'remove it')
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

/**
 * Keys UST administrators write where ust (like UST) does not read them, and where they belong: the
 * "did you mean" of an unknown key that no spelling is close to.
 */
const MISPLACED: Record<string, string> = {
  ssl_cert_verify: 'invocation_defaults.ssl_cert_verify (main file) or server.ssl_verify (connector-umapi.yml)',
  ssl_verify: 'server.ssl_verify (connector-umapi.yml) or network.ssl_verify (main file)',
  proxy: 'network.proxy (main file)',
  user_filter: 'invocation_defaults.user_filter (main file)',
}

function misplaced(key: string, path: KeyPath): string | undefined {
  const where = MISPLACED[key.toLowerCase()]
  return where === undefined || path.length > 1 ? undefined : `did you mean ${where}?`
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
