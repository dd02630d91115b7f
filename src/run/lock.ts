import { createHash, randomUUID } from 'node:crypto'
import { link, mkdir, readFile, readlink, stat, unlink, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { LockError, type Logger } from '@ust-sync/api'

/** A held sync lock. */
export interface SyncLock {
  /** The lock file. */
  path: string
  /** Removes the lock file (only if it is still ours). */
  release(): Promise<void>
}

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
 * The lock file of a config: `<dataDir>/locks/<config file name>-<hash of its absolute path>.lock`. It
 * lives in the data dir, so a read-only config directory (a Kubernetes ConfigMap) does not stop a sync,
 * and one file per config path keeps syncs of different configs independent.
 */
export function lockPathFor(configFile: string, dataDir: string): string {
  const absolute = resolve(configFile)
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

/** Why a holder no longer holds the lock, or undefined when it may still be running. */
function staleReason(holder: LockHolder, here: { boot?: string; pidNamespace?: string }): string | undefined {
  if (holder.boot && here.boot && holder.boot !== here.boot) return `left by PID ${holder.pid} before a reboot`
  if (holder.pidNamespace && here.pidNamespace && holder.pidNamespace !== here.pidNamespace)
    return `left by PID ${holder.pid} of another PID namespace (container)`
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

function cannotCreate(path: string, error: unknown): LockError {
  return new LockError(`Cannot create the sync lock file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`, {
    code: 'lock.create',
    suggestions: ['Make the data dir writable for the user running ust, or point UST_DATA_DIR at a writable directory'],
    cause: error,
  })
}

/** The raw content and the parsed holder of a lock file (the old format held just the PID). */
async function readLock(path: string): Promise<{ raw: string; holder?: LockHolder } | undefined> {
  let raw: string
  try {
    raw = await readFile(path, 'utf8')
  } catch {
    return undefined
  }
  const text = raw.trim()
  if (/^\d+$/.test(text)) return Number(text) > 0 ? { raw, holder: { pid: Number(text) } } : { raw }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder> | null
    if (parsed && Number.isInteger(parsed.pid) && (parsed.pid as number) > 0)
      return { raw, holder: parsed as LockHolder }
  } catch {
    // not a lock ust wrote: unreadable
  }
  return { raw }
}

const GUARD_STALE_MS = 10_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Takes the lock that keeps two syncs of the same config from running at once. The lock file is created
 * exclusively (`O_EXCL`), holding this process's PID, boot id and PID namespace. A lock whose holder is
 * alive is a {@link LockError} (`ExitCode.locked`) naming the PID. A stale lock — its PID is gone, is our
 * own PID (ust as PID 1 in a container), or belongs to another boot or PID namespace — is taken over with
 * a warning, atomically: only the process that creates the takeover guard exclusively may remove the
 * stale lock, and only if it is still the one it judged stale; everyone else retries and finds the new
 * holder alive.
 */
export async function acquireLock(configFile: string, dataDir: string, logger: Logger): Promise<SyncLock> {
  const path = lockPathFor(configFile, dataDir)
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
    config: resolve(configFile),
    since: new Date().toISOString(),
  }
  const content = `${JSON.stringify(mine)}\n`
  const acquired = (): SyncLock => ({ path, release: () => releaseLock(path, token) })
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await createExclusive(path, content)) return acquired()
    const seen = await readLock(path)
    if (!seen) continue // released in the meantime
    const reason = seen.holder ? staleReason(seen.holder, here) : 'unreadable'
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
