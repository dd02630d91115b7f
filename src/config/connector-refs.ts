import { dirname, resolve } from 'node:path'
import type { ConfigIssue } from '@ust-sync/api'
import { didYouMean } from './did-you-mean.js'
import { formatKeyPath, isRecord, type KeyPath } from './key-path.js'
import { issueAt, positionOf, type YamlFile } from './read-yaml.js'
import { notInstalled } from './ust-connectors.js'

/** A connector file named in the main file: its absolute path and the key path that names it. */
export interface FileRef {
  path: string
  at: KeyPath
}

/** A target (org) from `adobe_users.connectors.<id>`: `primary` or a secondary's name. */
export interface TargetRef {
  id: string
  name: string
  files: FileRef[]
  at: KeyPath
}

/** An identity source from `directory_users.connectors.<id>`. */
export interface SourceRef {
  id: string
  files: FileRef[]
  at: KeyPath
}

const INSTALL_HINT = 'install a plugin that provides it: ust plugins install <package>'

/** Resolves a file reference relative to the file that names it, rejecting UST v1's `$(command)` values. */
function fileRef(main: YamlFile, value: unknown, at: KeyPath, issues: ConfigIssue[]): FileRef | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    issues.push(issueAt(main, at, 'must be a file name'))
    return undefined
  }
  if (value.startsWith('$(') && value.endsWith(')')) {
    issues.push(
      issueAt(
        main,
        at,
        'Shell execution is no longer supported',
        'name the connector file itself; keep secrets in the credential store (secure_*_key)',
      ),
    )
    return undefined
  }
  return { path: resolve(dirname(main.file), value), at }
}

function fileRefs(main: YamlFile, value: unknown, at: KeyPath, issues: ConfigIssue[]): FileRef[] {
  const list = Array.isArray(value) ? value.map((v, i) => [v, [...at, i]] as const) : [[value, at] as const]
  return list.flatMap(([v, path]) => fileRef(main, v, path, issues) ?? [])
}

/**
 * Reads `adobe_users.connectors`: exactly one registered target id; its value is a file, or a list whose
 * leading strings are the primary's files and whose `{name: file}` entries are secondaries (a string after
 * a mapping is an error, as in UST).
 */
export function targetRefs(
  main: YamlFile,
  values: Record<string, unknown>,
  targetIds: string[],
  issues: ConfigIssue[],
): TargetRef[] {
  const connectors = isRecord(values.adobe_users) ? values.adobe_users.connectors : undefined
  if (!isRecord(connectors)) return []
  const ids = Object.keys(connectors)
  const refs: TargetRef[] = []
  for (const id of ids) {
    const at = ['adobe_users', 'connectors', id]
    if (!targetIds.includes(id)) {
      const hint = didYouMean(id, targetIds) ?? INSTALL_HINT
      issues.push(
        issueAt(main, at, `unknown target "${id}"; registered targets: ${targetIds.join(', ') || '(none)'}`, hint),
      )
      continue
    }
    if (ids.length > 1) {
      issues.push(
        issueAt(
          main,
          at,
          `only one kind of target per config is supported, found: ${ids.join(', ')}`,
          'keep one; list secondary orgs under it as {name: file}',
        ),
      )
      continue
    }
    refs.push(...entriesOf(main, id, connectors[id], at, issues))
  }
  return refs
}

function entriesOf(main: YamlFile, id: string, value: unknown, at: KeyPath, issues: ConfigIssue[]): TargetRef[] {
  const entries = Array.isArray(value) ? value : [value]
  const primary: TargetRef = { id, name: 'primary', files: [], at }
  const secondaries: TargetRef[] = []
  const issuesBefore = issues.length
  entries.forEach((entry, i) => {
    const path = Array.isArray(value) ? [...at, i] : at
    if (isRecord(entry)) {
      for (const [name, files] of Object.entries(entry)) {
        if (name === 'primary' || secondaries.some((s) => s.name === name)) {
          issues.push(
            issueAt(
              main,
              [...path, name],
              `secondary org name "${name}" is ${name === 'primary' ? 'reserved' : 'used twice'}`,
            ),
          )
          continue
        }
        secondaries.push({ id, name, files: fileRefs(main, files, [...path, name], issues), at: [...path, name] })
      }
    } else if (secondaries.length > 0) {
      issues.push(
        issueAt(
          main,
          path,
          'a primary connector file cannot follow a secondary {name: file} entry',
          "list the primary org's file(s) first",
        ),
      )
    } else {
      const ref = fileRef(main, entry, path, issues)
      if (ref) primary.files.push(ref)
    }
  })
  if (primary.files.length === 0 && issues.length === issuesBefore) {
    issues.push(issueAt(main, at, 'no file for the primary org', "list the primary org's connector file first"))
  }
  return [primary, ...secondaries]
}

/**
 * Reads `directory_users.connectors`. An id no installed plugin provides is only a warning (UST ignores
 * connectors other than the one it runs); registered ones are returned to be loaded and validated.
 */
export function sourceRefs(
  main: YamlFile,
  values: Record<string, unknown>,
  sourceIds: string[],
  issues: ConfigIssue[],
  warnings: string[],
): SourceRef[] {
  const connectors = isRecord(values.directory_users) ? values.directory_users.connectors : undefined
  if (!isRecord(connectors)) return []
  const refs: SourceRef[] = []
  for (const [id, value] of Object.entries(connectors)) {
    const at = ['directory_users', 'connectors', id]
    if (!sourceIds.includes(id)) {
      const { line, column } = positionOf(main, at)
      const hint = didYouMean(id, sourceIds) ?? INSTALL_HINT
      warnings.push(
        notInstalled(id)
          ? `${main.file}:${line}:${column}: ${formatKeyPath(at)}: ${notInstalled(id)}; it is ignored unless selected`
          : `${main.file}:${line}:${column}: ${formatKeyPath(at)}: no installed identity source "${id}" (registered: ${sourceIds.join(', ') || 'none'}); it is ignored (${hint})`,
      )
      continue
    }
    refs.push({ id, files: fileRefs(main, value, at, issues), at })
  }
  return refs
}
