import { createReadStream } from 'node:fs'
import type { PrivateOutput } from '../fs/private-file.js'

/**
 * A plan file as a stream of JSON lines, so that a plan of any size is written and read without ever
 * holding its whole text in one string (V8 caps a string at about 512 MiB: a 2M-user plan as one JSON
 * document cannot be written). Each line is one record:
 *
 * - `{"p":[path],"t":"o"}` / `{"p":[path],"t":"a"}`: an empty object / array at `path`;
 * - `{"p":[path],"v":value}`: a value at `path` (canonical JSON: keys sorted);
 *
 * where `path` is the list of keys and indexes from the root. A container with more than
 * {@link SMALL_NODES} nodes is split into records, the rest are written whole: a user command is one line.
 * Object keys are written in sorted order and array items in order, so the same value always gives the
 * same lines.
 */

/** Containers up to this many nodes (objects, arrays and values, counted recursively) are one record. */
const SMALL_NODES = 256
/** The longest line a reader accepts (one command or warning is a few hundred bytes). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024
/** Keys that would reach an object's prototype: never set from a file. */
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

type Path = (string | number)[]

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** True when `value` has at most `budget` nodes (stops counting as soon as it has more). */
function isSmall(value: unknown, budget = SMALL_NODES): boolean {
  let left = budget
  const visit = (v: unknown): boolean => {
    if (--left < 0) return false
    if (Array.isArray(v)) return v.every(visit)
    if (isPlainObject(v)) return Object.values(v).every(visit)
    return true
  }
  return visit(value)
}

/** JSON with object keys sorted at every level: the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isPlainObject(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

/** Calls `line` with each record line of `value` (without the line end), depth first. */
export function* recordLines(value: unknown, path: Path = []): Generator<string> {
  if ((Array.isArray(value) || isPlainObject(value)) && (path.length === 0 || !isSmall(value))) {
    yield `{"p":${JSON.stringify(path)},"t":"${Array.isArray(value) ? 'a' : 'o'}"}`
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* recordLines(value[i], [...path, i])
    else
      for (const key of Object.keys(value).sort())
        if (value[key] !== undefined) yield* recordLines(value[key], [...path, key])
    return
  }
  yield `{"p":${JSON.stringify(path)},"v":${canonicalJson(value)}}`
}

/** Writes lines to `output` in chunks of about 64 KiB, feeding every byte to `digest` too. */
export class LineWriter {
  private pending: string[] = []
  private size = 0
  private readonly output: PrivateOutput
  private readonly digest: (text: string) => void

  constructor(output: PrivateOutput, digest: (text: string) => void) {
    this.output = output
    this.digest = digest
  }

  async line(text: string): Promise<void> {
    const withEnd = `${text}\n`
    this.digest(withEnd)
    this.pending.push(withEnd)
    this.size += withEnd.length
    if (this.size >= 65_536) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return
    const chunk = this.pending.join('')
    this.pending = []
    this.size = 0
    await this.output.write(chunk)
  }
}

/** Thrown by {@link Rebuilder} and {@link readLines} for a line that is not a valid record (no content quoted). */
export class RecordError extends Error {}

/** Rebuilds a value from its record lines (the inverse of {@link recordLines}), checking each record. */
export class Rebuilder {
  private root: unknown
  private started = false

  add(line: string, lineNumber: number): void {
    const bad = (why: string) => new RecordError(`line ${lineNumber}: ${why}`)
    const { path, fresh } = parseRecord(line, lineNumber, bad)
    if (path.length === 0) {
      if (this.started) throw bad('a second root')
      this.started = true
      this.root = fresh
      return
    }
    if (!this.started) throw bad('a record before the root')
    place(containerAt(this.root, path.slice(0, -1), bad), path[path.length - 1], fresh, bad)
  }

  value(): unknown {
    if (!this.started) throw new RecordError('no plan in the file')
    return this.root
  }
}

type BadRecord = (why: string) => RecordError

/** A record's path and the value it holds (an empty object or array, or its `v`). */
function parseRecord(line: string, lineNumber: number, bad: BadRecord): { path: unknown[]; fresh: unknown } {
  let record: unknown
  try {
    record = JSON.parse(line)
  } catch {
    throw new RecordError(`line ${lineNumber} is not JSON`)
  }
  if (!isPlainObject(record) || !Array.isArray(record.p)) throw bad('not a plan record')
  const fresh = record.t === 'o' ? {} : record.t === 'a' ? [] : 'v' in record ? record.v : undefined
  if (fresh === undefined) throw bad('not a plan record')
  return { path: record.p as unknown[], fresh }
}

/** The container `path` leads to from `root` (array indexes are numbers, object keys strings). */
function containerAt(root: unknown, path: unknown[], bad: BadRecord): unknown {
  let parent = root
  for (const key of path) {
    parent =
      Array.isArray(parent) && typeof key === 'number'
        ? parent[key]
        : isPlainObject(parent) && typeof key === 'string'
          ? parent[key]
          : undefined
    if (parent === undefined) throw bad('its path does not exist')
  }
  return parent
}

/** Puts `fresh` under `last` of `parent`: the next item of an array, or a new (safe) key of an object. */
function place(parent: unknown, last: unknown, fresh: unknown, bad: BadRecord): void {
  if (Array.isArray(parent) && last === parent.length) parent.push(fresh)
  else if (isPlainObject(parent) && typeof last === 'string' && !UNSAFE_KEYS.has(last) && !(last in parent))
    parent[last] = fresh
  else throw bad('its path does not fit')
}

/**
 * Reads `path` line by line (UTF-8), calling `onLine` with each line and its number; a line over
 * {@link MAX_LINE_BYTES} is a {@link RecordError}. Never holds more than one line and one chunk.
 */
export async function readLines(path: string, onLine: (line: string, lineNumber: number) => void): Promise<void> {
  let rest = ''
  let lineNumber = 0
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    let text = rest + (chunk as string)
    let end = text.indexOf('\n')
    let start = 0
    while (end >= 0) {
      onLine(text.slice(start, end), ++lineNumber)
      start = end + 1
      end = text.indexOf('\n', start)
    }
    text = text.slice(start)
    if (text.length > MAX_LINE_BYTES) throw new RecordError(`line ${lineNumber + 1} is longer than any plan record`)
    rest = text
  }
  if (rest !== '') onLine(rest, ++lineNumber)
}
