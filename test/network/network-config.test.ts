import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isUstError } from '@ust-sync/api'
import { loadConfig } from '../../src/config/load-config.js'
import { fakeSchemas } from '../config/fake-schemas.js'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

/** A copy of the valid fixture with `network` appended to the main file. */
async function withNetwork(lines: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ust-net-config-'))
  dirs.push(dir)
  await cp(resolve(import.meta.dirname, '../fixtures/config/valid'), dir, { recursive: true })
  const main = join(dir, 'user-sync-config.yml')
  await writeFile(main, `${await readFile(main, 'utf8')}\nnetwork:\n${lines.map((l) => `  ${l}`).join('\n')}\n`)
  return dir
}

describe('network: section of the main config', () => {
  it('keeps the settings, resolves ca_file against the file, and turns secure_proxy_password_key into a reference', async () => {
    const dir = await withNetwork([
      'proxy: http://proxy.example.com:3128',
      'proxy_user: svc-ust',
      'secure_proxy_password_key: ust_proxy',
      'no_proxy: ldap.example.com',
      'ca_file: certs/corp.pem',
    ])
    const { config } = await loadConfig({ cwd: dir, schemas: fakeSchemas })
    expect(config.network?.values).toEqual({
      proxy: 'http://proxy.example.com:3128',
      proxy_user: 'svc-ust',
      no_proxy: ['ldap.example.com'],
      ca_file: [join(dir, 'certs/corp.pem')],
    })
    expect(config.network?.secrets).toEqual([
      expect.objectContaining({ key: 'proxy_password', service: 'ust_proxy', account: 'svc-ust' }),
    ])
  })

  it('reports a password given twice, a reference without proxy_user and an unknown key, with line numbers', async () => {
    const dir = await withNetwork([
      'proxy: http://proxy.example.com:3128',
      'proxy_password: plain',
      'secure_proxy_password_key: ust_proxy',
      'proxi: typo',
    ])
    let error: unknown
    try {
      await loadConfig({ cwd: dir, schemas: fakeSchemas })
    } catch (e) {
      error = e
    }
    expect(isUstError(error) && error.exitCode).toBe(2)
    const message = (error as Error).message
    expect(message).toMatch(/user-sync-config\.yml:\d+:\d+: network\.proxi: /)
    const dir2 = await withNetwork(['proxy: http://p:3128', 'secure_proxy_password_key: ust_proxy'])
    await expect(loadConfig({ cwd: dir2, schemas: fakeSchemas })).rejects.toThrow(
      /network\.secure_proxy_password_key: "proxy_user" must be set/,
    )
    const dir3 = await withNetwork([
      'proxy: http://p:3128',
      'proxy_user: u',
      'proxy_password: plain',
      'secure_proxy_password_key: ust_proxy',
    ])
    await expect(loadConfig({ cwd: dir3, schemas: fakeSchemas })).rejects.toThrow(
      /cannot contain setting for both "proxy_password" and "secure_proxy_password_key"/,
    )
  })
})
