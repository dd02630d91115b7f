import { dirname } from 'node:path'
import { isUstError } from '@ust-sync/api'
import { type Difference, differencesFor } from './differences.js'
import { readUstFolder } from './ust-folder.js'

/** Result of `ust init --from DIR`. */
export interface FolderCheck {
  mode: 'check'
  mainFile: string
  /** Whether `ust config validate` accepts the configuration as it is. */
  valid: boolean
  /** What `ust config validate` reports (file:line:column: key: message), when not valid. */
  problems: string[]
  warnings: string[]
  /** "Differences from UST" items (docs/admin/migrating-from-ust.md) that concern this configuration. */
  differences: Difference[]
}

/** Loads and validates a main config file as `ust config validate` does, giving its warnings. */
export type LoadConfig = (request: { configFile: string; cwd: string }) => Promise<{ warnings: string[] }>

/** Checks an existing UST folder: ust's validation of it, and the differences from UST that concern it. */
export async function checkUstFolder(dirOrFile: string, loadConfig: LoadConfig): Promise<FolderCheck> {
  const folder = await readUstFolder(dirOrFile)
  let problems: string[] = []
  let warnings: string[] = []
  try {
    ;({ warnings } = await loadConfig({ configFile: folder.mainFile, cwd: dirname(folder.mainFile) }))
  } catch (error) {
    if (!isUstError(error) || error.code !== 'config') throw error
    problems = error.message
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
  }
  return {
    mode: 'check',
    mainFile: folder.mainFile,
    valid: problems.length === 0,
    problems,
    warnings,
    differences: differencesFor(folder),
  }
}
