import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { copyFile, mkdtemp, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { expect } from 'vitest'
import type { CliRun } from './run-cli.js'
import { freshCopy, QUICKSTART, summaryOf } from './sync-helpers.js'

/**
 * Runs an installed program (not the repo's bin/run.js) with exactly `env` (nothing inherited): the
 * caller decides PATH, so a run can prove it needs no `node` on it.
 */
export function runProgram(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/** A fresh copy of examples/quickstart with its initial org, ready for `ust sync`. */
export async function quickstartCopy(prefix: string): Promise<string> {
  const dir = await freshCopy(QUICKSTART, prefix)
  await copyFile(join(dir, 'org.initial.json'), join(dir, 'org.json'))
  return dir
}

/** Asserts the quickstart's first sync (the README's flags) did what the README says. */
export function expectQuickstartSynced(run: CliRun): void {
  expect(run.code, run.stderr).toBe(0)
  expect(Object.fromEntries(summaryOf(run.stdout))).toMatchObject({
    'Number of new Adobe users added': '17',
    'Number of matching Adobe users updated': '8',
    'Number of Adobe-only users removed': '6',
  })
}

/** The README's quickstart flags. */
export const QUICKSTART_FLAGS = ['--process-groups', '--adobe-only-user-action', 'remove']

/**
 * A directory of symlinks to the given system tools and nothing else: a PATH on which `node` cannot be
 * found (the server without Node). Tools that are not installed are left out.
 */
export async function pathWithout(tools: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ust-path-'))
  const bases = (process.env.PATH ?? '').split(delimiter).filter((base) => base && !base.includes('node_modules'))
  for (const tool of tools) {
    const found = bases.map((base) => join(base, tool)).find((candidate) => isExecutable(candidate))
    if (found) await symlink(found, join(dir, tool))
  }
  return dir
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
