import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import {
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type ScalarTag,
  type Tags,
  type YAMLError,
} from 'yaml'
import type { ConfigIssue } from '@ust-sync/api'
import { DecodeError, decodeText } from './decode.js'
import { formatKeyPath, type KeyPath } from './key-path.js'

/** A parsed YAML config file: its value plus what is needed to map key paths back to line:column. */
export interface YamlFile {
  /** Absolute path. */
  file: string
  doc: Document.Parsed
  lineCounter: LineCounter
  /** The document as plain data (`{}` for an empty file). */
  value: Record<string, unknown>
}

/** A file that could not be read or parsed: the problems, with positions. */
export interface YamlFailure {
  issues: ConfigIssue[]
}

const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/

/** YAML 1.1 tags with PyYAML's booleans exactly (yes/no/on/off, but not y/n). */
function pyYamlTags(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag !== 'object' || tag.tag !== 'tag:yaml.org,2002:bool') return tag
    const test = tag.test?.test('true') ? PYYAML_TRUE : PYYAML_FALSE
    return { ...tag, test } as ScalarTag
  })
}

/** The largest config file read (UST's are a few KB): a device or a huge file is refused, never read whole. */
export const MAX_CONFIG_FILE_BYTES = 4 * 1024 * 1024

/**
 * Parses YAML text as UST (PyYAML `safe_load`) reads it: YAML 1.1 scalars. A key written twice in one
 * mapping is an error (PyYAML keeps the last silently, which hides which value is in force).
 */
export function parseYaml(file: string, text: string): YamlFile | YamlFailure {
  const lineCounter = new LineCounter()
  // logLevel 'error': a warning becomes an issue below instead of a raw line on stderr.
  const doc = parseDocument(text, {
    version: '1.1',
    lineCounter,
    uniqueKeys: true,
    customTags: pyYamlTags,
    logLevel: 'error',
  })
  const unknownTags = doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')
  if (unknownTags.length > 0) {
    // `!!python/object/apply:os.system [...]` and the like: PyYAML's safe loader (UST's) refuses them too.
    return {
      issues: unknownTags.map((warning) => ({
        file,
        ...lineAndColumn(warning),
        path: formatKeyPath(keyPathAt(doc.contents, warning.pos[0])),
        message: `a YAML tag (${/tag:yaml\.org,2002:(\S+)|(!\S+)/.exec(warning.message)?.slice(1).find(Boolean)?.slice(0, 40) ?? 'unknown'}) that a config file cannot use`,
        suggestion: 'write the value itself, without a !! or ! tag',
      })),
    }
  }
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((error) => ({
        file,
        ...lineAndColumn(error),
        // A duplicate key's error starts at the key itself: name that key, not the one before it.
        path: formatKeyPath(keyPathAt(doc.contents, error.pos[0] + (error.code === 'DUPLICATE_KEY' ? 1 : 0))),
        ...(error.code === 'DUPLICATE_KEY'
          ? {
              message: 'this key is written twice in the same mapping',
              suggestion: 'keep one of the two settings and delete the other',
            }
          : {
              message: `invalid YAML: ${error.message.split(/ at line \d+/)[0]!.split('\n')[0]}`,
              suggestion: 'fix the YAML syntax (indentation, quoting, a missing ":")',
            }),
      })),
    }
  }
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 1000 })
  } catch (error) {
    // yaml refuses a document whose aliases expand exponentially (a "billion laughs" alias bomb).
    return {
      issues: [
        {
          file,
          path: '',
          message: `the file cannot be loaded: ${(error as Error).message}`,
          suggestion: 'write the settings out instead of nesting aliases (*name) of aliases',
        },
      ],
    }
  }
  if (value === null || value === undefined) return { file, doc, lineCounter, value: {} }
  if (!isMap(doc.contents) || typeof value !== 'object' || Array.isArray(value)) {
    return {
      issues: [
        {
          file,
          line: 1,
          column: 1,
          path: '',
          message: 'the file does not contain settings (its top level is not a mapping of keys)',
        },
      ],
    }
  }
  return { file, doc, lineCounter, value: value as Record<string, unknown> }
}

/**
 * Reads and parses a config file in `encoding` (UST's `--config-file-encoding`). Only a regular file of
 * at most {@link MAX_CONFIG_FILE_BYTES} is read: a FIFO, a device or a directory is refused without
 * blocking (opened non-blocking, checked on the open descriptor).
 */
export async function readYamlFile(file: string, encoding?: string): Promise<YamlFile | YamlFailure> {
  const read = await readConfigBytes(file)
  if ('issues' in read) return read
  const bytes = read.bytes
  try {
    return parseYaml(file, decodeText(bytes, encoding))
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error
    return { issues: [{ file, path: '', message: error.message, suggestion: 'pass the right --config-file-encoding' }] }
  }
}

/** The bytes of a config file, or why it cannot be one (what, never the content). */
export async function readConfigBytes(file: string): Promise<{ bytes: Uint8Array } | YamlFailure> {
  const refuse = (message: string, suggestion?: string): YamlFailure => ({
    issues: [{ file, path: '', message, ...(suggestion ? { suggestion } : {}) }],
  })
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
    const stats = await handle.stat()
    if (stats.isDirectory()) return refuse('this is a directory, not a config file', 'name the YAML file inside it')
    if (!stats.isFile()) return refuse('not a regular file (a device, FIFO or socket)', 'name a YAML file')
    if (stats.size > MAX_CONFIG_FILE_BYTES)
      return refuse(`the file is too large for a config file (${stats.size} bytes, at most ${MAX_CONFIG_FILE_BYTES})`)
    return { bytes: await handle.readFile() }
  } catch (error) {
    return refuse(fileProblem(file, error as NodeJS.ErrnoException))
  } finally {
    await handle?.close()
  }
}

/** What is wrong with opening `file`, in words (ENOENT, ELOOP, EACCES, EISDIR...). */
export function fileProblem(file: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `no such file: ${file}`
    case 'ELOOP':
      return `the path is a loop of symbolic links: ${file}`
    case 'EACCES':
    case 'EPERM':
      return `permission denied: ${file}`
    case 'EISDIR':
      return 'this is a directory, not a config file'
    case 'ENOTDIR':
      return `a part of the path is not a directory: ${file}`
    default:
      return `cannot read the file (${error.code ?? error.message})`
  }
}

/** True when a read failed. */
export function isYamlFailure(result: YamlFile | YamlFailure): result is YamlFailure {
  return 'issues' in result
}

/** How much of `path` exists in the document (number of segments found). */
export function foundDepth(yaml: YamlFile, path: KeyPath): number {
  return walk(yaml, path).depth
}

/** 1-based line and column of the key at `path`, or of its deepest existing ancestor. */
export function positionOf(yaml: YamlFile, path: KeyPath): { line: number; column: number } {
  const { offset } = walk(yaml, path)
  const { line, col } = yaml.lineCounter.linePos(offset)
  return { line, column: col }
}

/** `line` and `column` of a YAML parser error or warning, when it has a position (else neither key). */
function lineAndColumn(problem: YAMLError): Pick<ConfigIssue, 'line' | 'column'> {
  const start = problem.linePos?.[0]
  return start ? { line: start.line, column: start.col } : {}
}

/** A {@link ConfigIssue} at the key `path` of `yaml`. */
export function issueAt(yaml: YamlFile, path: KeyPath, message: string, suggestion?: string): ConfigIssue {
  return {
    file: yaml.file,
    ...positionOf(yaml, path),
    path: formatKeyPath(path),
    message,
    ...(suggestion ? { suggestion } : {}),
  }
}

function walk(yaml: YamlFile, path: KeyPath): { depth: number; offset: number } {
  let node: unknown = yaml.doc.contents
  let offset = rangeStart(node) ?? 0
  let depth = 0
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))
      if (!pair) break
      offset = rangeStart(pair.key) ?? offset
      node = pair.value
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment]
      offset = rangeStart(node) ?? offset
    } else break
    depth++
  }
  return { depth, offset }
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range
  return range?.[0]
}

/**
 * The key path of the last key that starts before `offset` (the key being parsed when a syntax
 * error occurred). yaml still builds the structure of a document with errors, so this names where the
 * problem is, e.g. `directory_users.groups[0].adobe_groups` for an unclosed `[`.
 */
function keyPathAt(node: unknown, offset: number, path: KeyPath = []): KeyPath {
  if (isMap(node)) {
    let found: KeyPath = path
    for (const pair of node.items) {
      const start = rangeStart(pair.key)
      if (start === undefined || start >= offset) break
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      found = keyPathAt(pair.value, offset, [...path, key])
    }
    return found
  }
  if (isSeq(node)) {
    let found: KeyPath = path
    node.items.forEach((item, index) => {
      const start = rangeStart(item)
      if (start !== undefined && start < offset && (isMap(item) || isSeq(item)))
        found = keyPathAt(item, offset, [...path, index])
    })
    return found
  }
  return path
}
