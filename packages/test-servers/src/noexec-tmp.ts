import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A directory on a `noexec` mount, to be used as TMPDIR, or why there is none. */
export type NoexecTmp =
  | { dir: string; release(): void; skip?: undefined }
  | { dir?: undefined; release?: undefined; skip: string }

/** Mount options of the filesystem holding `dir` (longest matching mount point in /proc/mounts). */
export function mountOptions(dir: string): string[] {
  let best = { point: '', options: [] as string[] }
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, point, , options] = line.split(' ')
    if (!point || options === undefined) continue
    const decoded = point.replace(/\\040/g, ' ')
    if (
      (dir === decoded || dir.startsWith(decoded.endsWith('/') ? decoded : `${decoded}/`)) &&
      decoded.length >= best.point.length
    ) {
      best = { point: decoded, options: options.split(',') }
    }
  }
  return best.options
}

/**
 * A fresh directory where nothing can be executed, like a hardened server's /tmp: under
 * `$UST_TEST_NOEXEC_TMPDIR` (which .ci/run mounts as a noexec tmpfs), else on a noexec tmpfs mounted here
 * when running as root, else a skip reason. `release()` removes the directory (and unmounts our own mount).
 */
export function noexecTmp(): NoexecTmp {
  const given = process.env.UST_TEST_NOEXEC_TMPDIR
  if (given) {
    if (!mountOptions(given).includes('noexec')) {
      throw new Error(`UST_TEST_NOEXEC_TMPDIR=${given} is not on a noexec mount (see /proc/mounts)`)
    }
    const dir = mkdtempSync(join(given, 'ust-'))
    return { dir, release: () => rmSync(dir, { recursive: true, force: true }) }
  }
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    return { skip: 'needs root on Linux to mount a noexec tmpfs (.ci/run does, as root)' }
  }
  const dir = mkdtempSync(join(tmpdir(), 'ust-noexec-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'noexec,nosuid,nodev,size=1g,mode=1777', 'tmpfs', dir], {
      stdio: 'pipe',
    })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    return { skip: `cannot mount a noexec tmpfs here: ${(error as Error).message.split('\n')[0]}` }
  }
  mkdirSync(join(dir, 'tmp'))
  return {
    dir: join(dir, 'tmp'),
    release() {
      execFileSync('umount', ['-l', dir])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
