import { randomBytes } from 'node:crypto'
import { open, readFile, rename, stat, unlink } from 'node:fs/promises'
import path from 'node:path'
import { TargetError } from '@ust-sync/api'
import { parseOrg } from './org-parse.js'
import type { SandboxOrg } from './org-types.js'

/** Reads and checks a sandbox org file; a missing, unreadable or invalid file is a `TargetError` naming it. */
export async function readOrgFile(file: string): Promise<SandboxOrg> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new TargetError(
      `Cannot read sandbox org file ${file}: ${missing ? 'file not found' : (error as Error).message}`,
      {
        code: 'target.sandbox.unreadable',
        cause: error,
        suggestions: [
          missing
            ? 'Check org_file in the sandbox connector file (relative to that file), or create the org file (copy examples/quickstart/org.initial.json).'
            : 'Check the permissions of the file.',
        ],
      },
    )
  }
  return parseOrg(text, file)
}

/** The file's JSON text: two-space indentation and a final newline, so it stays pleasant to read and diff. */
export function formatOrg(org: SandboxOrg): string {
  return `${JSON.stringify(org, null, 2)}\n`
}

/**
 * Replaces the org file atomically: the new content goes to a temporary file in the same directory, is
 * flushed to disk (fsync), then renamed over the original, and the directory entry is flushed too. A crash
 * leaves either the old or the new file, never a torn one; the temporary file is removed on failure. The
 * file keeps its permissions.
 */
export async function writeOrgFile(file: string, org: SandboxOrg): Promise<void> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  )
  const mode = await stat(file).then(
    (info) => info.mode & 0o777,
    () => 0o644,
  )
  try {
    const handle = await open(temp, 'wx', mode)
    try {
      await handle.writeFile(formatOrg(org), 'utf8')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, file)
  } catch (error) {
    await unlink(temp).catch(() => undefined)
    throw new TargetError(`Cannot write sandbox org file ${file}: ${(error as Error).message}`, {
      code: 'target.sandbox.unwritable',
      cause: error,
      suggestions: ['Check that the directory of the org file is writable by the user running ust.'],
    })
  }
  await syncDirectory(path.dirname(file))
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
