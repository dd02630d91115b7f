import { type AddressInfo, connect, createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import { type Slapd, startSlapd, SUFFIX } from '@ust-sync/test-servers'
import { BIG_GROUP_SIZE, offlineLdif, onlineLdif, PEOPLE } from './fixture-directory.js'
import { baseConfig, emails, failure, read, selection, userOf, type Logged } from './helpers.js'

let slapd: Slapd
beforeAll(async () => {
  slapd = await startSlapd({ offline: offlineLdif(), online: onlineLdif() })
}, 120_000)
afterAll(async () => slapd?.dispose())

const FEW = ['alice@example.test', 'bob@example.test', 'john.smith@example.test', 'zoe@example.test']

describe('selection', () => {
  it('all: every user matching all_users_filter, with the names of the selected groups they are in', async () => {
    const { users, warnings } = await read(baseConfig(slapd), selection(['staff'], true))
    expect(users).toHaveLength(BIG_GROUP_SIZE + 8)
    expect(userOf(users, 'alice@example.test').groups).toEqual(['staff'])
    expect(userOf(users, 'carol@example.test').groups).toEqual([])
    expect(warnings).toContain(`Skipping user with dn uid=nomail,${PEOPLE}: no email attribute (mail)`)
  })

  it('groups: only members of the named groups; a user in two groups is one user with both names', async () => {
    const { users } = await read(baseConfig(slapd), selection(['staff', 'admins']))
    expect(emails(users)).toEqual(FEW)
    expect(userOf(users, 'alice@example.test').groups).toEqual(['staff', 'admins'])
  })

  it('a group that does not exist gives UST warning and no users', async () => {
    const { users, warnings } = await read(baseConfig(slapd), selection(['nosuch']))
    expect(users).toEqual([])
    expect(warnings).toEqual(['No group found for: nosuch'])
  })

  it('filter characters in a group name are escaped (RFC 4515): it matches only that exact name', async () => {
    const weird = await read(baseConfig(slapd), selection(['weird a*)(uid=*']))
    expect(emails(weird.users)).toEqual(['frank@example.test'])
    const injection = await read(baseConfig(slapd), selection(['a*)(uid=*']))
    expect(injection.users).toEqual([])
    expect(injection.warnings).toEqual(['No group found for: a*)(uid=*'])
  })

  it('a group of 20,000 members is read completely, page by page', async () => {
    const logged: Logged = { warn: [], debug: [] }
    const { users } = await read(baseConfig(slapd, { search_page_size: 500 }), selection(['big']), logged)
    expect(users).toHaveLength(BIG_GROUP_SIZE)
    expect(new Set(users.map((u) => u.email)).size).toBe(BIG_GROUP_SIZE)
  })

  it('several groups are read two at a time on two connections: the same users, in the same order, as one by one', async () => {
    // OpenLDAP refuses a second paged search on a connection while one is under way: `big` (40 pages) is
    // searched while the groups after it are, so sharing one connection would fail with unwillingToPerform.
    const config = baseConfig(slapd, { search_page_size: 500 })
    const names = ['staff', 'big', 'admins', 'nosuch', 'all-staff']
    const together = await read(config, selection(names))
    const expected = new Map<string, string[]>()
    for (const name of names)
      for (const user of (await read(config, selection([name]))).users)
        expected.set(user.email, [...(expected.get(user.email) ?? []), name])
    expect(together.users.map((u) => [u.email, u.groups])).toEqual([...expected])
    expect(together.users).toHaveLength(BIG_GROUP_SIZE + 5)
    expect(together.warnings).toEqual([
      `Skipping user with dn uid=nomail,${PEOPLE}: no email attribute (mail)`,
      'No group found for: nosuch',
    ])
  })
  it('a server that takes one connection per client: the groups are read one at a time, with a warning', async () => {
    // A TCP relay to slapd that passes the first connection and resets every later one (a firewall or an
    // LDAP proxy limiting connections).
    let connections = 0
    const relay = createServer((client) => {
      if (++connections > 1) return client.resetAndDestroy()
      const upstream = connect(slapd.port, '127.0.0.1')
      client.pipe(upstream).pipe(client)
      const end = () => (client.destroy(), upstream.destroy())
      client.on('error', end).on('close', end)
      upstream.on('error', end).on('close', end)
    })
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = relay.address() as AddressInfo
      const logged: Logged = { warn: [], debug: [] }
      const names = ['staff', 'admins', 'all-staff']
      const { users } = await read(baseConfig(slapd, { host: `ldap://127.0.0.1:${port}` }), selection(names), logged)
      const alone = await read(baseConfig(slapd), selection(names))
      expect(users.map((u) => [u.email, u.groups])).toEqual(alone.users.map((u) => [u.email, u.groups]))
      expect(connections).toBe(2)
      expect(logged.warn.filter((m) => m.includes('second connection'))).toEqual([
        expect.stringMatching(
          /^A second connection to ldap:\/\/127\.0\.0\.1:\d+ failed \(.+\); reading the groups one at a time$/,
        ),
      ])
    } finally {
      await new Promise((resolve) => relay.close(resolve))
    }
  })
})

describe('connector-ldap.yml keys', () => {
  it('host: a bare host name means ldap://; another scheme is a config error', async () => {
    const { users } = await read(baseConfig(slapd, { host: `127.0.0.1:${slapd.port}` }), selection(['admins']))
    expect(emails(users)).toEqual(['alice@example.test'])
    const error = await failure(read(baseConfig(slapd, { host: 'https://dc.example.com' }), selection([])))
    expect(error.exitCode).toBe(ExitCode.config)
    expect(error.message).toContain('host "https://dc.example.com"')
  })

  it('base_dn: only entries below it are read; a base that does not exist is a source error naming it', async () => {
    const { users } = await read(baseConfig(slapd, { base_dn: `ou=groups,${SUFFIX}` }), selection([], true))
    expect(users).toEqual([])
    const error = await failure(read(baseConfig(slapd, { base_dn: `ou=nowhere,${SUFFIX}` }), selection([], true)))
    expect(error.exitCode).toBe(ExitCode.source)
    expect(error.message).toContain(`ou=nowhere,${SUFFIX}`)
    expect(error.message).toContain(slapd.url)
  })

  it('username/password: a wrong password is a credential error (exit 3) naming host and DN, never the password', async () => {
    const error = await failure(read(baseConfig(slapd, { password: 'Wr0ng-pw-41' }), selection(['staff'])))
    expect(error.exitCode).toBe(ExitCode.credential)
    expect(error.message).toContain(slapd.url)
    expect(error.message).toContain(`cn=admin,${SUFFIX}`)
    expect(JSON.stringify({ ...error, message: error.message, s: error.suggestions })).not.toContain('Wr0ng-pw-41')
  })

  it('username without a password is a config error', async () => {
    const error = await failure(read(baseConfig(slapd, { password: undefined }), selection([])))
    expect(error.exitCode).toBe(ExitCode.config)
  })

  it('authentication_method: anonymous reads without binding as a user', async () => {
    const { users } = await read(
      baseConfig(slapd, { authentication_method: 'anonymous', password: 'ignored' }),
      selection(['admins']),
    )
    expect(emails(users)).toEqual(['alice@example.test'])
  })

  it.each(['ntlm', 'kerberos'])(
    'authentication_method: %s is "not supported", with what to use instead',
    async (method) => {
      const error = await failure(read(baseConfig(slapd, { authentication_method: method }), selection([])))
      expect(error.exitCode).toBe(ExitCode.config)
      expect(error.message).toContain(`authentication_method: ${method} is not supported`)
      expect(error.suggestions.join(' ')).toContain('simple')
    },
  )

  it('search_page_size: a small page reads everything; 0 searches without paging', async () => {
    const paged = await read(baseConfig(slapd, { search_page_size: 3 }), selection(['staff']))
    expect(emails(paged.users)).toEqual(FEW)
    const unpaged = await read(baseConfig(slapd, { search_page_size: 0 }), selection(['staff']))
    expect(emails(unpaged.users)).toEqual(FEW)
  })

  it('all_users_filter: users outside it are never read, even as group members', async () => {
    const config = baseConfig(slapd, { all_users_filter: '(&(objectClass=inetOrgPerson)(!(uid=bob)))' })
    const { users } = await read(config, selection(['staff']))
    expect(emails(users)).not.toContain('bob@example.test')
    expect(emails(users)).toContain('alice@example.test')
  })

  it('all_users_filter: the AD default matches no OpenLDAP person', async () => {
    const config = baseConfig(slapd)
    delete config.all_users_filter
    expect((await read(config, selection(['staff']))).users).toEqual([])
  })

  it('group_filter_format: finds groups with a custom filter; several matches are an error', async () => {
    const custom = await read(
      baseConfig(slapd, { group_filter_format: '(&(objectClass=groupOfNames)(cn={group}))' }),
      selection(['admins']),
    )
    expect(emails(custom.users)).toEqual(['alice@example.test'])
    const error = await failure(
      read(baseConfig(slapd, { group_filter_format: '(&(objectClass=groupOfNames)(cn=team-*))' }), selection(['x'])),
    )
    expect(error.exitCode).toBe(ExitCode.source)
    expect(error.message).toContain('Multiple LDAP groups found for "x"')
  })

  it('group_member_filter_format: the member filter decides who is in a group', async () => {
    const { users } = await read(
      baseConfig(slapd, { group_member_filter_format: '(&(memberOf={group_dn})(c=us))' }),
      selection(['staff']),
    )
    expect(emails(users)).toEqual(['alice@example.test'])
  })

  it('two_steps_lookup: members from the group attribute, DNs with escaped characters included', async () => {
    const config = baseConfig(slapd, { two_steps_lookup: { group_member_attribute_name: 'member' } })
    const { users } = await read(config, selection(['staff']))
    expect(emails(users)).toEqual(FEW)
    expect(userOf(users, 'john.smith@example.test').origin).toMatch(/^cn=Smith(\\,|\\2C) John,ou=people,/)
  })

  it('two_steps_lookup after reading all users matches member DNs however the server escapes them', async () => {
    const config = baseConfig(slapd, { two_steps_lookup: { group_member_attribute_name: 'member' } })
    const { users } = await read(config, selection(['staff'], true))
    expect(userOf(users, 'john.smith@example.test').groups).toEqual(['staff'])
    expect(
      users
        .filter((u) => u.groups.includes('staff'))
        .map((u) => u.email)
        .sort(),
    ).toEqual(FEW)
  })

  it('two_steps_lookup: a posixGroup memberUid lists uids (unknown ones ignored)', async () => {
    const config = baseConfig(slapd, { two_steps_lookup: { group_member_attribute_name: 'memberUid' } })
    const { users } = await read(config, selection(['posix-devs']))
    expect(emails(users)).toEqual(['alice@example.test', 'frank@example.test'])
  })

  it('two_steps_lookup with group_member_filter_format is a config error', async () => {
    const config = baseConfig(slapd, {
      two_steps_lookup: { group_member_attribute_name: 'member' },
      group_member_filter_format: '(memberOf={group_dn})',
    })
    expect((await failure(read(config, selection([])))).exitCode).toBe(ExitCode.config)
  })

  it('nested_group: false reads direct members only; true flattens nesting and survives a cycle', async () => {
    const flat = await read(
      baseConfig(slapd, { two_steps_lookup: { group_member_attribute_name: 'member', nested_group: false } }),
      selection(['all-staff']),
    )
    expect(emails(flat.users)).toEqual(['carol@example.test'])
    const nested = await read(
      baseConfig(slapd, { two_steps_lookup: { group_member_attribute_name: 'member', nested_group: true } }),
      selection(['all-staff']),
    )
    expect(emails(nested.users)).toEqual(['carol@example.test', 'dave@example.test', 'erin@example.test'])
    expect(nested.users.map((u) => u.groups)).toEqual([['all-staff'], ['all-staff'], ['all-staff']])
    const group = (cn: string) => `cn=${cn},ou=groups,dc=example,dc=test`
    expect(nested.warnings).toEqual([
      `Nested group cycle under "all-staff": ${['all-staff', 'team-a', 'team-b', 'team-a'].map(group).join(' → ')} (each group read once)`,
    ])
  })

  it('nested two-step lookup of 20,000 members is complete', async () => {
    const config = baseConfig(slapd, {
      two_steps_lookup: { group_member_attribute_name: 'member', nested_group: true },
    })
    const { users } = await read(config, selection(['big']))
    expect(users).toHaveLength(BIG_GROUP_SIZE)
  })

  it('dynamic_group_member_attribute: the names of the groups memberOf lists join the user groups', async () => {
    const { users } = await read(
      baseConfig(slapd, { dynamic_group_member_attribute: 'memberOf' }),
      selection(['admins']),
    )
    expect(userOf(users, 'alice@example.test').groups.sort()).toEqual(['admins', 'staff'])
  })

  it('additional_groups rules (memberGroups) without dynamic_group_member_attribute: a ConfigError before connecting, as UST', async () => {
    const asked = { ...selection(['admins']), memberGroups: true }
    // A closed port: the error comes before any connection is tried.
    await expect(read(baseConfig(slapd, { host: 'ldap://127.0.0.1:1' }), asked)).rejects.toMatchObject({
      exitCode: 2,
      code: 'config.ldap.dynamic-group-attribute',
      message: expect.stringContaining('needs dynamic_group_member_attribute in connector-ldap.yml'),
    })
    const { users } = await read(baseConfig(slapd, { dynamic_group_member_attribute: 'memberOf' }), asked)
    expect(userOf(users, 'alice@example.test').groups.sort()).toEqual(['admins', 'staff'])
  })

  it('user_email_format: a template over other attributes; users lacking it are skipped with a warning', async () => {
    const { users, warnings } = await read(
      baseConfig(slapd, { user_email_format: '{uid}@corp.example' }),
      selection(['staff']),
    )
    expect(emails(users)).toEqual([
      'alice@corp.example',
      'bob@corp.example',
      'nomail@corp.example',
      'smith@corp.example',
      'zoe@corp.example',
    ])
    expect(warnings).toEqual([])
  })

  it('user_email_format: the first value of a multi-valued attribute is used', async () => {
    const bob = userOf((await read(baseConfig(slapd), selection(['staff']))).users, 'bob@example.test')
    expect(bob.firstname).toBe('Bob')
  })

  it('user_username_format and user_domain_format: from attributes; domain defaults to the email domain', async () => {
    const config = baseConfig(slapd, { user_username_format: '{uid}', user_domain_format: '{o}' })
    const { users } = await read(config, selection(['staff']))
    expect(userOf(users, 'alice@example.test')).toMatchObject({ username: 'alice', domain: 'corp.example' })
    expect(userOf(users, 'bob@example.test')).toMatchObject({ username: 'bob', domain: 'example.test' })
  })

  it('user_given_name_format, user_surname_format, user_country_code_format (upper-cased)', async () => {
    const defaults = userOf((await read(baseConfig(slapd), selection(['admins']))).users, 'alice@example.test')
    expect(defaults).toMatchObject({ firstname: 'Alice', lastname: 'Adams', country: 'US' })
    const config = baseConfig(slapd, {
      user_given_name_format: '{cn}',
      user_surname_format: '{sn} ({uid})',
      user_country_code_format: '{o}',
    })
    const custom = userOf((await read(config, selection(['admins']))).users, 'alice@example.test')
    expect(custom).toMatchObject({ firstname: 'alice', lastname: 'Adams (alice)', country: 'CORP.EXAMPLE' })
  })

  it('a missing attribute makes the whole templated value absent', async () => {
    const config = baseConfig(slapd, { user_surname_format: '{sn}, {title}' })
    expect(userOf((await read(config, selection(['admins']))).users, 'alice@example.test').lastname).toBeUndefined()
  })

  it('a malformed template is a config error naming the key', async () => {
    const error = await failure(read(baseConfig(slapd, { user_email_format: '{mail' }), selection([])))
    expect(error.exitCode).toBe(ExitCode.config)
    expect(error.message).toContain('user_email_format')
  })

  it('user_identity_type_format: per user; unknown types skip the user, missing ones fall back with a warning', async () => {
    const config = baseConfig(slapd, { user_identity_type_format: '{employeeType}ID', user_identity_type: 'adobeID' })
    const { users, warnings } = await read(config, selection(['staff', 'all-staff', 'team-a']))
    expect(userOf(users, 'alice@example.test').identityType).toBe('federatedID')
    expect(userOf(users, 'zoe@example.test').identityType).toBe('enterpriseID')
    expect(userOf(users, 'carol@example.test').identityType).toBe('adobeID')
    expect(emails(users)).not.toContain('dave@example.test')
    expect(warnings).toEqual([
      'No identity_type attribute (employeeType) for user with dn: uid=bob,ou=people,dc=example,dc=test, defaulting to adobeID',
      'Skipping user with dn uid=nomail,ou=people,dc=example,dc=test: no email attribute (mail)',
      'No identity_type attribute (employeeType) for user with dn: cn=Smith\\2C John,ou=people,dc=example,dc=test, defaulting to adobeID',
      'No identity_type attribute (employeeType) for user with dn: uid=carol,ou=people,dc=example,dc=test, defaulting to adobeID',
      'Skipping user with dn uid=dave,ou=people,dc=example,dc=test: identity type "bogusID" is not adobeID, enterpriseID or federatedID',
    ])
  })

  it('user_identity_type: the default type of users; an invalid one is a config error', async () => {
    const { users } = await read(baseConfig(slapd, { user_identity_type: 'enterpriseid' }), selection(['admins']))
    expect(users[0]!.identityType).toBe('enterpriseID')
    expect((await failure(read(baseConfig(slapd, { user_identity_type: 'nope' }), selection([])))).exitCode).toBe(
      ExitCode.config,
    )
  })

  it('string_encoding: utf8 by default (non-ASCII names intact); another encoding decodes the bytes with it', async () => {
    const utf8 = userOf((await read(baseConfig(slapd), selection(['staff']))).users, 'zoe@example.test')
    expect(utf8).toMatchObject({ firstname: 'Zoë', lastname: 'Ærøskøbing', country: 'DK' })
    const latin1 = userOf(
      (await read(baseConfig(slapd, { string_encoding: 'latin1' }), selection(['staff']))).users,
      'zoe@example.test',
    )
    expect(latin1.firstname).toBe(Buffer.from('Zoë').toString('latin1'))
    const error = await failure(read(baseConfig(slapd, { string_encoding: 'klingon' }), selection([])))
    expect(error.exitCode).toBe(ExitCode.config)
  })
})
