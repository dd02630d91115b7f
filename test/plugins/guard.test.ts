import { describe, expect, it } from 'vitest'
import type { PlannedCommand, PluginContext, Target, TargetDefinition } from '@ust-sync/api'
import { defineCredentialBackend, defineIdentitySource, defineTarget } from '@ust-sync/api'
import { guardContribution } from '../../src/plugins/guard.js'

const context = {} as PluginContext
const command: PlannedCommand = {
  kind: 'createGroup',
  id: 't:1',
  name: 'g',
  description: 'd',
}

function target(overrides: Partial<Target>): TargetDefinition {
  return defineTarget({
    id: 'bad',
    description: 'bad',
    connector: { schema: {} },
    create: () => ({
      capabilities: { testMode: true, createGroups: true },
      endpoints: () => [],
      snapshot: async () => ({ users: [] }),
      apply: async (commands) => commands.map((c) => ({ commandId: c.id, status: 'done' as const })),
      ...overrides,
    }),
  })
}

describe('plugin output is validated at the boundary', () => {
  it('a user without groups from read() is a plugin error naming the plugin and the field', async () => {
    const source = guardContribution(
      defineIdentitySource({
        id: 'nogroups',
        description: 'x',
        connector: { schema: {} },
        create: () => ({ read: async () => ({ users: [{ email: 'a@b.c' }], warnings: [] }) as never }),
      }),
      '@x/nogroups',
    )
    await expect(
      source.create({}, context).read({ groups: [], allUsers: true, extendedAttributes: [] }),
    ).rejects.toMatchObject({
      exitCode: 5,
      message: expect.stringMatching(/@x\/nogroups.*identity source "nogroups" read\(\)[\s\S]*users\[0\]\.groups/),
    })
  })

  it('read() results are passed on as they are when valid; one bad value among thousands is still found', async () => {
    const good = Array.from({ length: 5000 }, (_, i) => ({
      email: `u${i}@x.com`,
      groups: ['a'],
      identityType: 'federatedID' as const,
      attributes: { title: 'x', mail: ['a', 'b'], none: undefined },
    }))
    const read = (users: unknown[]) =>
      guardContribution(
        defineIdentitySource({
          id: 'many',
          description: 'x',
          connector: { schema: {} },
          create: () => ({ read: async () => ({ users, warnings: ['w'] }) as never }),
        }),
        '@x/many',
      )
        .create({}, context)
        .read({ groups: [], allUsers: true, extendedAttributes: [] })
    const result = await read(good)
    expect(result.users).toBe(good)
    await expect(read([...good, { ...good[0], attributes: { title: 3 } }])).rejects.toMatchObject({
      exitCode: 5,
      message: expect.stringContaining(
        'users[5000].attributes.title: expected a string or an array of strings, got number',
      ),
    })
    await expect(read([...good, { ...good[0], identityType: 'federatedid' }])).rejects.toMatchObject({
      message: expect.stringContaining('users[5000].identityType: expected one of adobeID, enterpriseID, federatedID'),
    })
  })

  it('a snapshot user without an identity type is refused', async () => {
    const t = guardContribution(target({ snapshot: async () => ({ users: [{ email: 'a@b.c' }] }) as never }), '@x/t')
    await expect(t.create({}, context).snapshot({ includeGroups: false })).rejects.toThrow(/users\[0\]\.identityType/)
  })

  it('a bad snapshot user after good ones is named by its position', async () => {
    const good = { identityType: 'federatedID', email: 'a@b.c', username: 'a@b.c', domain: 'b.c', groups: [] }
    const users = [good, good, { ...good, domain: '' }]
    const t = guardContribution(target({ snapshot: async () => ({ users }) as never }), '@x/t')
    await expect(t.create({}, context).snapshot({ includeGroups: false })).rejects.toThrow(/users\[2\]\.domain/)
  })

  it('apply() must return exactly one result per command', async () => {
    const missing = guardContribution(target({ apply: async () => [] }), '@x/t')
    await expect(missing.create({}, context).apply([command], { testOnly: false })).rejects.toThrow(
      /no result for 1 of 1 commands \(t:1\)/,
    )
    const twice = guardContribution(
      target({
        apply: async () => [
          { commandId: 't:1', status: 'done' },
          { commandId: 't:1', status: 'done' },
        ],
      }),
      '@x/t',
    )
    await expect(twice.create({}, context).apply([command], { testOnly: false })).rejects.toThrow(
      /results\[1\]\.commandId: a second result/,
    )
  })

  it('apply() may report a command unknown (sent, reply lost), but no other status', async () => {
    const lost = guardContribution(
      target({
        apply: async () => [
          { commandId: 't:1', status: 'unknown', errors: [{ code: 'target.umapi.outcome-unknown', message: 'lost' }] },
        ],
      }),
      '@x/t',
    )
    expect(await lost.create({}, context).apply([command], { testOnly: false })).toEqual([
      { commandId: 't:1', status: 'unknown', errors: [{ code: 'target.umapi.outcome-unknown', message: 'lost' }] },
    ])
    const odd = guardContribution(
      target({ apply: async () => [{ commandId: 't:1', status: 'maybe' }] as never }),
      '@x/t',
    )
    await expect(odd.create({}, context).apply([command], { testOnly: false })).rejects.toThrow(
      /results\[0\]\.status: expected one of done, failed, unknown, got "maybe"/,
    )
  })

  it('capabilities must be booleans; a target without test mode is never called with testOnly', async () => {
    const odd = guardContribution(target({ capabilities: { testMode: 'yes' } as never }), '@x/t')
    expect(() => odd.create({}, context)).toThrow(/capabilities\.testMode/)
    let applied = false
    const live = guardContribution(
      target({
        capabilities: { testMode: false, createGroups: false },
        apply: async () => {
          applied = true
          return []
        },
      }),
      '@x/t',
    )
    await expect(live.create({}, context).apply([command], { testOnly: true })).rejects.toThrow(/no test mode/)
    expect(applied).toBe(false)
  })

  it("a backend's describe() must say available and detail", async () => {
    const backend = guardContribution(
      defineCredentialBackend({
        id: 'b',
        description: 'b',
        create: () => ({
          describe: async () => ({ ok: true }) as never,
          get: async () => 42 as never,
          set: async () => undefined,
          delete: async () => true,
          list: async () => [],
        }),
      }),
      '@x/b',
    ).create(context)
    await expect(backend.describe()).rejects.toThrow(/available: expected true or false/)
    await expect(backend.get('s', 'a')).rejects.toThrow(/get\(\)[\s\S]*expected a string or undefined/)
  })
})
