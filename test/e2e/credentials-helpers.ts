import { spawn } from 'node:child_process'
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from 'vitest'
import { BIN, type CliRun, cliEnv, ROOT } from './run-cli.js'

/**
 * Runs the built `ust` like runCli, but under `umask 000` (so every file mode asserted is ust's own doing)
 * and with `stdin` piped in when given (for `--stdin`; undefined, as a caller may forward it, pipes nothing).
 */
export function runUst(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string | undefined; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: cliEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.stdin.end(options.stdin ?? '')
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/** The forms a leaked secret could take: raw, URL-encoded, base64. */
export function leakForms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]
}

/** Fails when any of `secrets` (in any form) appears in `texts`. */
export function expectNoLeak(texts: string[], secrets: string[], where = 'output'): void {
  for (const text of texts)
    for (const secret of secrets)
      for (const form of leakForms(secret))
        expect(text.includes(form), `${where} contains a planted secret`).toBe(false)
}

/** Text of every file under `dir` (recursively), for scanning logs and plan files. */
export async function filesUnder(dir: string): Promise<{ path: string; text: string; mode: number }[]> {
  const out: { path: string; text: string; mode: number }[] = []
  for (const name of await readdir(dir, { recursive: true })) {
    const path = join(dir, name)
    const info = await stat(path)
    if (info.isFile()) out.push({ path, text: await readFile(path, 'utf8'), mode: info.mode & 0o777 })
  }
  return out
}

/** Permission bits of a file. */
export async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777
}

/** stderr with oclif's wrapped `Warning:` blocks joined back into one line each. */
export function unwrapped(stderr: string): string {
  return stderr.replace(/\s*\n {1,2}› {3}\s*/g, ' ')
}
