import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { mainSchema } from '../../src/config/main-schema.js'

// The validators `npm run build` compiles for the schemas ust ships (scripts/compile-schemas.ts) must
// answer exactly as ajv compiling the same schema at run time: same verdict, same errors (keyword, path,
// params, data, parentSchema), so users see the same problems either way.
const file = fileURLToPath(new URL('../../dist/config/compiled-schemas.js', import.meta.url))
type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null }
const { validators } = (await import(file)) as { validators: Map<string, Validator> }
const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true })

/** Values breaking each property of an object schema in turn, plus an unknown key and an empty mapping. */
function samples(schema: Record<string, unknown>): unknown[] {
  const properties = (schema.properties ?? {}) as Record<string, unknown>
  const out: unknown[] = [{}, { no_such_key: 1 }, [], 'text']
  for (const key of Object.keys(properties)) {
    for (const wrong of [{ nested_unknown: true }, ['a', 1], 12.5, 'x', null, true])
      out.push({ [key]: wrong, no_such_key: 'y' })
  }
  return out
}

describe('validators compiled at build time', () => {
  it('exist for the main schema (run `npm run build` first)', () => {
    expect(existsSync(file)).toBe(true)
    expect(validators.get(JSON.stringify(mainSchema))).toBeTypeOf('function')
  })

  it('cover the main schema and every first-party connector schema', () => {
    expect(validators.size).toBe(9) // main, ldap, csv, sandbox, umapi, adobe_console, entra, okta, sign
  })

  for (const [text, shipped] of validators) {
    const schema = JSON.parse(text) as Record<string, unknown>
    const name = JSON.stringify(Object.keys((schema.properties ?? {}) as object).slice(0, 3))
    it(`answer as ajv at run time for the schema with properties ${name}…`, () => {
      const runtime = ajv.compile(schema)
      for (const value of samples(schema)) {
        const verdict = shipped(structuredClone(value))
        expect(verdict).toBe(runtime(structuredClone(value)))
        expect(shipped.errors ?? null).toEqual(runtime.errors ?? null)
      }
    })
  }
})
