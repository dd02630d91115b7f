import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeUmapi, type FakeUmapi } from '../src/umapi/index.js'
import { call, fetchToken, type CallResult } from './umapi-client.js'

let fake: FakeUmapi
let token: string

beforeEach(async () => {
  fake = await startFakeUmapi({ claimedDomains: ['example.com'] })
  token = await fetchToken(fake)
  fake.org.addProductProfile('Photoshop - Default', { productName: 'Photoshop' })
  fake.org.addProductProfile('Illustrator - Default', { productName: 'Illustrator' })
  fake.org.addUserGroup('Design Team')
  fake.org.addAdminGroup('_org_admin')
})
afterEach(async () => {
  await fake.close()
})

const act = (body: unknown, query = ''): Promise<CallResult> =>
  call(fake, token, `/action/${fake.orgId}${query}`, { json: body })
const groupsOf = (email: string): string[] => fake.org.groupsOf(fake.org.findUser(email)!)
const federated = { email: 'ann@example.com', country: 'US', firstname: 'Ann', lastname: 'Lee' }

describe('request-level validation', () => {
  it.each([
    ['not an array', { user: 'a@example.com' }, 'JSON array'],
    ['an empty array', [], 'empty array'],
    [
      '11 entries',
      Array.from({ length: 11 }, (_, i) => ({ user: `u${i}@example.com`, do: [{ removeFromOrg: {} }] })),
      'at most 10',
    ],
  ])('answers 400 error.command.malformed for %s', async (_, body, message) => {
    const res = await act(body)
    expect(res.status).toBe(400)
    expect(res.body.result).toBe('error.command.malformed')
    expect(res.body.message).toContain(message)
  })

  it('answers 400 for a body that is not JSON or not sent as application/json', async () => {
    const bad = await fetch(`${fake.umapiUrl}/action/${fake.orgId}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'X-Api-Key': fake.clientId, 'Content-Type': 'application/json' },
      body: '[{"user":',
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toContain('not valid JSON')
    const text = await call(fake, token, `/action/${fake.orgId}`, {
      json: [],
      headers: { 'Content-Type': 'text/plain' },
    })
    expect(text.body.message).toContain('Content-Type')
  })
})

describe('user creation', () => {
  it('creates a federated ID with groups and reports success without empty arrays', async () => {
    const res = await act([
      {
        user: 'ann@example.com',
        requestID: 'action_1',
        do: [{ createFederatedID: federated }, { add: { group: ['design team', 'Photoshop - Default'] } }],
      },
    ])
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ result: 'success', completed: 1, notCompleted: 0, completedInTestMode: 0 })
    expect(fake.org.findUser('ann@example.com')).toMatchObject({
      type: 'federatedID',
      country: 'US',
      firstname: 'Ann',
      username: 'ann@example.com',
    })
    expect(groupsOf('ann@example.com')).toEqual(['Photoshop - Default', 'Design Team'])
  })

  it('creates an Enterprise ID, an Adobe ID outside claimed domains, and a non-email federated username', async () => {
    const res = await act([
      {
        user: 'eve@example.com',
        do: [{ createEnterpriseID: { email: 'eve@example.com', firstname: 'Eve', lastname: 'E' } }],
      },
      { user: 'pat@gmail.test', do: [{ addAdobeID: { email: 'pat@gmail.test' } }] },
      {
        user: 'jdoe',
        domain: 'example.com',
        do: [{ createFederatedID: { ...federated, email: 'john.doe@example.com' } }],
      },
    ])
    expect(res.body.completed).toBe(3)
    expect(fake.org.findUser('pat@gmail.test', { domain: 'AdobeID' })?.type).toBe('adobeID')
    expect(fake.org.findUser('jdoe', { domain: 'example.com' })).toMatchObject({
      email: 'john.doe@example.com',
      username: 'jdoe',
    })
  })

  it('applies the create options and rejects a duplicate create without option', async () => {
    fake.org.addUser({ ...federated, groups: ['Design Team'] })
    const res = await act([
      { user: 'ann@example.com', requestID: 'a1', do: [{ createFederatedID: federated }] },
      {
        user: 'ann@example.com',
        do: [
          { createFederatedID: { ...federated, firstname: 'X', option: 'ignoreIfAlreadyExists' } },
          { add: { group: ['Photoshop - Default'] } },
        ],
      },
      {
        user: 'ann@example.com',
        do: [{ createFederatedID: { ...federated, firstname: 'Annie', option: 'updateIfAlreadyExists' } }],
      },
    ])
    expect(res.body).toMatchObject({ result: 'partial', completed: 2, notCompleted: 1 })
    expect(res.body.errors).toEqual([
      {
        index: 0,
        step: 0,
        requestID: 'a1',
        user: 'ann@example.com',
        errorCode: 'error.user.already_in_org',
        message: expect.any(String),
      },
    ])
    expect(fake.org.findUser('ann@example.com')?.firstname).toBe('Annie')
    expect(groupsOf('ann@example.com')).toEqual(['Photoshop - Default', 'Design Team'])
  })

  it.each([
    [
      'an unclaimed domain',
      { user: 'x@other.test', do: [{ createFederatedID: { ...federated, email: 'x@other.test' } }] },
      'error.domain.trust.nonexistent',
    ],
    [
      'a missing country (federated)',
      { user: 'ann@example.com', do: [{ createFederatedID: { ...federated, country: undefined } }] },
      'error.country.invalid',
    ],
    [
      'a lower-case country',
      { user: 'ann@example.com', do: [{ createFederatedID: { ...federated, country: 'us' } }] },
      'error.country.invalid',
    ],
    [
      'a 3-letter country',
      { user: 'ann@example.com', do: [{ createFederatedID: { ...federated, country: 'USA' } }] },
      'error.command.string.too_long',
    ],
    [
      'a missing firstname',
      { user: 'ann@example.com', do: [{ createEnterpriseID: { email: 'ann@example.com', lastname: 'L' } }] },
      'error.user.firstname_missing',
    ],
    [
      'a missing lastname',
      { user: 'ann@example.com', do: [{ createEnterpriseID: { email: 'ann@example.com', firstname: 'A' } }] },
      'error.user.lastname_missing',
    ],
    [
      'an email over 60 chars',
      { user: `${'a'.repeat(55)}@example.com`, do: [{ addAdobeID: { email: `${'a'.repeat(55)}@example.com` } }] },
      'error.user.email.invalid',
    ],
    [
      'an invalid email',
      { user: 'ann@example.com', do: [{ addAdobeID: { email: 'ann' } }] },
      'error.user.email.invalid',
    ],
    [
      'an email not matching user',
      { user: 'ann@example.com', do: [{ createEnterpriseID: { ...federated, email: 'bob@example.com' } }] },
      'error.user.must_match_email',
    ],
    [
      'an unknown key',
      { user: 'ann@example.com', do: [{ createFederatedID: { ...federated, tags: 'x' } }] },
      'error.command.create.key.unknown',
    ],
    [
      'a bad option',
      { user: 'ann@example.com', do: [{ createFederatedID: { ...federated, option: 'overwrite' } }] },
      'error.option.illegal',
    ],
    [
      'a create that is not first',
      { user: 'ann@example.com', do: [{ add: { group: ['Design Team'] } }, { createFederatedID: federated }] },
      'error.command.create.not_first',
    ],
    [
      'two creates',
      { user: 'ann@example.com', do: [{ createFederatedID: federated }, { createFederatedID: federated }] },
      'error.command.create.more_than_one',
    ],
  ])('rejects %s', async (_, entry, code) => {
    const res = await act([entry])
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ result: 'error', completed: 0, notCompleted: 1 })
    expect(res.body.errors[0].errorCode).toBe(code)
    expect(Number.isInteger(res.body.errors[0].step)).toBe(true)
    expect(fake.org.users()).toHaveLength(0)
  })
})

describe('entry shape', () => {
  it.each([
    ['no user or usergroup', { do: [{ removeFromOrg: {} }] }, 'error.command.user_usergroup.missing'],
    [
      'a domain beside an email user',
      { user: 'a@example.com', domain: 'example.com', do: [{ removeFromOrg: {} }] },
      'error.command.domain.must_be_used_with_nonemail_username',
    ],
    ['a non-email user without domain', { user: 'jdoe', do: [{ removeFromOrg: {} }] }, 'error.command.domain.missing'],
    ['do not an array', { user: 'a@example.com', do: { removeFromOrg: {} } }, 'error.command.steps.malformed'],
    [
      'a step with two keys',
      { user: 'a@example.com', do: [{ add: { group: ['Design Team'] }, remove: 'all' }] },
      'error.command.steps.malformed',
    ],
    ['an unknown step', { user: 'a@example.com', do: [{ resetPassword: {} }] }, 'error.command.step.unknown'],
    [
      'removeFromOrg not last',
      { user: 'a@example.com', do: [{ removeFromOrg: {} }, { remove: 'all' }] },
      'error.command.removefromorg.not_last',
    ],
    [
      'a non-boolean deleteAccount',
      { user: 'a@example.com', do: [{ removeFromOrg: { deleteAccount: 'yes' } }] },
      'error.command.boolean_expected',
    ],
    [
      'a user over 250 chars',
      { user: `${'a'.repeat(251)}@x.com`, do: [{ removeFromOrg: {} }] },
      'error.command.string.too_long',
    ],
  ])('rejects %s', async (_, entry, code) => {
    const res = await act([entry])
    expect(res.body.errors[0].errorCode).toBe(code)
  })
})

describe('update', () => {
  beforeEach(() => {
    fake.org.addUser({ ...federated })
    fake.org.addUser({ email: 'pat@gmail.test', type: 'adobeID' })
  })

  it('changes only the listed fields; a new email also changes an email-style username', async () => {
    const res = await act([
      { user: 'ann@example.com', do: [{ update: { email: 'ann.lee@example.com', lastname: 'Lee-Smith' } }] },
    ])
    expect(res.body.result).toBe('success')
    expect(fake.org.findUser('ann.lee@example.com')).toMatchObject({
      username: 'ann.lee@example.com',
      firstname: 'Ann',
      lastname: 'Lee-Smith',
      country: 'US',
    })
  })

  it.each([
    [
      'an Adobe ID',
      { user: 'pat@gmail.test', useAdobeID: true, do: [{ update: { firstname: 'P' } }] },
      'error.update.adobeid.no',
    ],
    [
      'a country change',
      { user: 'ann@example.com', do: [{ update: { country: 'DE' } }] },
      'error.update.country.no_update',
    ],
    [
      'an option',
      { user: 'ann@example.com', do: [{ update: { firstname: 'A', option: 'updateIfAlreadyExists' } }] },
      'error.command.update.option.no',
    ],
    ['a missing user', { user: 'zed@example.com', do: [{ update: { firstname: 'Z' } }] }, 'error.user.nonexistent'],
    [
      'an email in an unclaimed domain',
      { user: 'ann@example.com', do: [{ update: { email: 'ann@other.test' } }] },
      'error.domain.trust.nonexistent',
    ],
  ])('rejects %s', async (_, entry, code) => {
    const res = await act([entry])
    expect(res.body.errors[0].errorCode).toBe(code)
  })
})

describe('add / remove for users', () => {
  beforeEach(() => {
    fake.org.addUser({ ...federated, groups: ['Design Team', 'Photoshop - Default', '_org_admin'] })
  })

  it('adds/removes groups and productConfiguration case-insensitively, creating admin groups on demand', async () => {
    const res = await act([
      {
        user: 'ANN@example.com',
        do: [
          { add: { productConfiguration: ['illustrator - default'], group: ['_admin_Design Team'] } },
          { remove: { group: ['photoshop - default'] } },
        ],
      },
    ])
    expect(res.body.result).toBe('success')
    expect(groupsOf('ann@example.com')).toEqual([
      'Illustrator - Default',
      'Design Team',
      '_org_admin',
      '_admin_Design Team',
    ])
    expect(fake.org.findGroup('_admin_design team')?.type).toBe('USER_ADMIN_GROUP')
  })

  it('remove "all" keeps _org_admin', async () => {
    await act([{ user: 'ann@example.com', do: [{ remove: 'all' }] }])
    expect(groupsOf('ann@example.com')).toEqual(['_org_admin'])
  })

  it('warns on the deprecated product key', async () => {
    const res = await act([
      { user: 'ann@example.com', requestID: 'r9', do: [{ add: { product: ['Illustrator - Default'] } }] },
    ])
    expect(res.body.result).toBe('success')
    expect(res.body.warnings).toEqual([
      {
        index: 0,
        step: 0,
        requestID: 'r9',
        user: 'ann@example.com',
        warningCode: 'warning.command.deprecated',
        message: "'product' command is deprecated. Please use productConfiguration.",
      },
    ])
  })

  it('stops an entry at the failing step, keeping earlier steps, and changes nothing of the failing step', async () => {
    const res = await act([
      { user: 'ann@example.com', requestID: 'ok', do: [{ remove: { group: ['Design Team'] } }] },
      {
        user: 'ann@example.com',
        requestID: 'bad',
        do: [
          { add: { group: ['Illustrator - Default'] } },
          { add: { group: ['Photoshop - Default', 'Nope'] } },
          { remove: 'all' },
        ],
      },
    ])
    expect(res.body).toMatchObject({ result: 'partial', completed: 1, notCompleted: 1 })
    expect(res.body.errors).toEqual([
      {
        index: 1,
        step: 1,
        requestID: 'bad',
        user: 'ann@example.com',
        errorCode: 'error.group.not_found',
        message: 'Group Nope was not found',
      },
    ])
    expect(groupsOf('ann@example.com')).toEqual(['Photoshop - Default', 'Illustrator - Default', '_org_admin'])
  })

  it.each([
    [
      '11 names',
      { add: { group: Array.from({ length: 11 }, (_, i) => `G${i}`) } },
      'error.command.add_remove.list_too_long',
    ],
    ['a non-array list', { add: { group: 'Design Team' } }, 'error.command.add_remove.list_not_array'],
    ['an empty object', { add: {} }, 'error.command.add_remove.missing_list'],
    ['an unknown list key', { add: { role: ['x'] } }, 'error.command.add_remove.key.unknown'],
    [
      'a duplicate name',
      { add: { group: ['Design Team', 'design team'] } },
      'error.command.add_remove.duplicate.group_list',
    ],
    ['add "all"', { add: 'all' }, 'error.command.add_remove.list'],
    ['_org_admin', { add: { group: ['_org_admin'] } }, 'error.group.invalid_name'],
    [
      'a user group as productConfiguration',
      { add: { productConfiguration: ['Design Team'] } },
      'error.group.not_found',
    ],
    ['a missing user', null, 'error.user.nonexistent'],
  ])('rejects %s', async (_, step, code) => {
    const entry =
      step === null
        ? { user: 'zed@example.com', do: [{ add: { group: ['Design Team'] } }] }
        : { user: 'ann@example.com', do: [step] }
    const res = await act([entry])
    expect(res.body.errors[0].errorCode).toBe(code)
  })
})

describe('removeFromOrg', () => {
  it('removes the user and its memberships, and succeeds for a user that does not exist', async () => {
    fake.org.addUser({ ...federated, groups: ['Design Team'] })
    const res = await act([
      { user: 'ann@example.com', do: [{ removeFromOrg: { deleteAccount: true } }] },
      { user: 'ghost@example.com', do: [{ removeFromOrg: {} }] },
    ])
    expect(res.body).toEqual({ result: 'success', completed: 2, notCompleted: 0, completedInTestMode: 0 })
    expect(fake.org.findUser('ann@example.com')).toBeUndefined()
    expect(fake.org.membersOf(fake.org.findGroup('Design Team')!)).toEqual([])
  })
})

describe('user groups', () => {
  beforeEach(() => {
    fake.org.addUser({ ...federated })
    fake.org.addUser({ ...federated, email: 'bob@example.com' })
    fake.org.addUserGroup('Partners', { readOnly: true })
  })

  it('creates a group (name omitted or given), adds users and profiles, removes a user', async () => {
    const res = await act([
      {
        usergroup: 'Writers',
        requestID: 'g1',
        do: [
          { createUserGroup: { description: 'By sync' } },
          { add: { user: ['ann@example.com', 'bob@example.com'], productConfiguration: ['Photoshop - Default'] } },
          { remove: { user: ['bob@example.com'] } },
        ],
      },
      { usergroup: 'Editors', do: [{ createUserGroup: { name: 'Editors', option: 'ignoreIfAlreadyExists' } }] },
    ])
    expect(res.body.result).toBe('success')
    const writers = fake.org.findGroup('writers')!
    expect(writers).toMatchObject({ groupName: 'Writers', type: 'USER_GROUP', description: 'By sync' })
    expect(fake.org.membersOf(writers).map((u) => u.email)).toEqual(['ann@example.com'])
    expect(fake.org.groupsOf(fake.org.findUser('ann@example.com')!, { directOnly: false })).toEqual([
      'Photoshop - Default',
      'Writers',
    ])
    expect(fake.org.findGroup('Editors')?.groupName).toBe('Editors')
  })

  it('applies create options, renames and deletes a group together with its admin group', async () => {
    fake.org.addAdminGroup('_admin_Design Team')
    const res = await act([
      { usergroup: 'Design Team', do: [{ createUserGroup: {} }] },
      {
        usergroup: 'Design Team',
        do: [
          { createUserGroup: { description: 'New', option: 'updateIfAlreadyExists' } },
          { updateUserGroup: { name: 'Creative Team' } },
        ],
      },
    ])
    expect(res.body.errors.map((e: { errorCode: string }) => e.errorCode)).toEqual(['error.usergroup.already_exists'])
    expect(fake.org.findGroup('Creative Team')?.description).toBe('New')
    expect(fake.org.findGroup('_admin_Creative Team')?.baseName).toBe('Creative Team')
    const del = await act([{ usergroup: 'creative team', do: [{ deleteUserGroup: {} }] }])
    expect(del.body.result).toBe('success')
    expect(fake.org.groups().map((g) => g.groupName)).not.toContain('_admin_Creative Team')
    expect(fake.org.findGroup('Creative Team')).toBeUndefined()
  })

  it.each([
    [
      'an unknown group',
      { usergroup: 'Nope', do: [{ add: { user: ['ann@example.com'] } }] },
      'error.usergroup.not_found',
    ],
    [
      'an unknown user',
      { usergroup: 'Design Team', do: [{ add: { user: ['zed@example.com'] } }] },
      'error.user.not_found',
    ],
    [
      'an unknown profile',
      { usergroup: 'Design Team', do: [{ add: { productConfiguration: ['Nope'] } }] },
      'error.group.not_found',
    ],
    ['a name starting with _', { usergroup: '_secret', do: [{ createUserGroup: {} }] }, 'error.group.invalid_name'],
    [
      'adding users to a read-only group',
      { usergroup: 'Partners', do: [{ add: { user: ['ann@example.com'] } }] },
      'error.usergroup.readonly.add_user_not_allowed',
    ],
    [
      'removing users from a read-only group',
      { usergroup: 'Partners', do: [{ remove: { user: ['ann@example.com'] } }] },
      'error.usergroup.readonly.remove_user_not_allowed',
    ],
    [
      'renaming a read-only group',
      { usergroup: 'Partners', do: [{ updateUserGroup: { name: 'P2' } }] },
      'error.usergroup.readonly.update_not_allowed',
    ],
    [
      'deleting a read-only group',
      { usergroup: 'Partners', do: [{ deleteUserGroup: {} }] },
      'error.usergroup.readonly.remove_not_allowed',
    ],
    [
      'deleteUserGroup with arguments',
      { usergroup: 'Design Team', do: [{ deleteUserGroup: { force: true } }] },
      'error.command.object_not_empty',
    ],
    [
      'an empty updateUserGroup',
      { usergroup: 'Design Team', do: [{ updateUserGroup: {} }] },
      'error.usergroup.command.missing.arguments',
    ],
    [
      'a user step on a usergroup',
      { usergroup: 'Design Team', do: [{ removeFromOrg: {} }] },
      'error.command.step.unknown',
    ],
  ])('rejects %s', async (_, entry, code) => {
    const res = await act([entry])
    expect(res.body.errors[0].errorCode).toBe(code)
  })

  it('still lets profiles be added to a read-only group', async () => {
    const res = await act([{ usergroup: 'Partners', do: [{ add: { productConfiguration: ['Photoshop - Default'] } }] }])
    expect(res.body.result).toBe('success')
  })
})

describe('testOnly', () => {
  it('validates, changes nothing, counts completedInTestMode, and lets steps on nonexistent users pass', async () => {
    fake.org.addUser({ ...federated, groups: ['Design Team'] })
    const before = JSON.stringify([fake.org.users(), fake.org.groups().map((g) => [g.groupName, [...g.members]])])
    const res = await act(
      [
        {
          user: 'new@example.com',
          do: [{ createFederatedID: { ...federated, email: 'new@example.com' } }, { add: { group: ['Design Team'] } }],
        },
        { user: 'new@example.com', do: [{ createFederatedID: { ...federated, email: 'new@example.com' } }] },
        { user: 'ann@example.com', do: [{ remove: 'all' }, { removeFromOrg: {} }] },
        { usergroup: 'Fresh', do: [{ createUserGroup: {} }] },
        { usergroup: 'Fresh', do: [{ add: { user: ['ann@example.com'] } }] },
        { user: 'ghost@example.com', do: [{ add: { group: ['No Such Group'] } }] },
      ],
      '?testOnly=True',
    )
    expect(res.body).toMatchObject({ result: 'partial', completed: 0, notCompleted: 1, completedInTestMode: 5 })
    expect(res.body.errors).toEqual([expect.objectContaining({ index: 5, errorCode: 'error.group.not_found' })])
    expect(JSON.stringify([fake.org.users(), fake.org.groups().map((g) => [g.groupName, [...g.members]])])).toBe(before)
  })

  it('rejects a malformed testOnly value', async () => {
    expect((await act([{ user: 'a@example.com', do: [{ removeFromOrg: {} }] }], '?testOnly=yes')).status).toBe(400)
  })
})
