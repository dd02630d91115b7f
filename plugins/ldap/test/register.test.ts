import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { API_VERSION, type Contribution } from '@ust-sync/api'
import register from '../src/register.js'

const packageJson = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../package.json')

describe('ust:register hook', () => {
  it('contributes the ldap identity source', async () => {
    const registered: Contribution[] = []
    await register({ registry: { apiVersion: API_VERSION, register: (contribution) => registered.push(contribution) } })
    expect(registered.map((contribution) => [contribution.kind, contribution.id])).toEqual([['identitySource', 'ldap']])
  })

  it('declares the contract version and what it provides in package.json', async () => {
    const manifest = JSON.parse(await readFile(packageJson, 'utf8'))
    expect(manifest.ust.apiVersion).toBe(API_VERSION)
    expect(Object.values(manifest.ust.provides).flat()).toEqual(['ldap'])
    expect(manifest.oclif.hooks['ust:register']).toBe('./dist/register.js')
  })
})
