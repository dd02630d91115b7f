import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { API_VERSION, type Contribution } from '@ust-sync/api'
import register from '../src/register.js'

describe('ust:register hook of the file backend', () => {
  it('registers the file credential backend and declares it in package.json', async () => {
    const registered: Contribution[] = []
    await register({ registry: { apiVersion: API_VERSION, register: (c) => registered.push(c) } })
    expect(registered.map((c) => [c.kind, c.id])).toEqual([['credentialBackend', 'file']])
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))
    expect(manifest.ust).toEqual({ apiVersion: API_VERSION, provides: { credentialBackends: ['file'] } })
    expect(manifest.oclif.hooks['ust:register']).toBe('./dist/register.js')
  })
})
