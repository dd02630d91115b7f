import { access, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ConfigError } from '@ust-sync/api'
import type { InitFile } from './templates.js'

/** What happened to one file. */
export interface WrittenFile {
  path: string
  action: 'created' | 'overwritten'
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  )

/**
 * Writes `files` into `dir` (created if needed). When any of them exists and `force` is false, nothing is
 * written and a ConfigError names every file that is in the way.
 */
export async function writeInitFiles(dir: string, files: InitFile[], force: boolean): Promise<WrittenFile[]> {
  const present = await Promise.all(files.map((f) => exists(join(dir, f.name))))
  const clashes = files.filter((_, i) => present[i]).map((f) => join(dir, f.name))
  if (clashes.length > 0 && !force) {
    throw new ConfigError(
      `ust init would overwrite ${clashes.length === 1 ? 'a file' : 'files'}: ${clashes.join(', ')}`,
      {
        suggestions: [
          'Run it in an empty directory (ust init DIR), or add --force to overwrite these files',
          `To check an existing UST configuration instead: ust init --from ${dir}`,
        ],
      },
    )
  }
  await mkdir(dir, { recursive: true })
  const written: WrittenFile[] = []
  for (const [i, file] of files.entries()) {
    const path = join(dir, file.name)
    await writeFile(path, file.content)
    written.push({ path, action: present[i] ? 'overwritten' : 'created' })
  }
  return written
}
