import { createHash, randomUUID } from 'node:crypto'
import { link, mkdir, readFile, readlink, realpath, stat, unlink, utimes, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { ConfigError, LockError, type Logger } from '@ust-sync/api'

/** A held sync lock. */
export interface SyncLock {
  /** The lock file. */
  path: string
  /** Stops renewing the lease and removes the lock file (only if it is still ours). */
  release(): Promise<void>
}

/**
 * A holder this process cannot check (another PID namespace, another host or boot sharing the data dir)
 * counts as alive while its lease is fresh: the holder touches the lock file every
 * {@link LEASE_RENEW_MS}; a lock file not touched for {@link LEASE_MS} was left by a holder that is gone.
 */
export const LEASE_MS = 120_000
export const LEASE_RENEW_MS = 15_000

/** Who holds a lock: written into the lock file as JSON. */
interface LockHolder {
  pid: number
  /** `/proc/sys/kernel/random/boot_id`: a PID from another boot is meaningless. */
  boot?: string
  /** `/proc/self/ns/pid`: a PID from another PID namespace (container) cannot be checked from here. */
  pidNamespace?: string
  /** Unique per acquisition, so a takeover can tell "the stale lock I saw" from a fresh one. */
  token?: string
  config?: string
  since?: string
}

/**
 * The lock file of a config: `<dataDir>/locks/<config file name>-<hash of its real path>.lock`. It
 * lives in the data dir, so a read-only config directory (a Kubernetes ConfigMap) does not stop a sync,
 * and one file per config keeps syncs of different configs independent. The real path (symbolic links
 * resolved) is hashed, so a config reached through a linked directory gets the same lock.
 */
export async function lockPathFor(configFile: string, dataDir: string): Promise<string> {
  const absolute = await realpath(configFile).catch(() => resolve(configFile))
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 16)
  return join(dataDir, 'locks', `${basename(absolute)}-${hash}.lock`)
}

async function identity(): Promise<{ boot?: string; pidNamespace?: string }> {
  const boot = await readFile('/proc/sys/kernel/random/boot_id', 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  )
  const pidNamespace = await readlink('/proc/self/ns/pid').catch(() => undefined)
  return { ...(boot ? { boot } : {}), ...(pidNamespace ? { pidNamespace } : {}) }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Why a holder no longer holds the lock, or undefined when it may still be running. Only a holder on this
 * boot and in this PID namespace can be proven dead by its PID; any other (a container, another host on a
 * shared volume) is alive until its lease expires (`ageMs`: since the lock file was last touched).
 */
function staleReason(
  holder: LockHolder,
  here: { boot?: string; pidNamespace?: string },
  ageMs: number,
): string | undefined {
  const elsewhere =
    (holder.boot !== undefined && holder.boot !== here.boot) ||
    (holder.pidNamespace !== undefined && holder.pidNamespace !== here.pidNamespace)
  if (elsewhere) {
    if (ageMs <= LEASE_MS) return undefined
    return `left by PID ${holder.pid} of another PID namespace, boot or host, whose lease expired ${Math.round(ageMs / 1000)} s ago`
  }
  // In a container ust is often PID 1: a lock naming our own PID was left by an earlier run of ours.
  if (holder.pid === process.pid) return `left by PID ${holder.pid}, which is this process (an earlier, killed run)`
  if (!isAlive(holder.pid)) return `left by PID ${holder.pid}, which is no longer running`
  return undefined
}

/**
 * Creates `path` exclusively with `content`, atomically: the content is written to a temporary file that
 * is then hard-linked to `path` (fails if it exists), so no one ever reads a half-written lock.
 * False when `path` exists.
 */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`
  try {
    await writeFile(temporary, content, { flag: 'wx', mode: 0o644 })
    await link(temporary, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw cannotCreate(path, error)
  } finally {
    await unlink(temporary).catch(() => undefined)
  }
}

/** The data dir cannot hold a lock file: a problem of the setup (exit 2), not a sync holding the lock. */
function cannotCreate(path: string, error: unknown): ConfigError {
  const code = (error as NodeJS.ErrnoException).code
  const why =
    code === 'EROFS'
      ? 'the file system is read-only'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ENOENT' || code === 'ENOTDIR'
          ? 'a part of the data dir path does not exist or is not a directory'
          : code === 'ENOSPC'
            ? 'the disk is full'
            : (code ?? String(error))
  return new ConfigError(`Cannot create the sync lock file ${path}: ${why}`, {
    code: 'config.data-dir',
    suggestions: ['Make the data dir writable for the user running ust, or point UST_DATA_DIR at a writable directory'],
    cause: error,
  })
}

/** A lock file as read: its raw content, the parsed holder (the old format held just the PID), its age. */
interface SeenLock {
  raw: string
  holder?: LockHolder
  /** Milliseconds since the lock file was last touched (created or its lease renewed). */
  ageMs: number
}

async function readLock(path: string): Promise<SeenLock | undefined> {
  let raw: string
  let ageMs: number
  try {
    ageMs = Date.now() - (await stat(path)).mtimeMs
    raw = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  const text = raw.trim()
  if (/^\d+$/.test(text)) return Number(text) > 0 ? { raw, ageMs, holder: { pid: Number(text) } } : { raw, ageMs }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder> | null
    if (parsed && Number.isInteger(parsed.pid) && (parsed.pid as number) > 0)
      return { raw, ageMs, holder: parsed as LockHolder }
  } catch {
    // not a lock ust wrote: unreadable
  }
  return { raw, ageMs }
}

const GUARD_STALE_MS = 10_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Takes the lock that keeps two syncs of the same config from running at once. The lock file is created
 * exclusively (a hard link of a complete file: atomic on local file systems and NFS), holding this
 * process's PID, boot id and PID namespace, and its lease is renewed while the sync runs. A lock whose
 * holder may be alive is a {@link LockError} (`ExitCode.locked`) naming the PID. A stale lock — its PID is
 * gone or is our own (ust as PID 1 in a container), or, for a holder in another PID namespace, boot or
 * host, its lease expired — is taken over with a warning, atomically: only the process that creates the
 * takeover guard exclusively may remove the stale lock, and only if it is still the one it judged stale;
 * everyone else retries and finds the new holder alive.
 */
export async function acquireLock(configFile: string, dataDir: string, logger: Logger): Promise<SyncLock> {
  const path = await lockPathFor(configFile, dataDir)
  const guard = `${path}.takeover`
  await mkdir(join(dataDir, 'locks'), { recursive: true }).catch((error: unknown) => {
    throw cannotCreate(path, error)
  })
  const here = await identity()
  const token = randomUUID()
  const mine: LockHolder = {
    pid: process.pid,
    ...here,
    token,
    config: await realpath(configFile).catch(() => resolve(configFile)),
    since: new Date().toISOString(),
  }
  const content = `${JSON.stringify(mine)}\n`
  const acquired = (): SyncLock => {
    const renew = setInterval(() => {
      const now = new Date()
      utimes(path, now, now).catch(() => undefined)
    }, LEASE_RENEW_MS)
    renew.unref()
    return {
      path,
      release: () => {
        clearInterval(renew)
        return releaseLock(path, token)
      },
    }
  }
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await createExclusive(path, content)) return acquired()
    const seen = await readLock(path)
    if (!seen) continue // released in the meantime
    const reason = seen.holder ? staleReason(seen.holder, here, seen.ageMs) : 'unreadable'
    if (reason === undefined) throw held(configFile, path, seen.holder?.pid)
    if (!(await createExclusive(guard, content))) {
      // Someone else is taking over; a guard left by a crash in that instant expires.
      const age = await stat(guard).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      )
      if (age > GUARD_STALE_MS) await unlink(guard).catch(() => undefined)
      await sleep(20)
      continue
    }
    try {
      const again = await readLock(path)
      if (again?.raw === seen.raw) {
        logger.warn(`Taking over the stale sync lock ${path} (${reason})`)
        await unlink(path).catch(() => undefined)
        if (await createExclusive(path, content)) return acquired()
      }
    } finally {
      await unlink(guard).catch(() => undefined)
    }
  }
  throw held(configFile, path, (await readLock(path))?.holder?.pid)
}

function held(configFile: string, path: string, pid: number | undefined): LockError {
  const who = pid ?? 'unknown'
  return new LockError(`Another ust sync (PID ${who}) is running with ${configFile}; lock file ${path}`, {
    code: 'lock.held',
    suggestions: [`Wait for PID ${who} to finish; if that process is not a ust sync, delete ${path}`],
  })
}

async function releaseLock(path: string, token: string): Promise<void> {
  if ((await readLock(path))?.holder?.token !== token) return
  await unlink(path).catch(() => undefined)
}
