import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isUstError, type PluginContext, type Target, type TargetError } from '@ust-sync/api'
import { sandboxTargetDefinition } from '../src/definition.js'
import { formatOrg, writeOrgFile } from '../src/org-file.js'
import { fed, sampleOrg, userCommand } from './fixtures.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ust-sandbox-'))
})
afterEach(async () => rm(dir, { recursive: true, force: true }))

function context(): PluginContext {
  const quiet = () => undefined
  return {
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    clock: { now: () => Date.now(), sleep: async () => undefined },
    configDir: dir,
    dataDir: dir,
    userAgent: 'ust-sync/test',
    tlsVerify: true,
  }
}

async function targetWith(content: string, name = 'org.json'): Promise<Target> {
  await writeFile(path.join(dir, name), content)
  return sandboxTargetDefinition.create({ org_file: name }, context())
}

async function failure(promise: Promise<unknown>): Promise<TargetError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(isUstError(error)).toBe(true)
  return error as TargetError
}

const orgFile = () => path.join(dir, 'org.json')
const changes = () => [
  { kind: 'createGroup' as const, id: 'g1', name: 'Marketing', description: 'Created by ust' },
  userCommand(fed('new@corp.example'), {
    create: { firstname: 'N', lastname: 'U', country: 'US', onConflict: 'ignore' },
    addGroups: ['Marketing'],
  }),
  userCommand(fed('bob@corp.example'), { removeFromOrg: { deleteAccount: false } }),
]

describe('sandbox target', () => {
  it('declares its capabilities and no network endpoints', async () => {
    const target = await targetWith(formatOrg(sampleOrg()))
    expect(target.capabilities).toEqual({ testMode: true, createGroups: true })
    expect(target.endpoints()).toEqual([])
  })

  it('reads a hand-written file, defaulting username and domain', async () => {
    const target = await targetWith(
      JSON.stringify({
        users: [{ identityType: 'enterpriseID', email: 'ann@corp.example', groups: ['Team'] }],
        groups: [{ name: 'Team', type: 'userGroup' }],
      }),
    )
    const snapshot = await target.snapshot({ includeGroups: true })
    expect(snapshot.users).toEqual([
      {
        identityType: 'enterpriseID',
        email: 'ann@corp.example',
        username: 'ann@corp.example',
        domain: 'corp.example',
        groups: ['Team'],
      },
    ])
    expect(snapshot.groups).toEqual([{ name: 'Team', type: 'userGroup', memberCount: 1 }])
  })

  it('applies commands and writes the file; a later snapshot sees them', async () => {
    const target = await targetWith(formatOrg(sampleOrg()))
    const plan = changes()
    const results = await target.apply(plan, { testOnly: false })
    expect(results).toEqual(plan.map((c) => ({ commandId: c.id, status: 'done' })))
    const snapshot = await target.snapshot({ groups: ['marketing'], includeGroups: false })
    expect(snapshot.users.map((user) => user.email)).toEqual(['new@corp.example'])
    const onDisk = JSON.parse(await readFile(orgFile(), 'utf8'))
    expect(onDisk.users.map((user: { email: string }) => user.email)).not.toContain('bob@corp.example')
  })

  it('testOnly reports what would succeed and leaves the file byte for byte', async () => {
    const original = JSON.stringify(sampleOrg())
    const target = await targetWith(original)
    const before = await stat(orgFile())
    const results = await target.apply([...changes(), userCommand(fed('ann@corp.example'), { addGroups: ['Nope'] })], {
      testOnly: true,
    })
    expect(results.map((result) => result.status)).toEqual(['done', 'done', 'done', 'failed'])
    expect(await readFile(orgFile(), 'utf8')).toBe(original)
    expect((await stat(orgFile())).mtimeMs).toBe(before.mtimeMs)
  })

  it('does not rewrite the file when nothing changed', async () => {
    const original = JSON.stringify(sampleOrg())
    const target = await targetWith(original)
    await target.apply([userCommand(fed('ghost@corp.example'), { removeFromOrg: { deleteAccount: false } })], {
      testOnly: false,
    })
    expect(await readFile(orgFile(), 'utf8')).toBe(original)
  })

  it('writes atomically: valid JSON afterwards, no temporary file left, permissions kept', async () => {
    const target = await targetWith(formatOrg(sampleOrg()))
    await chmod(orgFile(), 0o640)
    for (let round = 0; round < 5; round++) {
      await target.apply([userCommand(fed('bob@corp.example'), { update: { firstname: `Bob${round}` } })], {
        testOnly: false,
      })
    }
    expect(await readdir(dir)).toEqual(['org.json'])
    const text = await readFile(orgFile(), 'utf8')
    expect(JSON.parse(text).users[1].firstname).toBe('Bob4')
    expect(text.endsWith('}\n')).toBe(true)
    expect((await stat(orgFile())).mode & 0o777).toBe(0o640)
  })

  it('reports a failed rename as a TargetError and removes its temporary file', async () => {
    const blocked = path.join(dir, 'blocked.json')
    await mkdir(blocked) // a directory cannot be replaced by a file
    const error = await failure(writeOrgFile(blocked, sampleOrg()))
    expect(error.code).toBe('target.sandbox.unwritable')
    expect(error.message).toContain(blocked)
    expect(await readdir(dir)).toEqual(['blocked.json'])
  })

  it('reports a directory that does not exist as a TargetError', async () => {
    const error = await failure(writeOrgFile(path.join(dir, 'no-such-dir', 'org.json'), sampleOrg()))
    expect(error.message).toMatch(/Cannot write sandbox org file .*no-such-dir.*ENOENT/)
  })

  it('names the file and the JSON problem for malformed JSON', async () => {
    const target = await targetWith('{\n  "users": [\n    { "email": "ann@corp.example", }\n  ]\n}\n')
    const error = await failure(target.snapshot({ includeGroups: false }))
    expect(error.code).toBe('target.sandbox.invalid-org')
    expect(error.message).toContain(orgFile())
    expect(error.message).toMatch(/invalid JSON: .*line 3/)
    expect(error.suggestions[0]).toContain('org.initial.json')
  })

  it('lists every structural problem with its path', async () => {
    const target = await targetWith(
      JSON.stringify({
        users: [
          { identityType: 'federated', email: 'ann@corp.example', groups: ['Team'] },
          { identityType: 'adobeID', email: 'nobody', grups: [] },
          { identityType: 'enterpriseID', email: 'ANN@corp.example', groups: ['Ghost'] },
          { identityType: 'federatedID', email: 'ann@corp.example' },
        ],
        groups: [
          { name: 'Team', type: 'team' },
          { name: 'team', type: 'userGroup' },
        ],
      }),
    )
    const error = await failure(target.apply([], { testOnly: true }))
    for (const problem of [
      'users[0].identityType: expected one of adobeID, enterpriseID, federatedID, got "federated"',
      'users[1].grups: unknown key',
      'users[1].email: "nobody" is not an email address',
      'users[3]: duplicate user enterprise/federated ann@corp.example (same as users[0])',
      'users[2].groups[0]: group "Ghost" is not listed in "groups"',
      'groups[0].type: expected one of userGroup, productProfile, adminGroup, got "team"',
      'groups[1]: duplicate group name team (same as groups[0])',
    ]) {
      expect(error.message).toContain(problem)
    }
  })

  it('names a missing org file and how to create it', async () => {
    const target = sandboxTargetDefinition.create({ org_file: 'missing.json' }, context())
    const error = await failure(target.snapshot({ includeGroups: false }))
    expect(error.message).toBe(`Cannot read sandbox org file ${path.join(dir, 'missing.json')}: file not found`)
    const [check] = await target.check!()
    expect(check).toMatchObject({ status: 'fail', endpoint: path.join(dir, 'missing.json') })
  })
})
