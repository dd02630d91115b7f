import { describe, expect, it } from 'vitest'
import { didYouMean } from '../../src/config/did-you-mean.js'
import { combineDicts } from '../../src/config/merge.js'
import { parseYaml, type YamlFailure, type YamlFile } from '../../src/config/read-yaml.js'

describe('reading YAML as PyYAML does', () => {
  it('YAML 1.1 booleans yes/no/on/off, but y/n stay strings', () => {
    const file = parseYaml('/c.yml', 'a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: true\n') as YamlFile
    expect(file.value).toEqual({ a: true, b: false, c: true, d: false, e: 'y', f: 'n', g: true })
  })

  it('a key written twice in one mapping is an error at the second one, naming its path (PyYAML keeps the last silently)', () => {
    const failure = parseYaml('/c.yml', 'a: 1\nb:\n  dup: 1\n  x: 2\n  dup: 2\n') as YamlFailure
    expect(failure.issues).toEqual([
      {
        file: '/c.yml',
        line: 5,
        column: 3,
        path: 'b.dup',
        message: 'this key is written twice in the same mapping',
        suggestion: 'keep one of the two settings and delete the other',
      },
    ])
  })
})

describe('combineDicts (UST combine_dicts)', () => {
  it('later files win; mappings are merged one level only', () => {
    const merged = combineDicts([
      { server: { host: 'a', deep: { x: 1, y: 2 } }, enterprise: { org_id: 'o' }, list: [1] },
      { server: { timeout: 5, deep: { x: 9 } }, list: [2], enterprise: 'replaced' },
    ])
    expect(merged).toEqual({ server: { host: 'a', timeout: 5, deep: { x: 9 } }, enterprise: 'replaced', list: [2] })
  })
})

describe('didYouMean', () => {
  it('suggests close keys only', () => {
    expect(didYouMean('exclude_identity_type', ['exclude_identity_types', 'exclude_users'])).toBe(
      'did you mean "exclude_identity_types"?',
    )
    expect(didYouMean('proxy', ['host', 'endpoint'])).toBeUndefined()
  })
})

describe('YAML tags', () => {
  it('a !!python tag is refused, named and placed, as PyYAML safe_load (UST) refuses it', () => {
    const failure = parseYaml('/c.yml', 'a: 1\nb: !!python/object/apply:os.system ["id"]\n') as YamlFailure
    expect(failure.issues).toEqual([
      {
        file: '/c.yml',
        line: 2,
        column: 4,
        path: 'b',
        message: 'a YAML tag (python/object/apply:os.system) that a config file cannot use',
        suggestion: 'write the value itself, without a !! or ! tag',
      },
    ])
  })
})
