import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { ConfigError, type PlannedCommand } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import { describeCommand, subjectOf } from '../sync/describe-command.js'
import type { SyncOptions } from '../sync/options.types.js'
import type { Plan } from '../sync/plan.types.js'
import { openPrivateOutput } from '../fs/private-file.js'
import { canonicalJson, LineWriter, Rebuilder, RecordError, readLines, recordLines } from './plan-stream.js'
import { checkDataFile } from './read-data-file.js'

/** What `--plan-out` writes. No secrets: user data, commands and a hash of the config. */
export interface SavedPlan {
  format: 'ust-plan'
  version: 2
  /** ISO time the plan was made. */
  createdAt: string
  /** sha256 of the config files' content and the run's options (test mode aside). */
  fingerprint: string
  plan: Plan
  /** sha256 of every line of the file before the digest line: an edited file is refused. */
  digest: string
}

export { canonicalJson }

/** JSON of options with regexes spelled out; test mode does not change a plan, so it is left out. */
function optionsJson(options: SyncOptions): string {
  const { testMode: _testMode, ...rest } = options
  return JSON.stringify(rest, (_key, value: unknown) =>
    value instanceof RegExp ? `/${value.source}/${value.flags}` : value,
  )
}

/** Fingerprint of a run's inputs: every config file's content (in order) and the options. */
export async function fingerprintOf(config: UstConfig, options: SyncOptions): Promise<string> {
  const hash = createHash('sha256')
  for (const file of config.files)
    hash
      .update(file)
      .update('\0')
      .update(await readFile(file))
      .update('\0')
  hash.update(optionsJson(options))
  return hash.digest('hex')
}

/**
 * Writes a plan file, readable by its owner only (it holds names and emails), as a stream of JSON lines
 * (plan-stream.ts): a header line (format, version, time, fingerprint), the plan's records, and a last
 * line with the sha256 of every line before it. Returns that digest. The path is checked before anything
 * is written; the file appears whole or not at all.
 */
export async function writePlanFile(path: string, plan: Plan, fingerprint: string, now: number): Promise<string> {
  const output = await openPrivateOutput(path, '--plan-out')
  const hash = createHash('sha256')
  const writer = new LineWriter(output, (text) => hash.update(text))
  try {
    const header = { format: 'ust-plan', version: 2, createdAt: new Date(now).toISOString(), fingerprint }
    await writer.line(canonicalJson(header))
    for (const line of recordLines(plan)) await writer.line(line)
    const digest = hash.digest('hex')
    await writer.flush()
    await output.write(`${JSON.stringify({ digest })}\n`)
    await output.commit()
    return digest
  } catch (error) {
    await output.abort()
    throw error
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Whether the plan has the shape this version executes (targets of commands with a kind and an id). */
function wellFormed(plan: unknown): plan is Plan {
  if (!isRecord(plan) || !Array.isArray(plan.targets) || !Array.isArray(plan.targetNames)) return false
  return plan.targets.every(
    (t) =>
      isRecord(t) &&
      typeof t.target === 'string' &&
      Array.isArray(t.adobeOnly) &&
      Array.isArray(t.commands) &&
      t.commands.every(
        (c) =>
          isRecord(c) &&
          typeof c.id === 'string' &&
          ((c.kind === 'createGroup' && typeof c.name === 'string') || (c.kind === 'user' && wellFormedUserCommand(c))),
      ),
  )
}

const isNames = (v: unknown): boolean => Array.isArray(v) && v.every((n) => typeof n === 'string')
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v)

function wellFormedUserCommand(c: Record<string, unknown>): boolean {
  const user = c.user
  return (
    isRecord(user) &&
    ['identityType', 'email', 'username', 'domain'].every((key) => typeof user[key] === 'string') &&
    optional(c.create, isRecord) &&
    optional(c.update, isRecord) &&
    optional(c.removeGroups, (v) => v === 'all' || isNames(v)) &&
    optional(c.addGroups, isNames) &&
    optional(c.removeFromOrg, isRecord)
  )
}

/**
 * Reads a plan file as a stream of lines. A file that is not a ust plan of this version, not well formed,
 * or whose digest does not match its lines (it was edited) is a {@link ConfigError}; the message never
 * quotes the file.
 */
export async function readPlanFile(path: string): Promise<SavedPlan> {
  const redo = 'Make a new plan with `ust sync --plan-out FILE` and review that file without editing it'
  await checkDataFile(path, 'the plan file', redo)
  const notAPlan = () =>
    new ConfigError(`${path} is not a ust plan file (version 2)`, {
      code: 'config.plan-format',
      suggestions: ['Give a file written by `ust sync --plan-out FILE` of this ust version'],
    })
  const hash = createHash('sha256')
  const rebuilder = new Rebuilder()
  let header: Record<string, unknown> | undefined
  let digest: string | undefined
  try {
    await readLines(path, (line, number) => {
      if (digest !== undefined) throw new RecordError(`line ${number} follows the digest`)
      if (number === 1) {
        header = parseHeader(line)
        if (!header) throw notAPlan()
      } else if (line.startsWith('{"digest":')) {
        digest = parseDigest(line)
        return
      } else rebuilder.add(line, number)
      hash.update(`${line}\n`)
    })
  } catch (error) {
    if (error instanceof ConfigError) throw error
    if (!(error instanceof RecordError)) throw error
    throw new ConfigError(`The plan file ${path} is damaged or not a plan (${error.message})`, {
      code: 'config.plan-unreadable',
      suggestions: [redo],
    })
  }
  if (!header) throw notAPlan()
  if (digest === undefined || digest !== hash.digest('hex')) {
    throw new ConfigError(`The plan file ${path} was changed after ust wrote it (its digest does not match)`, {
      code: 'config.plan-tampered',
      suggestions: [redo],
    })
  }
  const plan = rebuilder.value()
  if (!wellFormed(plan)) throw notAPlan()
  return { ...(header as Omit<SavedPlan, 'plan' | 'digest'>), plan, digest }
}

function parseHeader(line: string): Record<string, unknown> | undefined {
  let header: unknown
  try {
    header = JSON.parse(line)
  } catch {
    return undefined
  }
  if (!isRecord(header) || header.format !== 'ust-plan' || header.version !== 2) return undefined
  if (typeof header.createdAt !== 'string' || typeof header.fingerprint !== 'string') return undefined
  return {
    format: header.format,
    version: header.version,
    createdAt: header.createdAt,
    fingerprint: header.fingerprint,
  }
}

function parseDigest(line: string): string {
  try {
    const value = (JSON.parse(line) as { digest?: unknown }).digest
    if (typeof value === 'string') return value
  } catch {
    // reported below
  }
  throw new RecordError('the digest line is damaged')
}

/** Each command of a target, as canonical text without its id, grouped by the user or group it is about. */
function commandsBySubject(plan: Plan, target: string): Map<string, string[]> {
  const bySubject = new Map<string, string[]>()
  for (const command of plan.targets.find((t) => t.target === target)?.commands ?? []) {
    const subject = subjectOf(command)
    const list = bySubject.get(subject) ?? []
    list.push(describeCommand(command as PlannedCommand))
    bySubject.set(subject, list)
  }
  for (const list of bySubject.values()) list.sort()
  return bySubject
}

/**
 * Differences between a saved plan and a fresh one for the same config, worded per user, e.g.
 * `user x@y (primary): saved plan: add groups [a]; now: add groups [a, b]`. Every command and every field
 * is compared (a second command for one user, a changed create attribute); empty when they agree.
 */
export function planDifferences(saved: Plan, fresh: Plan): string[] {
  const differences: string[] = []
  const targets = new Set([...saved.targets.map((t) => t.target), ...fresh.targets.map((t) => t.target)])
  const show = (list: string[] | undefined) => (list ? list.join(' | ') : 'nothing')
  for (const target of targets) {
    const before = commandsBySubject(saved, target)
    const after = commandsBySubject(fresh, target)
    for (const subject of new Set([...before.keys(), ...after.keys()])) {
      const was = before.get(subject)
      const now = after.get(subject)
      if (canonicalJson(was ?? []) !== canonicalJson(now ?? []))
        differences.push(`${subject} (${target}): saved plan: ${show(was)}; now: ${show(now)}`)
    }
  }
  const limitOf = (plan: Plan) => Boolean(plan.limit?.exceeded)
  if (limitOf(saved) !== limitOf(fresh)) {
    differences.push(
      `Adobe-only limit: saved plan ${limitOf(saved) ? 'exceeded' : 'within'} it; now ${limitOf(fresh) ? 'exceeded' : 'within'} it (${fresh.limit?.count ?? 0} Adobe-only users)`,
    )
  }
  if (canonicalJson(saved.adobeOnlyFile ?? null) !== canonicalJson(fresh.adobeOnlyFile ?? null)) {
    differences.push(
      `Adobe-only user file: the list of Adobe-only users changed (${saved.adobeOnlyFile?.rows?.length ?? 0} then, ${fresh.adobeOnlyFile?.rows?.length ?? 0} now)`,
    )
  }
  return differences
}
