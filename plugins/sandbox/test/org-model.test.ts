import { describe, expect, it } from 'vitest'
import { applyCommands, snapshotOf, type SandboxOrg } from '../src/org-model.js'
import { fed, sampleOrg, userCommand } from './fixtures.js'

const live = { testOnly: false }
const userIn = (org: SandboxOrg, email: string) =>
  org.users.find((user) => user.email.toLowerCase() === email.toLowerCase())

describe('create', () => {
  it('adds a new user with no groups', () => {
    const command = userCommand(fed('dee@corp.example'), {
      create: { firstname: 'Dee', lastname: 'Fox', country: 'GB', onConflict: 'ignore' },
    })
    const { org, results } = applyCommands(sampleOrg(), [command], live)
    expect(results).toEqual([{ commandId: command.id, status: 'done' }])
    expect(userIn(org, 'dee@corp.example')).toEqual({
      identityType: 'federatedID',
      email: 'dee@corp.example',
      username: 'dee@corp.example',
      domain: 'corp.example',
      firstname: 'Dee',
      lastname: 'Fox',
      country: 'GB',
      groups: [],
    })
  })

  it('ignores an existing user (matched ignoring case) with onConflict ignore, and runs the next steps', () => {
    const command = userCommand(fed('ANN@corp.example'), {
      create: { firstname: 'Annie', lastname: 'Lee', country: 'US', onConflict: 'ignore' },
      addGroups: ['photoshop - default'],
    })
    const { org, results } = applyCommands(sampleOrg(), [command], live)
    expect(results[0]!.status).toBe('done')
    expect(org.users.filter((user) => user.email.toLowerCase() === 'ann@corp.example')).toHaveLength(1)
    expect(userIn(org, 'ann@corp.example')?.firstname).toBe('Ann')
  })

  it('updates only the names of an existing user with onConflict update', () => {
    const command = userCommand(fed('ann@corp.example'), {
      create: { firstname: 'Annie', lastname: 'Lee-Smith', country: 'DE', onConflict: 'update' },
    })
    const { org } = applyCommands(sampleOrg(), [command], live)
    expect(userIn(org, 'ann@corp.example')).toMatchObject({ firstname: 'Annie', lastname: 'Lee-Smith', country: 'US' })
  })

  it('creates a federated ID even when an Adobe ID has the same email', () => {
    const command = userCommand(fed('pat@gmail.example'), {
      create: { firstname: 'Pat', lastname: 'Q', country: 'US', onConflict: 'ignore' },
    })
    const { org } = applyCommands(sampleOrg(), [command], live)
    expect(
      org.users
        .filter((user) => user.email === 'pat@gmail.example')
        .map((user) => user.identityType)
        .sort(),
    ).toEqual(['adobeID', 'federatedID'])
  })

  it('refuses a federated ID without names, a bad email or a bad country', () => {
    const noNames = userCommand(fed('x@corp.example'), {
      create: { country: 'US', onConflict: 'ignore' },
      addGroups: ['Design Team'],
    })
    const badEmail = userCommand(fed('not-an-email'), {
      create: { firstname: 'A', lastname: 'B', onConflict: 'ignore' },
    })
    const badCountry = userCommand(fed('y@corp.example'), {
      create: { firstname: 'A', lastname: 'B', country: 'usa', onConflict: 'ignore' },
    })
    const { org, results } = applyCommands(sampleOrg(), [noNames, badEmail, badCountry], live)
    expect(results.map((result) => result.errors?.map((error) => error.code))).toEqual([
      ['error.user.firstname_missing', 'error.user.lastname_missing'],
      ['error.user.email.invalid'],
      ['error.country.invalid'],
    ])
    expect(org.users).toHaveLength(5)
  })

  it('creates an Adobe ID without names', () => {
    const ref = {
      identityType: 'adobeID' as const,
      email: 'kim@mail.example',
      username: 'kim@mail.example',
      domain: 'mail.example',
    }
    const { org, results } = applyCommands(sampleOrg(), [userCommand(ref, { create: { onConflict: 'ignore' } })], live)
    expect(results[0]!.status).toBe('done')
    expect(userIn(org, 'kim@mail.example')?.identityType).toBe('adobeID')
  })
})

describe('update', () => {
  it('changes names', () => {
    const { org } = applyCommands(
      sampleOrg(),
      [userCommand(fed('bob@corp.example'), { update: { firstname: 'Robert' } })],
      live,
    )
    expect(userIn(org, 'bob@corp.example')).toMatchObject({ firstname: 'Robert', lastname: 'Ray' })
  })

  it('changes the username with the email when the username was the email', () => {
    const { org } = applyCommands(
      sampleOrg(),
      [userCommand(fed('bob@corp.example'), { update: { email: 'robert@new.example' } })],
      live,
    )
    expect(userIn(org, 'robert@new.example')).toMatchObject({ username: 'robert@new.example', domain: 'new.example' })
    expect(userIn(org, 'bob@corp.example')).toBeUndefined()
  })

  it('keeps a non-email username when the email changes (user addressed by username and domain)', () => {
    const ref = {
      identityType: 'federatedID' as const,
      email: 'cy.dee@corp.example',
      username: 'CDEE',
      domain: 'CORP.example',
    }
    const { org, results } = applyCommands(
      sampleOrg(),
      [userCommand(ref, { update: { email: 'cy@corp.example' } })],
      live,
    )
    expect(results[0]!.status).toBe('done')
    expect(userIn(org, 'cy@corp.example')).toMatchObject({ username: 'cdee', domain: 'corp.example' })
  })

  it('refuses to update an Adobe ID', () => {
    const ref = {
      identityType: 'adobeID' as const,
      email: 'pat@gmail.example',
      username: 'pat@gmail.example',
      domain: 'gmail.example',
    }
    const { org, results } = applyCommands(sampleOrg(), [userCommand(ref, { update: { firstname: 'Patricia' } })], live)
    expect(results[0]).toMatchObject({ status: 'failed', errors: [{ code: 'error.update.adobeid.no' }] })
    expect(userIn(org, 'pat@gmail.example')?.firstname).toBe('Pat')
  })

  it('refuses an email another user already has', () => {
    const { results } = applyCommands(
      sampleOrg(),
      [userCommand(fed('bob@corp.example'), { update: { email: 'ANN@corp.example' } })],
      live,
    )
    expect(results[0]!.errors?.[0]?.code).toBe('error.user.email.name_in_use')
  })

  it('fails for a user not in the org', () => {
    const { results } = applyCommands(
      sampleOrg(),
      [userCommand(fed('ghost@corp.example'), { update: { firstname: 'G' } })],
      live,
    )
    expect(results[0]).toMatchObject({
      status: 'failed',
      errors: [{ code: 'error.user.nonexistent', message: expect.stringContaining('ghost@corp.example') }],
    })
  })

  it('does not find a non-email username in another domain', () => {
    const ref = {
      identityType: 'federatedID' as const,
      email: 'cy.dee@corp.example',
      username: 'cdee',
      domain: 'old.example',
    }
    const { results } = applyCommands(sampleOrg(), [userCommand(ref, { update: { firstname: 'C' } })], live)
    expect(results[0]!.errors?.[0]).toMatchObject({
      code: 'error.user.nonexistent',
      message: expect.stringContaining('cdee (old.example)'),
    })
  })
})

describe('group membership', () => {
  it('adds groups in the org spelling, without duplicates', () => {
    const command = userCommand(fed('bob@corp.example'), {
      addGroups: ['design team', 'Photoshop - Default', 'DESIGN TEAM'],
    })
    const { org } = applyCommands(sampleOrg(), [command], live)
    expect(userIn(org, 'bob@corp.example')?.groups).toEqual(['Design Team', 'Photoshop - Default'])
  })

  it('fails on an unknown group, adding none of the list but keeping the earlier steps', () => {
    const command = userCommand(fed('ann@corp.example'), {
      removeGroups: ['Photoshop - Default'],
      addGroups: ['Design Team', 'Nope'],
    })
    const { org, results } = applyCommands(sampleOrg(), [command], live)
    expect(results[0]).toEqual({
      commandId: command.id,
      status: 'failed',
      errors: [{ code: 'error.group.not_found', message: 'Group Nope was not found' }],
    })
    expect(userIn(org, 'ann@corp.example')?.groups).toEqual(['Design Team'])
  })

  it('stops at the failing step: a created user stays, later steps do not run', () => {
    const command = userCommand(fed('eve@corp.example'), {
      create: { firstname: 'Eve', lastname: 'Ng', country: 'US', onConflict: 'ignore' },
      addGroups: ['Missing Group'],
      removeFromOrg: { deleteAccount: false },
    })
    const { org, results } = applyCommands(sampleOrg(), [command], live)
    expect(results[0]!.status).toBe('failed')
    expect(userIn(org, 'eve@corp.example')).toMatchObject({ groups: [] })
  })

  it('removes named groups, ignoring case', () => {
    const { org } = applyCommands(
      sampleOrg(),
      [userCommand(fed('ann@corp.example'), { removeGroups: ['design team'] })],
      live,
    )
    expect(userIn(org, 'ann@corp.example')?.groups).toEqual(['Photoshop - Default'])
  })

  it('removes all groups but keeps _org_admin', () => {
    const ref = {
      identityType: 'enterpriseID' as const,
      email: 'root@corp.example',
      username: 'root@corp.example',
      domain: 'corp.example',
    }
    const { org } = applyCommands(sampleOrg(), [userCommand(ref, { removeGroups: 'all' })], live)
    expect(userIn(org, 'root@corp.example')?.groups).toEqual(['_org_admin'])
  })

  it('fails to remove a group the org does not have', () => {
    const { results } = applyCommands(
      sampleOrg(),
      [userCommand(fed('ann@corp.example'), { removeGroups: ['Gone'] })],
      live,
    )
    expect(results[0]!.errors?.[0]?.code).toBe('error.group.not_found')
  })
})

describe('removeFromOrg', () => {
  it('removes the user', () => {
    const { org, results } = applyCommands(
      sampleOrg(),
      [userCommand(fed('bob@corp.example'), { removeFromOrg: { deleteAccount: true } })],
      live,
    )
    expect(results[0]!.status).toBe('done')
    expect(userIn(org, 'bob@corp.example')).toBeUndefined()
    expect(org.users).toHaveLength(4)
  })

  it('always succeeds, even for a user not in the org', () => {
    const { org, results } = applyCommands(
      sampleOrg(),
      [userCommand(fed('ghost@corp.example'), { removeFromOrg: { deleteAccount: false } })],
      live,
    )
    expect(results[0]!.status).toBe('done')
    expect(org).toEqual(sampleOrg())
  })

  it('removes only the Adobe ID when the reference is an Adobe ID', () => {
    const ref = {
      identityType: 'adobeID' as const,
      email: 'pat@gmail.example',
      username: 'pat@gmail.example',
      domain: 'gmail.example',
    }
    const { org } = applyCommands(sampleOrg(), [userCommand(ref, { removeFromOrg: { deleteAccount: false } })], live)
    expect(userIn(org, 'pat@gmail.example')).toBeUndefined()
  })
})

describe('createGroup', () => {
  it('creates a user group', () => {
    const { org, results } = applyCommands(
      sampleOrg(),
      [{ kind: 'createGroup', id: 'g1', name: 'Marketing', description: 'Created by ust' }],
      live,
    )
    expect(results).toEqual([{ commandId: 'g1', status: 'done' }])
    expect(org.groups).toContainEqual({ name: 'Marketing', type: 'userGroup', description: 'Created by ust' })
  })

  it('leaves an existing group alone (any letter case)', () => {
    const { org, results } = applyCommands(
      sampleOrg(),
      [{ kind: 'createGroup', id: 'g1', name: 'design TEAM', description: 'x' }],
      live,
    )
    expect(results[0]!.status).toBe('done')
    expect(org.groups).toEqual(sampleOrg().groups)
  })

  it('refuses a name starting with _', () => {
    const { results } = applyCommands(
      sampleOrg(),
      [{ kind: 'createGroup', id: 'g1', name: '_admin_X', description: '' }],
      live,
    )
    expect(results[0]!.errors?.[0]?.code).toBe('error.group.invalid_name')
  })

  it('lets later commands use the group it created', () => {
    const commands = [
      { kind: 'createGroup' as const, id: 'g1', name: 'Marketing', description: '' },
      userCommand(fed('bob@corp.example'), { addGroups: ['marketing'] }),
    ]
    const { org, results } = applyCommands(sampleOrg(), commands, live)
    expect(results.map((result) => result.status)).toEqual(['done', 'done'])
    expect(userIn(org, 'bob@corp.example')?.groups).toEqual(['Marketing'])
  })
})

describe('purity and test mode', () => {
  const commands = () => [
    { kind: 'createGroup' as const, id: 'g1', name: 'Marketing', description: '' },
    userCommand(fed('new@corp.example'), {
      create: { firstname: 'N', lastname: 'U', country: 'US', onConflict: 'ignore' },
      addGroups: ['Marketing'],
    }),
    userCommand(fed('ann@corp.example'), { update: { lastname: 'X' }, removeGroups: 'all' }),
    userCommand(fed('bob@corp.example'), { addGroups: ['Nope'] }),
  ]

  it('never mutates the input org', () => {
    const input = sampleOrg()
    applyCommands(input, commands(), live)
    expect(input).toEqual(sampleOrg())
  })

  it('testOnly returns the input org and the results a live run would give', () => {
    const input = sampleOrg()
    const test = applyCommands(input, commands(), { testOnly: true })
    const real = applyCommands(sampleOrg(), commands(), live)
    expect(test.org).toEqual(sampleOrg())
    expect(test.results.map((result) => [result.status, result.errors])).toEqual(
      real.results.map((result) => [result.status, result.errors]),
    )
    expect(test.results.map((result) => result.status)).toEqual(['done', 'done', 'done', 'failed'])
  })
})

describe('snapshotOf', () => {
  it('returns every user, without groups unless asked', () => {
    const snapshot = snapshotOf(sampleOrg(), { includeGroups: false })
    expect(snapshot.users).toHaveLength(5)
    expect(snapshot.groups).toBeUndefined()
    expect(snapshot.users[2]).toEqual({
      identityType: 'federatedID',
      email: 'cy.dee@corp.example',
      username: 'cdee',
      domain: 'corp.example',
      firstname: 'Cy',
      lastname: 'Dee',
      country: 'FR',
      groups: ['Design Team'],
    })
  })

  it('filters users to the scope groups, ignoring case, and counts members', () => {
    const snapshot = snapshotOf(sampleOrg(), { groups: ['photoshop - DEFAULT', '_org_admin'], includeGroups: true })
    expect(snapshot.users.map((user) => user.email)).toEqual(['ann@corp.example', 'root@corp.example'])
    expect(snapshot.groups).toEqual([
      { name: 'Design Team', type: 'userGroup', memberCount: 4 },
      { name: 'Photoshop - Default', type: 'productProfile', memberCount: 1 },
      { name: '_org_admin', type: 'adminGroup', memberCount: 1 },
    ])
  })

  it('returns copies: changing the snapshot does not change the org', () => {
    const org = sampleOrg()
    snapshotOf(org, { includeGroups: false }).users[0]!.groups.push('X')
    expect(org).toEqual(sampleOrg())
  })
})
