import { randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { type Clock, CredentialError } from '@ust-sync/api'

/** How long a writer waits for another one before giving up. */
const LOCK_WAIT_MS = 15_000
const LOCK_POLL_MS = 25

/** The file's text, or undefined when it does not exist yet. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CredentialError(`Cannot read the credentials file ${path}: ${(error as Error).message}`, {
      suggestions: ['check the file permissions (it should be owned by the user running ust, mode 0600)'],
    })
  }
}

/** Permission bits of `path`, or undefined when it does not exist. */
export async function modeOf(path: string): Promise<number | undefined> {
  return stat(path).then(
    (s) => s.mode & 0o777,
    () => undefined,
  )
}

/**
 * Replaces `path` with `text` atomically: written to a temp file created 0600 in the same directory
 * (chmod'ed explicitly, so the umask does not matter), flushed, then renamed over the old file.
 * A crash leaves either the old file or the new one, never a mix.
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.chmod(0o600)
    await handle.writeFile(text)
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temp, { force: true })
    throw error
  }
  await handle.close()
  try {
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
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
 * Runs `work` holding `<path>.lock` (created exclusively, holding the PID), so two ust processes writing
 * the same credentials file at once apply their changes one after the other instead of losing one.
 * A lock left by a process that no longer exists is taken over.
 */
export async function withLock<T>(path: string, clock: Clock, work: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const deadline = clock.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600)
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const holder = Number.parseInt((await readFile(lock, 'utf8').catch(() => '')).trim(), 10)
    if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
      await rm(lock, { force: true })
      continue
    }
    if (clock.now() > deadline) {
      throw new CredentialError(
        `The credentials file ${path} is locked by another ust process${Number.isInteger(holder) ? ` (PID ${holder})` : ''}`,
        { suggestions: [`wait for it to finish; if no ust is running, remove ${lock}`] },
      )
    }
    await clock.sleep(LOCK_POLL_MS)
  }
  try {
    return await work()
  } finally {
    await rm(lock, { force: true })
  }
}
