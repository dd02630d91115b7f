import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The built CLI entry, run as a user would. */
export const BIN = `${ROOT}bin/run.js`

/** What a CLI run produced. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs the built `ust` (bin/run.js) in a child process on this Node (24), with `env` added to the
 * environment. Never throws on a non-zero exit: the caller asserts on `code`.
 */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: cliEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/**
 * The child's environment: this process's, without colour forced by a CI runner (output is asserted as
 * plain text), then `extra`.
 */
export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1' }
  delete env.FORCE_COLOR
  return { ...env, ...extra }
}

/** Parses the `--json` output of a run, failing with the run's output when it is not JSON. */
export function jsonOf<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T
  } catch {
    throw new Error(`expected JSON on stdout (exit ${run.code})\nstdout: ${run.stdout}\nstderr: ${run.stderr}`)
  }
}
