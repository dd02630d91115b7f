import { spawn } from 'node:child_process'
import { readlinkSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExitCode, isUstError } from '@ust-sync/api'
import { acquireLock, lockPathFor } from '../../src/run/lock.js'

const warnings: string[] = []
const logger = { debug: () => {}, info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} }

/** A PID that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  const pid = child.pid as number
  await new Promise((resolve) => child.once('exit', resolve))
  return pid
}

describe('sync lock', () => {
  let dir: string
  let config: string
  let data: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ust-lock-'))
    config = join(dir, 'user-sync-config.yml')
    data = join(dir, 'data')
    warnings.length = 0
  })
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  async function plant(content: string): Promise<string> {
    const path = lockPathFor(config, data)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, content)
    return path
  }

  it('lives in the data dir, keyed by the config path, holds our PID, and is removed on release', async () => {
    const lock = await acquireLock(config, data, logger)
    expect(lock.path.startsWith(join(data, 'locks', 'user-sync-config.yml-'))).toBe(true)
    expect(lockPathFor(join(dir, 'other.yml'), data)).not.toBe(lock.path)
    expect(JSON.parse(await readFile(lock.path, 'utf8'))).toMatchObject({ pid: process.pid, config })
    await lock.release()
    await expect(readFile(lock.path, 'utf8')).rejects.toThrow(/ENOENT/)
  })

  it('a lock held by another live process is refused with ExitCode.locked naming the PID', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      const path = await plant(`${JSON.stringify({ pid: child.pid })}\n`)
      const error = await acquireLock(config, data, logger).catch((e: unknown) => e)
      expect(isUstError(error)).toBe(true)
      expect(error).toMatchObject({ exitCode: ExitCode.locked, code: 'lock.held' })
      expect((error as Error).message).toContain(`PID ${child.pid}`)
      expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(child.pid)
    } finally {
      child.kill()
    }
  })

  it('a stale lock from a dead PID (old format: just the PID) is taken over with a warning', async () => {
    const pid = await deadPid()
    await plant(`${pid}\n`)
    const lock = await acquireLock(config, data, logger)
    expect(warnings[0]).toContain(`left by PID ${pid}, which is no longer running`)
    expect(JSON.parse(await readFile(lock.path, 'utf8')).pid).toBe(process.pid)
    await lock.release()
  })

  it('a lock naming our own PID (ust as PID 1 in a container, killed earlier) is stale', async () => {
    await plant(`${JSON.stringify({ pid: process.pid, token: 'an earlier run' })}\n`)
    const lock = await acquireLock(config, data, logger)
    expect(warnings[0]).toContain('which is this process')
    await lock.release()
  })

  it('a lock from another PID namespace or another boot is stale, even if that PID is alive here', async () => {
    const ns = readlinkSync('/proc/self/ns/pid')
    await plant(`${JSON.stringify({ pid: 1, pidNamespace: 'pid:[1]', token: 'x' })}\n`)
    expect(ns).not.toBe('pid:[1]')
    const first = await acquireLock(config, data, logger)
    expect(warnings[0]).toContain('another PID namespace')
    await first.release()
    await plant(`${JSON.stringify({ pid: 1, boot: 'another-boot', token: 'y' })}\n`)
    const second = await acquireLock(config, data, logger)
    expect(warnings[1]).toContain('before a reboot')
    await second.release()
  })

  it('a stale lock is taken over by exactly one of several syncs starting at once', async () => {
    const script = join(dir, 'take.mjs')
    const lockModule = new URL('../../dist/run/lock.js', import.meta.url).href
    await writeFile(
      script,
      `import { acquireLock } from ${JSON.stringify(lockModule)}
const quiet = { debug() {}, info() {}, warn() {}, error() {} }
const start = Number(process.argv[2])
while (Date.now() < start) {}
try {
  const lock = await acquireLock(${JSON.stringify(config)}, ${JSON.stringify(data)}, quiet)
  process.stdout.write('got')
  await new Promise((r) => setTimeout(r, 4000))
  await lock.release()
} catch (e) { process.stdout.write(e.code) }
`,
    )
    for (let round = 0; round < 3; round++) {
      await plant(`${await deadPid()}\n`)
      const start = Date.now() + 2000
      const outputs = await Promise.all(
        Array.from(
          { length: 4 },
          () =>
            new Promise<string>((resolve) => {
              const child = spawn(process.execPath, [script, String(start)], { stdio: ['ignore', 'pipe', 'inherit'] })
              let out = ''
              child.stdout.on('data', (d) => (out += d))
              child.on('close', () => resolve(out))
            }),
        ),
      )
      expect(outputs.sort(), `round ${round}`).toEqual(['got', 'lock.held', 'lock.held', 'lock.held'])
    }
  }, 90_000)
})
