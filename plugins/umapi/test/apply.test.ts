import { afterEach, describe, expect, it } from 'vitest'
import type { PlannedCommand, UserCommand, UserRef } from '@ust-sync/api'
import { type FakeUmapi, startFakeUmapi } from '@ust-sync/test-servers'
import { requestsTo, targetFor } from './helpers/test-context.js'

let fake: FakeUmapi
afterEach(async () => fake?.close())

const fed = (email: string): UserRef => ({
  identityType: 'federatedID',
  email,
  username: email,
  domain: email.split('@')[1]!,
})

async function seededFake(): Promise<FakeUmapi> {
  const f = await startFakeUmapi({ claimedDomains: ['example.com'] })
  f.org.addUserGroup('Design')
  f.org.addUserGroup('Sales')
  f.org.addProductProfile('Photoshop - Default', { productName: 'Photoshop' })
  f.org.addUser({
    email: 'ann@example.com',
    type: 'enterpriseID',
    firstname: 'Ann',
    lastname: 'Lee',
    groups: ['Design', 'Photoshop - Default'],
  })
  f.org.addUser({ email: 'bob@example.com', firstname: 'Bob', lastname: 'Ray', groups: ['Sales'] })
  f.org.addUser({ email: 'cy@example.com', username: 'cyril', domain: 'example.com', groups: ['Design'] })
  f.org.addUser({ email: 'pat@gmail.test', type: 'adobeID', groups: ['Sales'] })
  return f
}

const groupsOf = (f: FakeUmapi, email: string, options: { domain?: string; useAdobeID?: boolean } = {}): string[] => {
  const user = f.org.findUser(email, options)
  return user ? f.org.groupsOf(user).sort() : ['<absent>']
}

describe('apply', () => {
  it('executes every command kind and reports each done', async () => {
    fake = await seededFake()
    const commands: PlannedCommand[] = [
      { kind: 'createGroup', id: 'g1', name: 'New Team', description: 'Created by ust' },
      {
        kind: 'user',
        id: 'u1',
        user: { ...fed('new@example.com'), identityType: 'enterpriseID' },
        create: { firstname: 'N', lastname: 'U', country: 'US', onConflict: 'ignore' },
        addGroups: ['New Team', 'Photoshop - Default'],
      },
      {
        kind: 'user',
        id: 'u2',
        user: fed('fed@example.com'),
        create: { firstname: 'F', lastname: 'D', country: 'DE', onConflict: 'update' },
        addGroups: ['Design'],
      },
      {
        kind: 'user',
        id: 'u3',
        user: {
          identityType: 'adobeID',
          email: 'visitor@gmail.test',
          username: 'visitor@gmail.test',
          domain: 'gmail.test',
        },
        create: { onConflict: 'ignore' },
        addGroups: ['Sales'],
      },
      {
        kind: 'user',
        id: 'u4',
        user: { ...fed('ann@example.com'), identityType: 'enterpriseID' },
        update: { firstname: 'Anne' },
        removeGroups: ['Photoshop - Default'],
        addGroups: ['Sales'],
      },
      {
        kind: 'user',
        id: 'u5',
        user: { identityType: 'federatedID', email: 'cy@example.com', username: 'cyril', domain: 'example.com' },
        update: { email: 'cyril@example.com' },
        removeGroups: 'all',
      },
      {
        kind: 'user',
        id: 'u6',
        user: { identityType: 'adobeID', email: 'pat@gmail.test', username: 'pat@gmail.test', domain: 'gmail.test' },
        removeFromOrg: { deleteAccount: false },
      },
      { kind: 'user', id: 'u7', user: fed('bob@example.com'), removeFromOrg: { deleteAccount: true } },
    ]
    const { target } = targetFor(fake)
    const results = await target.apply(commands, { testOnly: false })
    expect(results).toEqual(commands.map((c) => ({ commandId: c.id, status: 'done' })))
    expect(fake.org.findGroup('New Team')?.description).toBe('Created by ust')
    expect(groupsOf(fake, 'new@example.com')).toEqual(['New Team', 'Photoshop - Default'])
    expect(fake.org.findUser('new@example.com')?.type).toBe('enterpriseID')
    expect(fake.org.findUser('fed@example.com')).toMatchObject({ type: 'federatedID', country: 'DE' })
    expect(groupsOf(fake, 'visitor@gmail.test', { useAdobeID: true })).toEqual(['Sales'])
    expect(fake.org.findUser('ann@example.com')?.firstname).toBe('Anne')
    expect(groupsOf(fake, 'ann@example.com')).toEqual(['Design', 'Sales'])
    expect(fake.org.findUser('cyril', { domain: 'example.com' })?.email).toBe('cyril@example.com')
    expect(groupsOf(fake, 'cyril', { domain: 'example.com' })).toEqual([])
    expect(fake.org.findUser('pat@gmail.test')).toBeUndefined()
    expect(fake.org.findUser('bob@example.com')).toBeUndefined()
    const posts = requestsTo(fake, 'action')
    expect(posts).toHaveLength(1)
    expect(posts[0]!.headers.pragma).toBe('umapi-sync-start')
    expect(posts[0]!.body).toEqual([
      {
        usergroup: 'New Team',
        requestID: 'action_1',
        do: [{ createUserGroup: { name: 'New Team', description: 'Created by ust', option: 'ignoreIfAlreadyExists' } }],
      },
      {
        user: 'new@example.com',
        requestID: 'action_2',
        do: [
          {
            createEnterpriseID: {
              email: 'new@example.com',
              country: 'US',
              firstname: 'N',
              lastname: 'U',
              option: 'ignoreIfAlreadyExists',
            },
          },
          { add: { group: ['New Team', 'Photoshop - Default'] } },
        ],
      },
      {
        user: 'fed@example.com',
        requestID: 'action_3',
        do: [
          {
            createFederatedID: {
              email: 'fed@example.com',
              country: 'DE',
              firstname: 'F',
              lastname: 'D',
              option: 'updateIfAlreadyExists',
            },
          },
          { add: { group: ['Design'] } },
        ],
      },
      {
        user: 'visitor@gmail.test',
        useAdobeID: true,
        requestID: 'action_4',
        do: [
          { addAdobeID: { email: 'visitor@gmail.test', option: 'ignoreIfAlreadyExists' } },
          { add: { group: ['Sales'] } },
        ],
      },
      {
        user: 'ann@example.com',
        requestID: 'action_5',
        do: [
          { update: { firstname: 'Anne' } },
          { remove: { group: ['Photoshop - Default'] } },
          { add: { group: ['Sales'] } },
        ],
      },
      {
        user: 'cyril',
        domain: 'example.com',
        requestID: 'action_6',
        do: [{ update: { email: 'cyril@example.com' } }, { remove: 'all' }],
      },
      {
        user: 'pat@gmail.test',
        useAdobeID: true,
        requestID: 'action_7',
        do: [{ removeFromOrg: { deleteAccount: false } }],
      },
      { user: 'bob@example.com', requestID: 'action_8', do: [{ removeFromOrg: { deleteAccount: true } }] },
    ])
  })

  it('creates a user whose email-like username differs from its email rooted at the username (UST)', async () => {
    fake = await seededFake()
    const user: UserRef = {
      identityType: 'federatedID',
      email: 'eve@example.com',
      username: 'e.login@example.com',
      domain: 'example.com',
    }
    const { target } = targetFor(fake)
    const results = await target.apply(
      [
        {
          kind: 'user',
          id: 'eve',
          user,
          create: { firstname: 'Eve', lastname: 'Login', country: 'US', onConflict: 'ignore' },
          addGroups: ['Design'],
        },
      ],
      { testOnly: false },
    )
    expect(results).toEqual([{ commandId: 'eve', status: 'done' }])
    const body = requestsTo(fake, 'action').at(-1)?.body as Record<string, unknown>[] | undefined
    const entry = body?.[0]
    expect(entry).toMatchObject({
      user: 'e.login@example.com',
      do: [{ createFederatedID: { email: 'eve@example.com' } }, { add: { group: ['Design'] } }],
    })
    const created = fake.org.users().find((u) => u.email === 'eve@example.com')
    expect(created).toMatchObject({ username: 'e.login@example.com', email: 'eve@example.com' })
  })

  it('maps each UMAPI error to its command, and fails the later steps an error stopped', async () => {
    fake = await seededFake()
    const commands: PlannedCommand[] = [
      { kind: 'user', id: 'bad-group', user: fed('bob@example.com'), addGroups: ['No Such Group'] },
      { kind: 'user', id: 'missing', user: fed('ghost@example.com'), addGroups: ['Photoshop - Default'] },
      { kind: 'user', id: 'ok', user: fed('bob@example.com'), removeGroups: ['Sales'] },
      {
        kind: 'user',
        id: 'untrusted',
        user: fed('x@elsewhere.test'),
        create: { firstname: 'X', lastname: 'Y', country: 'US', onConflict: 'ignore' },
      },
      { kind: 'createGroup', id: 'reserved', name: '_admins', description: 'd' },
    ]
    const { target } = targetFor(fake)
    const results = await target.apply(commands, { testOnly: false })
    expect(results).toEqual([
      {
        commandId: 'bad-group',
        status: 'failed',
        errors: [{ code: 'error.group.not_found', message: 'Group No Such Group was not found', step: 'add' }],
      },
      {
        commandId: 'missing',
        status: 'failed',
        errors: [
          {
            code: 'error.user.nonexistent',
            message: 'User ghost@example.com does not exist in the organization',
            step: 'add',
          },
        ],
      },
      { commandId: 'ok', status: 'done' },
      {
        commandId: 'untrusted',
        status: 'failed',
        errors: [
          {
            code: 'error.domain.trust.nonexistent',
            message: 'Changes to users are only allowed in claimed domains. (elsewhere.test)',
            step: 'createFederatedID',
          },
        ],
      },
      {
        commandId: 'reserved',
        status: 'failed',
        errors: [
          {
            code: 'ust.umapi.invalid_group_name',
            message: 'user-group name "_admins" starts with "_", which UMAPI reserves for admin groups',
          },
        ],
      },
    ])
    expect(groupsOf(fake, 'bob@example.com')).toEqual([])
  })

  it('sends single user-group membership changes group-centric and maps a failing step to its users', async () => {
    fake = await seededFake()
    for (let i = 0; i < 25; i++) fake.org.addUser({ email: `m${i}@example.com`, groups: i < 5 ? ['Sales'] : [] })
    for (let i = 0; i < 2; i++) fake.org.addUser({ email: `n${i}@example.com` })
    const commands: UserCommand[] = [
      ...Array.from(
        { length: 20 },
        (_, i): UserCommand => ({
          kind: 'user',
          id: `add${i + 5}`,
          user: fed(`m${i + 5}@example.com`),
          addGroups: ['Design'],
        }),
      ),
      ...Array.from(
        { length: 5 },
        (_, i): UserCommand => ({
          kind: 'user',
          id: `rm${i}`,
          user: fed(`m${i}@example.com`),
          removeGroups: ['Sales'],
        }),
      ),
      { kind: 'user', id: 'n0', user: fed('n0@example.com'), addGroups: ['Sales'] },
      { kind: 'user', id: 'n1', user: fed('n1@example.com'), addGroups: ['Sales'] },
      { kind: 'user', id: 'ghost', user: fed('ghost@example.com'), addGroups: ['Sales'] },
      // m7 has a second command, so both of its commands go user by user
      { kind: 'user', id: 'pp', user: fed('m7@example.com'), addGroups: ['Photoshop - Default'] },
    ]
    const { target } = targetFor(fake)
    const results = await target.apply(commands, { testOnly: false })
    const posts = requestsTo(fake, 'action')
    expect(posts).toHaveLength(1)
    expect(
      (posts[0]!.body as Array<Record<string, unknown>>).map((e) => [
        e.user ?? e.usergroup,
        (e.do as unknown[]).length,
      ]),
    ).toEqual([
      ['m7@example.com', 1],
      ['m7@example.com', 1],
      ['Design', 2],
      ['Sales', 2],
    ])
    expect(requestsTo(fake, 'groups')).toHaveLength(1)
    // UMAPI refuses the whole `add {user: [n0, n1, ghost]}` step, so all three commands it carried fail.
    const notFound = {
      code: 'error.user.not_found',
      message: 'User ghost@example.com was not found in the organization',
      step: 'add',
    }
    expect(results.filter((r) => r.status === 'failed')).toEqual(
      ['n0', 'n1', 'ghost'].map((commandId) => ({ commandId, status: 'failed', errors: [notFound] })),
    )
    for (let i = 5; i < 25; i++) expect(groupsOf(fake, `m${i}@example.com`)).toContain('Design')
    for (let i = 0; i < 5; i++) expect(groupsOf(fake, `m${i}@example.com`)).toEqual([])
    expect(groupsOf(fake, 'n0@example.com')).toEqual([])
    expect(groupsOf(fake, 'm7@example.com')).toEqual(['Design', 'Photoshop - Default'])
  })

  it('in test mode sends ?testOnly=true, changes nothing and still reports refusals', async () => {
    fake = await seededFake()
    const commands: PlannedCommand[] = [
      {
        kind: 'user',
        id: 'u1',
        user: fed('new@example.com'),
        create: { firstname: 'N', lastname: 'U', country: 'US', onConflict: 'ignore' },
        addGroups: ['Design'],
      },
      { kind: 'user', id: 'u2', user: fed('bob@example.com'), addGroups: ['Nope'] },
      { kind: 'user', id: 'u3', user: fed('bob@example.com'), removeFromOrg: { deleteAccount: false } },
    ]
    const { target } = targetFor(fake)
    const results = await target.apply(commands, { testOnly: true })
    expect(results.map((r) => [r.commandId, r.status, r.errors?.[0]?.code])).toEqual([
      ['u1', 'done', undefined],
      ['u2', 'failed', 'error.group.not_found'],
      ['u3', 'done', undefined],
    ])
    expect(requestsTo(fake, 'action').map((r) => r.query.testOnly)).toEqual(['true'])
    expect(fake.org.findUser('new@example.com')).toBeUndefined()
    expect(fake.org.findUser('bob@example.com')?.email).toBe('bob@example.com')
  })

  it('splits large plans into requests of 10 entries with sync signals on the first and last', async () => {
    fake = await seededFake()
    const commands: PlannedCommand[] = Array.from({ length: 25 }, (_, i) => ({
      kind: 'user',
      id: `c${i}`,
      user: fed(`n${i}@example.com`),
      create: { firstname: 'A', lastname: 'B', country: 'US', onConflict: 'ignore' },
      addGroups: Array.from({ length: i === 3 ? 101 : 1 }, () => 'Design'),
    }))
    const { target } = targetFor(fake)
    const results = await target.apply(commands, { testOnly: false })
    expect(results).toEqual(commands.map((c) => ({ commandId: c.id, status: 'done' })))
    const posts = requestsTo(fake, 'action')
    expect(posts.map((r) => [(r.body as unknown[]).length, r.headers.pragma])).toEqual([
      [10, 'umapi-sync-start'],
      [10, undefined],
      [5, 'umapi-sync-end'],
    ])
    const ids = posts.flatMap((p) => (p.body as Array<{ requestID: string }>).map((e) => e.requestID))
    expect(ids).toEqual(Array.from({ length: 25 }, (_, i) => `action_${i + 1}`))
    // requestIDs continue across apply calls of the same target
    await target.apply([{ kind: 'user', id: 'again', user: fed('n0@example.com'), removeGroups: ['Design'] }], {
      testOnly: false,
    })
    expect((requestsTo(fake, 'action')[3]!.body as Array<{ requestID: string }>)[0]!.requestID).toBe('action_26')
  })
})

describe('untrusted action replies', () => {
  it('counts every command of a reply {"result":"error"} without an errors list as failed, never done', async () => {
    fake = await seededFake()
    fake.faults.reply({ status: 200, body: { result: 'error' } }, { endpoint: 'action' })
    const { target, lines } = targetFor(fake)
    const results = await target.apply(
      [
        { kind: 'user', id: 'a', user: fed('bob@example.com'), addGroups: ['Design'] },
        { kind: 'user', id: 'b', user: fed('bob@example.com'), removeGroups: ['Sales'] },
      ],
      { testOnly: false },
    )
    expect(results.map((r) => [r.commandId, r.status, r.errors?.[0]?.code])).toEqual([
      ['a', 'failed', 'error'],
      ['b', 'failed', 'error'],
    ])
    expect(lines.join('\n')).toMatch(/without errors; every entry counted as failed/)
  })
})
