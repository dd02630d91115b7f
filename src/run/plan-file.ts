import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { ConfigError, type PlannedCommand } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import { describeCommand, subjectOf } from '../sync/describe-command.js'
import type { SyncOptions } from '../sync/options.types.js'
import type { Plan } from '../sync/plan.types.js'
import { readDataFile } from './read-data-file.js'
import { writePrivateFile } from './private-file.js'

/** What `--plan-out` writes. No secrets: user data, commands and a hash of the config. */
export interface SavedPlan {
  format: 'ust-plan'
  version: 1
  /** ISO time the plan was made. */
  createdAt: string
  /** sha256 of the config files' content and the run's options (test mode aside). */
  fingerprint: string
  plan: Plan
  /** sha256 of the canonical JSON of everything above: an edited file is refused. */
  digest: string
}

/** JSON with object keys sorted at every level: the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  )
}

function digestOf(saved: Omit<SavedPlan, 'digest'>): string {
  const { format, version, createdAt, fingerprint, plan } = saved
  return createHash('sha256').update(canonicalJson({ format, version, createdAt, fingerprint, plan })).digest('hex')
}

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

/** Writes a plan file, readable by its owner only (it holds names and emails), with its digest; returns the digest. */
export async function writePlanFile(path: string, plan: Plan, fingerprint: string, now: number): Promise<string> {
  const body = {
    format: 'ust-plan' as const,
    version: 1 as const,
    createdAt: new Date(now).toISOString(),
    fingerprint,
    plan,
  }
  const saved: SavedPlan = { ...body, digest: digestOf(body) }
  await writePrivateFile(path, `${JSON.stringify(saved, null, 2)}\n`)
  return saved.digest
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
 * Reads a plan file. A file that is not JSON, not a ust plan, not well formed, or whose digest does not
 * match its content (it was edited) is a {@link ConfigError}; the message never quotes the file.
 */
export async function readPlanFile(path: string): Promise<SavedPlan> {
  const redo = 'Make a new plan with `ust sync --plan-out FILE` and review that file without editing it'
  const text = await readDataFile(path, 'the plan file', redo)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new ConfigError(`The plan file ${path} is not valid JSON`, { code: 'plan.unreadable', suggestions: [redo] })
  }
  const saved = parsed as Partial<SavedPlan>
  if (
    !isRecord(parsed) ||
    saved.format !== 'ust-plan' ||
    saved.version !== 1 ||
    typeof saved.fingerprint !== 'string' ||
    typeof saved.createdAt !== 'string' ||
    typeof saved.digest !== 'string' ||
    !wellFormed(saved.plan)
  ) {
    throw new ConfigError(`${path} is not a ust plan file (version 1)`, {
      code: 'plan.format',
      suggestions: ['Give a file written by `ust sync --plan-out FILE` of this ust version'],
    })
  }
  if (digestOf(saved as SavedPlan) !== saved.digest) {
    throw new ConfigError(`The plan file ${path} was changed after ust wrote it (its digest does not match)`, {
      code: 'plan.tampered',
      suggestions: [redo],
    })
  }
  return saved as SavedPlan
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
