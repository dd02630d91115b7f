import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { API_VERSION } from '@ust-sync/api'

describe('the contract version', () => {
  it('is the major version of @ust-sync/api, and every plugin in the tree declares it', async () => {
    const read = async (path: string) => JSON.parse(await readFile(new URL(`../../${path}`, import.meta.url), 'utf8'))
    const api = await read('packages/api/package.json')
    expect(Number(api.version.split('.')[0])).toBe(API_VERSION)
    for (const plugin of [
      'plugins/csv',
      'plugins/sandbox',
      'plugins/umapi',
      'plugins/keyring',
      'plugins/ldap',
      'plugins/entra',
    ]) {
      const pjson = await read(`${plugin}/package.json`)
      expect(pjson.ust.apiVersion, plugin).toBe(API_VERSION)
      expect(pjson.dependencies['@ust-sync/api'], plugin).toMatch(new RegExp(`^\\^${API_VERSION}\\.`))
    }
  })
})
