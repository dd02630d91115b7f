import { spawn } from 'node:child_process'
import { readlinkSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExitCode, isUstError } from '@ust-sync/api'
import { acquireLock, LEASE_MS, lockPathFor } from '../../src/run/lock.js'

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
    const path = await lockPathFor(config, data)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, content)
    return path
  }

  it('lives in the data dir, keyed by the config path, holds our PID, and is removed on release', async () => {
    const lock = await acquireLock(config, data, logger)
    expect(lock.path.startsWith(join(data, 'locks', 'user-sync-config.yml-'))).toBe(true)
    expect(await lockPathFor(join(dir, 'other.yml'), data)).not.toBe(lock.path)
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

  it('a lock from another PID namespace, boot or host is held while its lease is fresh, and stale once it expired', async () => {
    const ns = readlinkSync('/proc/self/ns/pid')
    expect(ns).not.toBe('pid:[1]')
    // PID 1 of another namespace: a sync in a container sharing the data dir. Its PID says nothing here.
    const path = await plant(`${JSON.stringify({ pid: 1, pidNamespace: 'pid:[1]', token: 'x' })}\n`)
    const refused = await acquireLock(config, data, logger).catch((e: unknown) => e)
    expect(refused).toMatchObject({ exitCode: ExitCode.locked, code: 'lock.held' })
    expect(warnings).toEqual([])
    // The holder stopped renewing its lease LEASE_MS + 1 s ago.
    const expired = new Date(Date.now() - LEASE_MS - 1000)
    await utimes(path, expired, expired)
    const first = await acquireLock(config, data, logger)
    expect(warnings[0]).toMatch(/left by PID 1 of another PID namespace, boot or host, whose lease expired \d+ s ago/)
    await first.release()

    const other = await plant(`${JSON.stringify({ pid: process.pid, boot: 'another-host', token: 'y' })}\n`)
    await expect(acquireLock(config, data, logger)).rejects.toMatchObject({ code: 'lock.held' })
    await utimes(other, expired, expired)
    const second = await acquireLock(config, data, logger)
    await second.release()
  })

  it('the same config reached through a symbolic link to its folder gets the same lock', async () => {
    await writeFile(config, '')
    await symlink(dir, join(dir, 'linked'))
    const viaLink = join(dir, 'linked', 'user-sync-config.yml')
    expect(await lockPathFor(viaLink, data)).toBe(await lockPathFor(config, data))
    // A live sync (another process: our parent) holds the lock it took through the link.
    const path = await lockPathFor(viaLink, data)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, `${JSON.stringify({ pid: process.ppid, token: 'held' })}\n`)
    await expect(acquireLock(config, data, logger)).rejects.toMatchObject({ code: 'lock.held' })
  })

  it('a data dir that cannot hold the lock is a setup problem (exit 2) saying why, not "lock held"', async () => {
    await writeFile(join(dir, 'a-file'), '')
    const error = await acquireLock(config, join(dir, 'a-file', 'data'), logger).catch((e: unknown) => e)
    expect(error).toMatchObject({ exitCode: ExitCode.config, code: 'config.data-dir' })
    expect((error as Error).message).toBe(
      `Cannot create the sync lock file ${await lockPathFor(config, join(dir, 'a-file', 'data'))}: a part of the data dir path does not exist or is not a directory`,
    )
  })

  it('a stale lock is taken over by exactly one of 25 syncs starting at once', async () => {
    const script = join(dir, 'take.mjs')
    const lockModule = new URL('../../dist/run/lock.js', import.meta.url).href
    // Each child waits for "go" on stdin, tries once, prints the outcome; the one holding the lock keeps it
    // until its stdin closes, i.e. until every other child has finished: no timing decides the outcome.
    await writeFile(
      script,
      `import { acquireLock } from ${JSON.stringify(lockModule)}
const quiet = { debug() {}, info() {}, warn() {}, error() {} }
process.stdin.once('data', async () => {
  try {
    const lock = await acquireLock(${JSON.stringify(config)}, ${JSON.stringify(data)}, quiet)
    process.stdout.write('got')
    process.stdin.once('end', async () => { await lock.release(); process.exit(0) })
  } catch (e) { process.stdout.write(e.code); process.exit(0) }
})
process.stdout.write('ready\\n')
`,
    )
    const CHILDREN = 25
    for (let round = 0; round < 2; round++) {
      await plant(`${await deadPid()}\n`)
      const children = Array.from({ length: CHILDREN }, () => {
        const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] })
        let out = ''
        const ready = new Promise<void>((resolve) =>
          child.stdout.on('data', (d) => {
            out += d
            if (out.includes('ready\n')) resolve()
          }),
        )
        const outcome = new Promise<string>((resolve) => {
          child.stdout.on('data', () => {
            const rest = out.replace('ready\n', '')
            if (rest) resolve(rest)
          })
        })
        const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
        return { child, ready, outcome, closed }
      })
      await Promise.all(children.map((c) => c.ready))
      for (const c of children) c.child.stdin.write('go\n')
      const outcomes = await Promise.all(children.map((c) => c.outcome))
      for (const c of children) c.child.stdin.end()
      await Promise.all(children.map((c) => c.closed))
      expect(
        outcomes.filter((o) => o === 'got'),
        `round ${round}`,
      ).toHaveLength(1)
      expect(
        outcomes.filter((o) => o === 'lock.held'),
        `round ${round}`,
      ).toHaveLength(CHILDREN - 1)
    }
  }, 120_000)
})
