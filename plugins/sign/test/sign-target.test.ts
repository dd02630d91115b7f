import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CredentialError, ROLE_GROUPS, type UserCommand } from '@ust-sync/api'
import { type FakeSign, startFakeSign } from '@ust-sync/test-servers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { recordingContext } from '../../umapi/test/helpers/test-context.js'
import { parseSignSettings } from '../src/config/sign-settings.js'
import { SignTarget } from '../src/sign-target.js'

const KEY = 'unit-sign-key-0123456789abcdef'
let fake: FakeSign
let dir: string

beforeEach(async () => {
  fake = await startFakeSign({ integrationKey: KEY, pageSize: 2 })
  dir = await mkdtemp(join(tmpdir(), 'ust-sign-unit-'))
  const a = fake.account
  a.addGroup('Sales')
  a.addUser({ email: 'owner@example.com', isAccountAdmin: true })
  a.addUser({ email: 'ann@example.com', groups: ['Sales'], adminOf: ['Sales'] })
  a.addUser({ email: 'bob@example.com' })
  a.addUser({ email: 'ivy@example.com', status: 'INACTIVE' })
  a.addUser({ email: 'cat@example.com', isAccountAdmin: true })
})
afterEach(async () => {
  await fake.close()
  await rm(dir, { recursive: true, force: true })
})

function target(key = KEY): { target: SignTarget; lines: string[] } {
  const { context, lines } = recordingContext()
  const settings = parseSignSettings({
    host: fake.url,
    admin_email: 'owner@example.com',
    integration_key: key,
    create_users: true,
    deactivate_users: true,
    retries: 3,
    cache_path: dir,
  })
  return { target: new SignTarget(settings, context), lines }
}

const ref = (email: string) => ({ identityType: 'federatedID' as const, email, username: email, domain: 'example.com' })
const cmd = (id: string, email: string, rest: Partial<UserCommand>): UserCommand => ({
  kind: 'user',
  id,
  user: ref(email),
  ...rest,
})

describe('Sign target', () => {
  it('reads active users with their primary group and role groups, pages through lists, leaves the key owner out', async () => {
    const snapshot = await target().target.snapshot({ includeGroups: true })
    expect(snapshot.users.map((u) => [u.email, u.groups])).toEqual([
      ['ann@example.com', ['Sales', ROLE_GROUPS.groupAdmin]],
      ['bob@example.com', ['Default Group']],
      ['cat@example.com', ['Default Group', ROLE_GROUPS.accountAdmin]],
    ])
    expect(snapshot.groups?.find((g) => g.isDefault)?.name).toBe('Default Group')
    expect(fake.counts().listUsers).toBe(3)
    expect(fake.requests.find((r) => r.host === 'entry' && r.endpoint !== 'baseUris')).toBeUndefined()
  })

  it('applies creates, moves, roles, resets and deactivations; applying again sends no write', async () => {
    const { target: t } = target()
    await t.snapshot({ includeGroups: true })
    const commands = [
      { kind: 'createGroup' as const, id: 'p:1', name: 'Legal', description: '' },
      cmd('p:2', 'dan@example.com', { create: { onConflict: 'ignore' }, addGroups: ['legal', ROLE_GROUPS.groupAdmin] }),
      cmd('p:3', 'ivy@example.com', { create: { onConflict: 'ignore' }, addGroups: ['sales'] }),
      cmd('p:4', 'bob@example.com', { addGroups: ['sales', ROLE_GROUPS.accountAdmin] }),
      cmd('p:5', 'ann@example.com', { removeGroups: 'all' }),
      cmd('p:6', 'cat@example.com', { removeFromOrg: { deleteAccount: false } }),
    ]
    const results = await t.apply(commands, { testOnly: false })
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done'])
    const a = fake.account
    expect(a.describe('dan@example.com')).toMatchObject({ primary: 'Legal', groupAdminOf: ['Legal'] })
    expect(a.describe('ivy@example.com')).toMatchObject({ status: 'ACTIVE', primary: 'Sales' })
    expect(a.describe('bob@example.com')).toMatchObject({ primary: 'Sales', accountAdmin: true })
    expect(a.describe('ann@example.com')).toMatchObject({ primary: 'Default Group', groupAdminOf: [] })
    expect(a.describe('cat@example.com').status).toBe('INACTIVE')
    const writes = () => fake.requests.filter((r) => r.method !== 'GET').length
    const before = writes()
    const { target: again } = target()
    await again.snapshot({ includeGroups: true })
    expect((await again.apply(commands.slice(1), { testOnly: false })).every((r) => r.status === 'done')).toBe(true)
    expect(writes()).toBe(before)
  })

  it('updates names (one PUT with the account admin flag) and refuses an email change', async () => {
    const { target: t } = target()
    await t.snapshot({ includeGroups: true })
    const results = await t.apply(
      [
        cmd('p:1', 'bob@example.com', { update: { firstname: 'Robert' }, addGroups: [ROLE_GROUPS.accountAdmin] }),
        cmd('p:2', 'ann@example.com', { update: { email: 'anne@example.com' } }),
      ],
      { testOnly: false },
    )
    expect(results.map((r) => r.status)).toEqual(['done', 'failed'])
    const bob = fake.account.userByEmail('bob@example.com')
    expect([bob?.firstName, bob?.isAccountAdmin]).toEqual(['Robert', true])
    expect(fake.requests.filter((r) => r.endpoint === 'updateUser')).toHaveLength(1)
  })

  it('checks the live user before writing: a plan from stale data sends nothing already true', async () => {
    const { target: t } = target()
    await t.snapshot({ includeGroups: true })
    // Changed in Sign after the read (by an admin, or an earlier run whose reply was lost).
    fake.account.user(fake.account.userByEmail('bob@example.com')!.id)!.isAccountAdmin = true
    const results = await t.apply([cmd('p:1', 'bob@example.com', { addGroups: [ROLE_GROUPS.accountAdmin] })], {
      testOnly: false,
    })
    expect(results[0]?.status).toBe('done')
    expect(fake.requests.filter((r) => r.endpoint === 'updateUser')).toHaveLength(0)
  })

  it('test mode sends no write and accepts groups the batch creates', async () => {
    const { target: t } = target()
    await t.snapshot({ includeGroups: true })
    const results = await t.apply(
      [
        { kind: 'createGroup', id: 'p:1', name: 'Legal', description: '' },
        cmd('p:2', 'bob@example.com', { addGroups: ['legal'] }),
        cmd('p:3', 'bob@example.com', { addGroups: ['nope'] }),
      ],
      { testOnly: true },
    )
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'failed'])
    expect(fake.requests.filter((r) => r.method !== 'GET')).toHaveLength(0)
  })

  it('waits as 429 Retry-After says, then goes on', async () => {
    fake.faults.throttle(0, { endpoint: 'getUser', times: 2 })
    const { target: t, lines } = target()
    const snapshot = await t.snapshot({ includeGroups: true })
    expect(snapshot.users).toHaveLength(3)
    expect(fake.requests.filter((r) => r.status === 429)).toHaveLength(2)
    expect(lines.some((l) => l.includes('throttling'))).toBe(true)
    expect(t.stats().requests).toBe(fake.requests.length)
  })

  it('INVALID_API_ACCESS_POINT discovers the access point again and sends the call once more', async () => {
    fake.faults.status(400, 'INVALID_API_ACCESS_POINT', { endpoint: 'listGroups' })
    const snapshot = await target().target.snapshot({ includeGroups: true })
    expect(snapshot.groups?.length).toBe(2)
    expect(fake.counts().baseUris).toBe(2)
  })

  it('a refused key is a CredentialError (exit 3) that never shows the key', async () => {
    const wrong = 'wrong-key-9876543210'
    const error = await target(wrong)
      .target.snapshot({ includeGroups: true })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CredentialError)
    expect((error as CredentialError).exitCode).toBe(3)
    expect(String((error as Error).message)).not.toContain(wrong)
  })

  it('a write whose reply is lost is unknown, never sent twice, and the cache is dropped', async () => {
    const { target: t } = target()
    await t.snapshot({ includeGroups: true })
    const [file] = await (await import('node:fs/promises')).readdir(dir)
    expect(((await stat(join(dir, file ?? ''))).mode & 0o777).toString(8)).toBe('600')
    fake.faults.reset({ endpoint: 'createUser' })
    const results = await t.apply(
      [cmd('p:1', 'new@example.com', { create: { onConflict: 'ignore' }, addGroups: ['default group'] })],
      { testOnly: false },
    )
    expect(results[0]?.status).toBe('unknown')
    expect(fake.requests.filter((r) => r.endpoint === 'createUser')).toHaveLength(1)
    await expect(stat(join(dir, file ?? ''))).rejects.toThrow()
  })
})
