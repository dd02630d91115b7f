import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExitCode, type UserCommand } from '@ust-sync/api'
import { canonicalJson, planDifferences, readPlanFile, writePlanFile } from '../../src/run/plan-file.js'
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
    const saved = JSON.parse(await readFile(file, 'utf8'))
    saved.plan.targets[0].commands[0].removeGroups = 5
    const { format, version, createdAt, fingerprint, plan: body } = saved
    saved.digest = createHash('sha256')
      .update(canonicalJson({ format, version, createdAt, fingerprint, plan: body }))
      .digest('hex')
    await writeFile(file, JSON.stringify(saved))
    await expect(readPlanFile(file)).rejects.toMatchObject({ exitCode: ExitCode.config, code: 'plan.format' })
  })
})
