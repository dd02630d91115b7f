import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExitCode, LockError } from '@ust-sync/api'
import { acquireLock, lockPathFor } from '../../src/run/lock.js'

const warnings: string[] = []
const logger = { debug: () => {}, info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} }

describe('sync lock', () => {
  let dir: string
  let config: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ust-lock-'))
    config = join(dir, 'user-sync-config.yml')
    warnings.length = 0
  })
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  it('creates .ust-lock next to the config with our PID, and removes it on release', async () => {
    const lock = await acquireLock(config, logger)
    expect(lock.path).toBe(join(dir, '.ust-lock'))
    expect((await readFile(lock.path, 'utf8')).trim()).toBe(String(process.pid))
    await lock.release()
    await expect(readFile(lock.path, 'utf8')).rejects.toThrow(/ENOENT/)
  })

  it('a second sync on the same config is refused while the first holds the lock', async () => {
    const lock = await acquireLock(config, logger)
    try {
      await expect(acquireLock(config, logger)).rejects.toMatchObject({ exitCode: ExitCode.locked })
    } finally {
      await lock.release()
    }
  })

  it('a lock held by another live process is refused with ExitCode.locked naming the PID', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      await writeFile(lockPathFor(config), `${child.pid}\n`)
      const error = await acquireLock(config, logger).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(LockError)
      expect(error).toMatchObject({ exitCode: ExitCode.locked, code: 'lock.held' })
      expect((error as Error).message).toContain(`PID ${child.pid}`)
      expect((await readFile(lockPathFor(config), 'utf8')).trim()).toBe(String(child.pid))
    } finally {
      child.kill()
    }
  })

  it('a stale lock from a dead PID is taken over with a warning', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    const pid = child.pid as number
    await new Promise((resolve) => child.once('exit', resolve))
    await writeFile(lockPathFor(config), `${pid}\n`)
    const lock = await acquireLock(config, logger)
    expect(warnings[0]).toContain(`left by PID ${pid}, which is no longer running`)
    expect((await readFile(lock.path, 'utf8')).trim()).toBe(String(process.pid))
    await lock.release()
  })
})
