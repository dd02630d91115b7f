import { describe, expect, it } from 'vitest'
import type { ConfigIssue } from '@ust-sync/api'
import { formatKeyPath, type KeyPath } from '../../src/config/key-path.js'
import { validateAgainstSchema } from '../../src/config/validate.js'

const at = (path: KeyPath, message: string, suggestion?: string): ConfigIssue => ({
  file: 'connector-x.yml',
  path: formatKeyPath(path),
  message,
  ...(suggestion ? { suggestion } : {}),
})

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['org_id'],
  properties: {
    org_id: {
      type: 'string',
      minLength: 30,
      pattern: '^[0-9A-F]{24}@AdobeOrg$',
      'x-ust-message': 'must be an org id like 0123456789ABCDEF01234567@AdobeOrg',
    },
    tenant: { type: 'string', pattern: '^[a-z]+$' },
    region: { enum: ['eu', 'us'], 'x-ust-message': 'must be eu or us (where the tenant lives)' },
    blank: { type: 'string', 'x-ust-message': '  ' },
    nested: {
      type: 'object',
      additionalProperties: false,
      'x-ust-message': 'must be a mapping with url',
      required: ['url'],
      properties: { url: { type: 'string' } },
    },
  },
}

describe('x-ust-message in a connector schema', () => {
  it('replaces the raw pattern (and the other value rules) with the schema message, once per value', async () => {
    expect(await validateAgainstSchema({ org_id: 'abc' }, schema, at)).toEqual([
      { file: 'connector-x.yml', path: 'org_id', message: 'must be an org id like 0123456789ABCDEF01234567@AdobeOrg' },
    ])
  })

  it('applies to enum and type failures too', async () => {
    expect(await validateAgainstSchema({ org_id: 7, region: 'apac' }, schema, at)).toEqual([
      { file: 'connector-x.yml', path: 'org_id', message: 'must be an org id like 0123456789ABCDEF01234567@AdobeOrg' },
      { file: 'connector-x.yml', path: 'region', message: 'must be eu or us (where the tenant lives)' },
    ])
  })

  it('keeps ust wording without one, for a blank one, and for unknown or missing keys', async () => {
    const issues = await validateAgainstSchema(
      {
        org_id: '0123456789ABCDEF01234567@AdobeOrg',
        tenant: 'A1',
        blank: 3,
        nested: { uri: 'x' },
      },
      schema,
      at,
    )
    expect(issues).toEqual([
      { file: 'connector-x.yml', path: 'tenant', message: 'must match pattern "^[a-z]+$"' },
      { file: 'connector-x.yml', path: 'blank', message: 'must be a string, not a number' },
      { file: 'connector-x.yml', path: 'nested.url', message: 'missing required key "url"', suggestion: 'add "url"' },
      {
        file: 'connector-x.yml',
        path: 'nested.uri',
        message: 'unknown key "uri"',
        suggestion: 'did you mean "url"?',
      },
    ])
  })
})
