import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExitCode, type UserCommand } from '@ust-sync/api'
import { planDifferences, readPlanFile, writePlanFile } from '../../src/run/plan-file.js'
import { Rebuilder, recordLines } from '../../src/run/plan-stream.js'
import { parsePlanText, planText } from './plan-file-text.js'
import { dirUser, makeConfig, planFor } from '../sync/helpers.js'

const plan = () =>
  planFor({
    config: makeConfig({ mappings: { staff: ['Staff'] } }),
    options: { processGroups: true },
    directory: [dirUser('new@x.com', ['staff']), dirUser('two@x.com', ['staff'])],
  })

describe('plan files', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ust-plan-'))
  })
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  it('compares every command and field: a duplicate command or a changed create attribute is a difference', () => {
    const fresh = plan()
    const duplicated = structuredClone(fresh)
    const first = duplicated.targets[0]!.commands[0] as UserCommand
    duplicated.targets[0]!.commands.push({ ...first, id: 'primary:9' })
    expect(planDifferences(duplicated, fresh)).toEqual([
      expect.stringMatching(/^user new@x\.com \(primary\): saved plan: .* \| .*; now: /),
    ])
    const renamed = structuredClone(fresh)
    ;(renamed.targets[0]!.commands[1] as UserCommand).create!.firstname = 'Mallory'
    expect(planDifferences(renamed, fresh)).toEqual([expect.stringContaining('firstname "Mallory"')])
    expect(planDifferences(structuredClone(fresh), fresh)).toEqual([])
  })

  it('a re-signed file whose commands have the wrong shape is a configuration error, not a crash', async () => {
    const file = join(dir, 'plan.json')
    await writePlanFile(file, plan(), 'f', 0)
    const saved = parsePlanText(await readFile(file, 'utf8'))
    saved.plan.targets[0].commands[0].removeGroups = 5
    await writeFile(file, planText({ header: saved.header, plan: saved.plan }))
    await expect(readPlanFile(file)).rejects.toMatchObject({ exitCode: ExitCode.config, code: 'config.plan-format' })
  })

  it('round-trips, with the digest of what was written, and is written as lines (one per command)', async () => {
    const file = join(dir, 'plan.json')
    const written = plan()
    const digest = await writePlanFile(file, written, 'f', 0)
    const read = await readPlanFile(file)
    expect(read).toEqual({
      format: 'ust-plan',
      version: 2,
      createdAt: new Date(0).toISOString(),
      fingerprint: 'f',
      plan: JSON.parse(JSON.stringify(written)),
      digest,
    })
  })

  it('splits a large plan into one line per command; small parts stay whole', () => {
    const command = { id: 'primary:1', kind: 'user', user: { email: 'a@x.com' }, addGroups: ['g'] }
    const big = { targets: [{ target: 'primary', commands: Array.from({ length: 300 }, () => command) }], warnings: [] }
    const lines = [...recordLines(big)]
    expect(lines.slice(0, 4)).toEqual([
      '{"p":[],"t":"o"}',
      '{"p":["targets"],"t":"a"}',
      '{"p":["targets",0],"t":"o"}',
      '{"p":["targets",0,"commands"],"t":"a"}',
    ])
    expect(lines[4]).toBe(
      '{"p":["targets",0,"commands",0],"v":{"addGroups":["g"],"id":"primary:1","kind":"user","user":{"email":"a@x.com"}}}',
    )
    expect(lines.filter((l) => l.startsWith('{"p":["targets",0,"commands",'))).toHaveLength(300)
    expect(lines.at(-1)).toBe('{"p":["warnings"],"v":[]}')
    const rebuilder = new Rebuilder()
    lines.forEach((line, i) => {
      rebuilder.add(line, i + 1)
    })
    expect(rebuilder.value()).toEqual(big)
  })

  it('records that do not fit, a second root, a prototype key or an endless line are refused as damaged, never quoted', async () => {
    const file = join(dir, 'plan.json')
    await writePlanFile(file, plan(), 'f', 0)
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n')
    for (const bad of [
      '{"p":[],"t":"o"}',
      '{"p":["__proto__"],"v":{"polluted":"secret-looking"}}',
      '{"p":["targets",99,"x"],"v":1}',
      'secret-looking not json',
    ]) {
      await writeFile(file, [...lines.slice(0, 2), bad, ...lines.slice(2)].join('\n'))
      const error = await readPlanFile(file).catch((e: Error) => e)
      expect(error).toMatchObject({ code: 'config.plan-unreadable' })
      expect((error as Error).message).not.toContain('secret-looking')
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
