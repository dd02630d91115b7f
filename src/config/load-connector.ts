import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ConfigIssue, ConnectorSchema } from '@ust-sync/api'
import { coerce } from './coerce.js'
import type { FileRef } from './connector-refs.js'
import { dropIgnoredKeys } from './ignored-keys.js'
import { formatKeyPath, type KeyPath } from './key-path.js'
import { combineDicts, originOf } from './merge.js'
import { fileProblem, issueAt, isYamlFailure, positionOf, readYamlFile, type YamlFile } from './read-yaml.js'
import { extractSecrets } from './secrets.js'
import type { ConnectorFile } from './types.js'
import { validateAgainstSchema } from './validate.js'

/** Result of {@link loadConnector}: the connector when its files are valid, and every problem found. */
export interface LoadedConnector {
  connector?: ConnectorFile
  issues: ConfigIssue[]
  /** Files read (for `UstConfig.files`). */
  files: string[]
  /** Keys accepted but not acted on, formatted `file:line:col: key: note`. */
  warnings: string[]
}

/**
 * Loads a connector's file(s) as named in the main file: reads each (a missing one is reported at the key
 * that names it), merges them in order (UST's combine_dicts), applies the secret rule and validates the
 * result against the contribution's schema, reporting each problem in the file the offending key came from.
 */
export async function loadConnector(
  pluginId: string,
  refs: readonly FileRef[],
  schema: ConnectorSchema,
  main: YamlFile,
  encoding?: string,
): Promise<LoadedConnector> {
  const issues: ConfigIssue[] = []
  const files: YamlFile[] = []
  for (const ref of refs) {
    const problem = await connectorFileProblem(ref.path)
    if (problem) {
      issues.push(
        issueAt(main, ref.at, problem, 'check the file name; it is resolved relative to the file that names it'),
      )
      continue
    }
    const read = await readYamlFile(ref.path, encoding)
    if (isYamlFailure(read)) issues.push(...read.issues)
    else {
      issues.push(...shellValues(read))
      files.push(read)
    }
  }
  const paths = files.map((f) => f.file)
  if (issues.length > 0 || files.length === 0) return { issues, files: paths, warnings: [] }

  const warnings: string[] = []
  const coerced = files.map((f) => {
    const kept = dropIgnoredKeys(f.value, schema.schema, (path, note) => {
      const { line, column } = positionOf(f, path)
      warnings.push(`${f.file}:${line}:${column}: ${formatKeyPath(path)}: ${note}`)
    })
    return coerce(kept, schema.schema, dirname(f.file)) as Record<string, unknown>
  })
  const merged = combineDicts(coerced)
  const locate = (path: KeyPath) => {
    const origin = originOf(files, path)
    return { file: origin.file, ...positionOf(origin, path) }
  }
  const extracted = extractSecrets(merged, schema.secrets ?? [], locate)
  issues.push(...extracted.issues)
  issues.push(
    ...(await validateAgainstSchema(extracted.forValidation, schema.schema, (path, message, suggestion) => ({
      ...locate(path),
      path: formatKeyPath(path),
      message,
      ...(suggestion ? { suggestion } : {}),
    }))),
  )
  if (issues.length > 0) return { issues, files: paths, warnings }
  return {
    connector: { pluginId, files: paths, values: extracted.values, secrets: extracted.secrets },
    issues,
    files: paths,
    warnings,
  }
}

/** UST refuses `$(command)` values (v1's shell execution) in every file: one issue per such value. */
function shellValues(yaml: YamlFile): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const visit = (value: unknown, path: KeyPath): void => {
    if (typeof value === 'string') {
      if (/^\s*\$\(.*\)\s*$/s.test(value))
        issues.push(
          issueAt(
            yaml,
            path,
            'Shell execution is no longer supported',
            'write the value itself; keep secrets in the credential store (secure_*_key)',
          ),
        )
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, [...path, i])
    } else if (value !== null && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key])
  }
  visit(yaml.value, [])
  return issues
}

/** Why `path` cannot be a connector file (not found, a directory, a loop of links...), or undefined. */
async function connectorFileProblem(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path)
    if (info.isDirectory()) return `the connector file is a directory: ${path}`
    return info.isFile() ? undefined : `the connector file is not a regular file (a device, FIFO or socket): ${path}`
  } catch (error) {
    const problem = fileProblem(path, error as NodeJS.ErrnoException)
    return problem.startsWith('no such file') ? `connector file not found: ${path}` : `connector file: ${problem}`
  }
}
