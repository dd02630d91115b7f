import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { DirectoryReadResult, IdentitySource, PluginContext, SourceSelection } from '@ust-sync/api'
import { csvSourceDefinition } from '../src/definition.js'

/** A scratch directory for one test file's CSV fixtures. */
export async function scratchDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ust-csv-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

/** Writes `content` (text as UTF-8, or raw bytes) to `dir/name` and returns its path. */
export async function writeFixture(dir: string, name: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, content)
  return file
}

/** A plugin context whose logger discards messages. */
export function contextFor(configDir: string): PluginContext {
  const quiet = () => undefined
  return {
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    clock: { now: () => Date.now(), sleep: async () => undefined },
    configDir,
    dataDir: configDir,
    userAgent: 'ust-sync/test',
    tlsVerify: true,
  }
}

/** Creates the csv source from connector settings, as the core does. */
export function csvSource(config: Record<string, unknown>, configDir: string): IdentitySource {
  return csvSourceDefinition.create(config, contextFor(configDir))
}

export const ALL: SourceSelection = { groups: [], allUsers: true, extendedAttributes: [] }

/** Reads every user of `file` with the given extra connector settings. */
export async function readAll(file: string, config: Record<string, unknown> = {}): Promise<DirectoryReadResult> {
  return csvSource({ file_path: file, ...config }, path.dirname(file)).read(ALL)
}
