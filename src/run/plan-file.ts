import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { ConfigError, type PlannedCommand } from '@ust-sync/api'
import type { UstConfig } from '../config/types.js'
import type { SyncOptions } from '../sync/options.types.js'
import type { Plan } from '../sync/plan.types.js'
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

/** Writes a plan file. */
export async function writePlanFile(path: string, plan: Plan, fingerprint: string, now: number): Promise<void> {
  const saved: SavedPlan = { format: 'ust-plan', version: 1, createdAt: new Date(now).toISOString(), fingerprint, plan }
  await writePrivateFile(path, `${JSON.stringify(saved, null, 2)}\n`)
}

/** Reads a plan file; a file that is not one is a {@link ConfigError} saying so. */
export async function readPlanFile(path: string): Promise<SavedPlan> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw new ConfigError(`Cannot read the plan file ${path}: ${(error as Error).message}`, {
      code: 'plan.unreadable',
      suggestions: ['Give a file written by `ust sync --plan-out FILE`'],
    })
  }
  const saved = parsed as Partial<SavedPlan>
  if (
    saved.format !== 'ust-plan' ||
    saved.version !== 1 ||
    typeof saved.fingerprint !== 'string' ||
    !Array.isArray(saved.plan?.targets)
  ) {
    throw new ConfigError(`${path} is not a ust plan file (version 1)`, {
      code: 'plan.format',
      suggestions: ['Give a file written by `ust sync --plan-out FILE` of this ust version'],
    })
  }
  return saved as SavedPlan
}

/** What a command does, in words (ids aside). */
function describe(command: PlannedCommand): string {
  if (command.kind === 'createGroup') return `create user group '${command.name}'`
  const parts: string[] = []
  if (command.create) parts.push(`create (${command.create.onConflict} if it exists)`)
  if (command.update) parts.push(`update ${JSON.stringify(command.update)}`)
  if (command.removeGroups)
    parts.push(`remove groups ${command.removeGroups === 'all' ? 'all' : `[${command.removeGroups.join(', ')}]`}`)
  if (command.addGroups) parts.push(`add groups [${command.addGroups.join(', ')}]`)
  if (command.removeFromOrg) parts.push(command.removeFromOrg.deleteAccount ? 'delete account' : 'remove from org')
  return parts.join(', ')
}

function subjectOf(command: PlannedCommand): string {
  return command.kind === 'createGroup' ? `group '${command.name}'` : `user ${command.user.email.toLowerCase()}`
}

/**
 * Differences between a saved plan and a fresh one for the same config, worded per user, e.g.
 * `user x@y (primary): saved plan: add groups [a]; now: add groups [a, b]`. Empty when they agree.
 */
export function planDifferences(saved: Plan, fresh: Plan): string[] {
  const differences: string[] = []
  const byTarget = (plan: Plan, target: string): Map<string, string> =>
    new Map((plan.targets.find((t) => t.target === target)?.commands ?? []).map((c) => [subjectOf(c), describe(c)]))
  const targets = new Set([...saved.targets.map((t) => t.target), ...fresh.targets.map((t) => t.target)])
  for (const target of targets) {
    const before = byTarget(saved, target)
    const after = byTarget(fresh, target)
    for (const [subject, was] of before) {
      const now = after.get(subject)
      if (now === undefined) differences.push(`${subject} (${target}): saved plan: ${was}; now: nothing to do`)
      else if (now !== was) differences.push(`${subject} (${target}): saved plan: ${was}; now: ${now}`)
    }
    for (const [subject, now] of after)
      if (!before.has(subject)) differences.push(`${subject} (${target}): saved plan: nothing; now: ${now}`)
  }
  if (Boolean(saved.limit?.exceeded) !== Boolean(fresh.limit?.exceeded)) {
    differences.push(
      `Adobe-only limit: saved plan ${saved.limit?.exceeded ? 'exceeded' : 'within'} it; now ${fresh.limit?.exceeded ? 'exceeded' : 'within'} it (${fresh.limit?.count ?? 0} Adobe-only users)`,
    )
  }
  if (JSON.stringify(saved.adobeOnlyFile ?? null) !== JSON.stringify(fresh.adobeOnlyFile ?? null)) {
    differences.push(
      `Adobe-only user file: the list of Adobe-only users changed (${saved.adobeOnlyFile?.rows.length ?? 0} then, ${fresh.adobeOnlyFile?.rows.length ?? 0} now)`,
    )
  }
  return differences
}
