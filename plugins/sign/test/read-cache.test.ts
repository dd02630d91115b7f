import { lstat, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ReadCache } from '../src/cache/read-cache.js'
import type { AccountUser } from '../src/snapshot/account-user.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

const user = { id: 'U1', email: 'ann@corp.example' } as unknown as AccountUser

describe('Sign read cache file', () => {
  it('is written 0600 and read back for the same account within 24 hours', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ust-sign-cache-'))
    dirs.push(dir)
    const cache = new ReadCache(join(dir, 'cache'), 'api.na1.echosign.com admin@corp.example', () => 1_000)
    await cache.save([user], 1_000)
    expect((await stat(cache.file)).mode & 0o777).toBe(0o600)
    expect((await stat(join(dir, 'cache'))).mode & 0o777).toBe(0o700)
    expect([...(await cache.load()).keys()]).toEqual(['U1'])
    const other = new ReadCache(join(dir, 'cache'), 'api.na1.echosign.com other@corp.example', () => 1_000)
    expect((await other.load()).size).toBe(0)
  })

  it('never writes through a symbolic link planted at its temporary name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ust-sign-cache-'))
    dirs.push(dir)
    const victim = join(dir, 'victim.txt')
    await writeFile(victim, 'untouched')
    const cache = new ReadCache(join(dir, 'cache'), 'acct', () => 1_000)
    await cache.save([], 1_000)
    await symlink(victim, `${cache.file}.${process.pid}.tmp`)
    await cache.save([user], 1_000)
    expect(await readFile(victim, 'utf8')).toBe('untouched')
    expect((await lstat(cache.file)).isFile()).toBe(true)
    expect([...(await cache.load()).keys()]).toEqual(['U1'])
  })
})
