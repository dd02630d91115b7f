import { open, readFile, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { LockError, type Logger } from '@ust-sync/api'

/** A held sync lock. */
export interface SyncLock {
  /** The lock file. */
  path: string
  /** Removes the lock file (only if it is still ours). */
  release(): Promise<void>
}

/** The lock file of a config: `.ust-lock` next to the main config file. */
export function lockPathFor(configFile: string): string {
  return join(dirname(configFile), '.ust-lock')
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function tryCreate(path: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx')
    try {
      await handle.writeFile(`${process.pid}\n`)
    } finally {
      await handle.close()
    }
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new LockError(`Cannot create the sync lock file ${path}: ${(error as Error).message}`, {
      code: 'lock.create',
      suggestions: [`Make the directory ${dirname(path)} writable for the user running ust`],
      cause: error,
    })
  }
}

async function holderOf(path: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt((await readFile(path, 'utf8')).trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Takes the lock that keeps two syncs of the same config from running at once: creates
 * `.ust-lock` (holding this PID) next to the config atomically. A lock held by a live process is a
 * {@link LockError} (`ExitCode.locked`) naming the PID; a lock left by a dead process (or unreadable)
 * is taken over with a warning.
 */
export async function acquireLock(configFile: string, logger: Logger): Promise<SyncLock> {
  const path = lockPathFor(configFile)
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await tryCreate(path)) return { path, release: () => releaseLock(path) }
    const pid = await holderOf(path)
    if (pid !== undefined && isAlive(pid)) break
    logger.warn(
      `Taking over the stale sync lock ${path}${pid === undefined ? ' (unreadable)' : ` left by PID ${pid}, which is no longer running`}`,
    )
    await unlink(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
  }
  const pid = await holderOf(path)
  throw new LockError(`Another ust sync (PID ${pid ?? 'unknown'}) is running with ${configFile}; lock file ${path}`, {
    code: 'lock.held',
    suggestions: [`Wait for PID ${pid ?? 'unknown'} to finish; if that process is not a ust sync, delete ${path}`],
  })
}

async function releaseLock(path: string): Promise<void> {
  if ((await holderOf(path)) !== process.pid) return
  await unlink(path).catch(() => undefined)
}
