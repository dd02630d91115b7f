import { describe, expect, it } from 'vitest'
import { adobeUser, dirUser, makeConfig, makeConfigWithoutDefaultCountry, planFor, userCommands } from '../helpers.js'
import { compileUsernamePattern } from '../../../src/config/ust-pattern.js'

describe('planner: creating directory users', () => {
  const config = makeConfig({ mappings: { staff: ['Staff'] } })

  it('creates with ignoreIfAlreadyExists and the directory attributes; groups only with --process-groups', () => {
    const plan = planFor({
      config,
      directory: [dirUser('a@x.com', ['staff'], { firstname: 'Ann', lastname: 'Lee', country: 'fr' })],
    })
    expect(userCommands(plan)).toEqual([
      {
        user: { identityType: 'federatedID', email: 'a@x.com', username: 'a@x.com', domain: 'x.com' },
        create: { firstname: 'Ann', lastname: 'Lee', country: 'FR', onConflict: 'ignore' },
      },
    ])
    const grouped = planFor({ config, options: { processGroups: true }, directory: [dirUser('a@x.com', ['staff'])] })
    expect(userCommands(grouped)[0]?.addGroups).toEqual(['staff'])
    expect(grouped.counters.usersCreated).toBe(1)
  })

  it('creates with updateIfAlreadyExists when --update-user-info', () => {
    const plan = planFor({ config, options: { updateUserInfo: true }, directory: [dirUser('a@x.com')] })
    expect(userCommands(plan)[0]?.create?.onConflict).toBe('update')
  })

  it('country: directory, else default_country_code, else UD for Enterprise IDs, else an ERROR and no creation', () => {
    const noDefault = makeConfigWithoutDefaultCountry()
    const plan = planFor({
      config: noDefault,
      directory: [
        dirUser('ent@x.com', [], { country: undefined, identityType: 'enterpriseID' }),
        dirUser('fed@x.com', [], { country: ' ' }),
      ],
    })
    expect(userCommands(plan).map((c) => [c.user.email, c.create?.country])).toEqual([['ent@x.com', 'UD']])
    expect(plan.errors).toEqual([
      'User cannot be added without a specified country code: federatedid,fed@x.com,,fed@x.com',
    ])
    const withDefault = planFor({ directory: [dirUser('fed@x.com', [], { country: undefined })] })
    expect(userCommands(withDefault)[0]?.create?.country).toBe('US')
  })

  it('--exclude-unmapped-users: users without a mapped group are not created (matched ones still updated)', () => {
    const plan = planFor({
      config,
      options: { excludeUnmappedUsers: true, updateUserInfo: true },
      directory: [
        dirUser('new@x.com', ['other']),
        dirUser('mapped@x.com', ['staff']),
        dirUser('old@x.com', [], { firstname: 'Changed' }),
      ],
      primary: [adobeUser('old@x.com')],
    })
    expect(
      userCommands(plan)
        .map((c) => c.user.email)
        .sort(),
    ).toEqual(['mapped@x.com', 'old@x.com'])
  })

  it('AdobeID collision, as in UST: a Federated ID is not created when that email is an Adobe ID matched elsewhere', () => {
    const plan = planFor({
      config,
      directory: [
        dirUser('ann@x.com', [], { identityType: 'adobeID' }),
        dirUser('ann@x.com', [], { identityType: 'federatedID' }),
      ],
      primary: [adobeUser('ann@x.com', [], { identityType: 'adobeID' })],
    })
    expect(userCommands(plan)).toEqual([])
    expect(plan.warnings).toContain(
      'Skipping user creation for: federatedid,ann@x.com,,ann@x.com - AdobeID already exists with ann@x.com',
    )
  })

  it('the user key is idType,username,domain,email lower-cased; a duplicate key is read once', () => {
    const plan = planFor({ config, directory: [dirUser('A@X.com'), dirUser('a@x.com')] })
    expect(plan.counters.directoryUsersRead).toBe(1)
    expect(userCommands(plan)).toHaveLength(1)
  })

  it('--users group and --user-filter select directory users; the others count as read, not selected', () => {
    const plan = planFor({
      config,
      options: {
        users: { kind: 'group', groups: ['Staff'] },
        userFilter: compileUsernamePattern('b.*', 'user_filter'),
      },
      directory: [dirUser('a@x.com', ['staff']), dirUser('b@x.com', ['staff']), dirUser('bo@x.com', ['other'])],
    })
    expect(plan.counters).toMatchObject({ directoryUsersRead: 3, directoryUsersSelected: 1 })
    expect(userCommands(plan).map((c) => c.user.email)).toEqual(['b@x.com'])
  })
})
