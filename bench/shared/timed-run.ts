/**
 * Runs a benchmarked tool as a subprocess under GNU time (`/usr/bin/time`, Debian package `time`): wall time
 * measured around it, user + system CPU and peak RSS of the tool's process (GNU time reports the waited-for
 * child; a tool that re-executes itself in place keeps its PID and is measured whole).
 */
import { spawn } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { delimiter, dirname, join } from 'node:path'

export interface TimedRun {
  /** Wall seconds around the subprocess. */
  seconds: number
  /** User + system CPU seconds of the tool process. */
  cpu: number
  /** Peak resident set size of the tool process, KiB (GNU time's %M). */
  rssKiB: number
  code: number
  stderr: string
}

/**
 * Runs `command args` in `cwd` with `env`; `time.out` (GNU time's report) is written into `cwd`. stdout
 * (a tool's log) goes to `stdoutFile` when given, else is discarded; stderr is collected.
 */
export function timedRun(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdoutFile?: string },
): Promise<TimedRun> {
  const timeFile = join(options.cwd, 'time.out')
  const started = performance.now()
  const log = options.stdoutFile ? openSync(options.stdoutFile, 'w', 0o600) : undefined
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, command, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', log ?? 'ignore', 'pipe'],
  })
  if (log !== undefined) closeSync(log)
  let stderr = ''
  child.stderr?.on('data', (d) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', async (code) => {
      const seconds = (performance.now() - started) / 1000
      const [rssKiB = Number.NaN, user = Number.NaN, system = Number.NaN] = (
        (await readFile(timeFile, 'utf8')).trim().split('\n').pop() ?? ''
      )
        .split(' ')
        .map(Number)
      resolve({ seconds, rssKiB, cpu: user + system, code: code ?? -1, stderr })
    })
  })
}

/**
 * The environment to start ust's script itself in, as an installed `ust` starts (its `#!/usr/bin/env -S node …`
 * line gives Node the heap flags; started as `node bin/run.js` it would start itself again to get them): this
 * Node first on the PATH, and `nodeArgs` (e.g. `--cpu-prof`) as NODE_OPTIONS.
 */
export function ustScriptEnv(env: NodeJS.ProcessEnv, nodeArgs: readonly string[] = []): NodeJS.ProcessEnv {
  return { ...env, PATH: `${dirname(process.execPath)}${delimiter}${env.PATH ?? ''}`, NODE_OPTIONS: nodeArgs.join(' ') }
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}
