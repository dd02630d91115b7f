// Node's on-disk V8 code cache (module.enableCompileCache) for ust's start-up: a command loads a few
// hundred modules, and compiling them is most of the start-up time. The cache is private to the user:
//   Linux   $XDG_CACHE_HOME/ust/compile-cache (default ~/.cache/ust/compile-cache)
//   macOS   ~/Library/Caches/ust/compile-cache
//   Windows %LOCALAPPDATA%\ust\compile-cache
// (oclif's cache directory for ust), or $UST_COMPILE_CACHE_DIR. Never the shared temporary directory:
// whoever can write the cache can change the code ust runs. So the directory is created 0700 and used only
// when it is a real directory (not a symbolic link), owned by this user, and writable by no one else.
// Any problem (read-only home, foreign owner, ...) means no cache, never an error. Node's
// NODE_DISABLE_COMPILE_CACHE=1 turns it off; the cache is keyed by Node version, so an upgrade is safe.
import { lstatSync, mkdirSync } from 'node:fs'
import module from 'node:module'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The compile cache directory for this user and platform (not created). */
export function compileCacheDir(env = process.env, platform = process.platform, home = homedir()) {
  if (env.UST_COMPILE_CACHE_DIR) return env.UST_COMPILE_CACHE_DIR
  const base =
    platform === 'win32'
      ? (env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Caches')
        : env.XDG_CACHE_HOME || join(home, '.cache')
  return join(base, 'ust', 'compile-cache')
}

/** Whether `dir` is a directory only this user can write (on Windows: a directory). */
export function isPrivateDir(dir) {
  const stat = lstatSync(dir, { throwIfNoEntry: false })
  if (!stat?.isDirectory()) return false
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true
  return stat.uid === process.getuid() && (stat.mode & 0o022) === 0
}

/** Turns the compile cache on when its directory is private; returns the directory used, or undefined. */
export function enableCompileCache(dir = compileCacheDir()) {
  if (!module.enableCompileCache || process.env.NODE_DISABLE_COMPILE_CACHE) return undefined
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    if (!isPrivateDir(dir)) return undefined
    const result = module.enableCompileCache(dir)
    return result.status === module.constants.compileCacheStatus.FAILED ? undefined : result.directory
  } catch {
    return undefined
  }
}
