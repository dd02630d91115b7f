import { SUFFIX } from '@ust-sync/test-servers'

/** `name: value`, base64-encoded (`name:: …`) when the value is not plain ASCII, as LDIF requires. */
function attr(name: string, value: string): string {
  return /^[\x20-\x7e]*$/.test(value) && !/^[ :<]/.test(value)
    ? `${name}: ${value}`
    : `${name}:: ${Buffer.from(value).toString('base64')}`
}

function entry(dn: string, lines: [string, string][]): string {
  return `${attr('dn', dn)}\n${lines.map(([n, v]) => attr(n, v)).join('\n')}\n\n`
}

export const PEOPLE = `ou=people,${SUFFIX}`
/** Alice can bind (a plain user: server limits apply to her, unlike the rootdn). */
export const ALICE_PASSWORD = 'alice-Pw-1'
export const GROUPS = `ou=groups,${SUFFIX}`
export const BIG_GROUP_SIZE = 20_000

/** A person (inetOrgPerson + extensibleObject, so `c` and `o` are allowed). */
export function person(
  uid: string,
  values: Record<string, string | string[] | undefined>,
  dn = `uid=${uid},${PEOPLE}`,
): string {
  const lines: [string, string][] = [
    ['objectClass', 'inetOrgPerson'],
    ['objectClass', 'extensibleObject'],
    ['uid', uid],
  ]
  const all = { cn: uid, sn: uid, ...values }
  for (const [name, value] of Object.entries(all)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) lines.push([name, item])
  }
  return entry(dn, lines)
}

export function groupOfNames(cn: string, members: string[], dn = `cn=${cn},${GROUPS}`): string {
  return entry(dn, [
    ['objectClass', 'groupOfNames'],
    ['cn', cn],
    ...members.map((m): [string, string] => ['member', m]),
  ])
}

export function posixGroup(cn: string, gid: number, uids: string[]): string {
  return entry(`cn=${cn},${GROUPS}`, [
    ['objectClass', 'posixGroup'],
    ['cn', cn],
    ['gidNumber', String(gid)],
    ...uids.map((u): [string, string] => ['memberUid', u]),
  ])
}

export const dnOf = (uid: string): string => `uid=${uid},${PEOPLE}`
export const groupDn = (cn: string): string => `cn=${cn},${GROUPS}`
/** A user whose DN needs escaping (a comma in the RDN). */
export const SMITH_DN = `cn=Smith\\, John,${PEOPLE}`
export const bulkUid = (n: number): string => `bulk${String(n).padStart(5, '0')}`

/**
 * The test directory, loaded offline (slapadd): the tree, people of every kind the tests need, and
 * 20,000 bulk users.
 */
export function offlineLdif(bulk = BIG_GROUP_SIZE): string {
  const parts = [
    entry(SUFFIX, [
      ['objectClass', 'dcObject'],
      ['objectClass', 'organization'],
      ['dc', 'example'],
      ['o', 'Example'],
    ]),
    entry(PEOPLE, [
      ['objectClass', 'organizationalUnit'],
      ['ou', 'people'],
    ]),
    entry(GROUPS, [
      ['objectClass', 'organizationalUnit'],
      ['ou', 'groups'],
    ]),
    person('alice', {
      givenName: 'Alice',
      sn: 'Adams',
      mail: 'alice@example.test',
      c: 'us',
      o: 'corp.example',
      employeeType: 'federated',
      userPassword: ALICE_PASSWORD,
    }),
    person('bob', {
      givenName: ['Bob', 'Robert'],
      sn: 'Brown',
      mail: ['bob@example.test', 'robert.brown@example.test'],
      c: 'GB',
    }),
    person('nomail', { givenName: 'Nora', sn: 'Nomail' }),
    person('zoe', {
      givenName: 'Zoë',
      sn: 'Ærøskøbing',
      mail: 'zoe@example.test',
      c: 'dk',
      employeeType: 'enterprise',
    }),
    person('carol', { givenName: 'Carol', sn: 'Clark', mail: 'carol@example.test' }),
    person('dave', { givenName: 'Dave', sn: 'Dunn', mail: 'dave@example.test', employeeType: 'bogus' }),
    person('erin', { givenName: 'Erin', sn: 'Ellis', mail: 'erin@example.test' }),
    person('frank', { givenName: 'Frank', sn: 'Fox', mail: 'frank@example.test' }),
    person('smith', { cn: 'Smith, John', givenName: 'John', sn: 'Smith', mail: 'john.smith@example.test' }, SMITH_DN),
  ]
  for (let n = 0; n < bulk; n++) {
    const uid = bulkUid(n)
    parts.push(person(uid, { givenName: 'Bulk', sn: String(n), mail: `${uid}@bulk.example.test` }))
  }
  return parts.join('')
}

/** Closes the cycle team-a → team-b → team-a (team-a must exist before team-b can name it). */
const CYCLE_LDIF = `dn: ${groupDn('team-a')}\nchangetype: modify\nadd: member\nmember: ${groupDn('team-b')}\n\n`

/**
 * Groups, added online (ldapadd) so the memberOf overlay maintains `memberOf` on their members:
 * `staff` and `admins` (groupOfNames), `posix-devs` (posixGroup, memberUid), nested `all-staff` →
 * `team-a` ⇄ `team-b` (a cycle), `weird a*)(uid=*` (filter characters in the name), and `big` with 20,000 members.
 */
export function onlineLdif(bulk = BIG_GROUP_SIZE): string {
  return [
    groupOfNames('staff', [dnOf('alice'), dnOf('bob'), dnOf('nomail'), dnOf('zoe'), SMITH_DN]),
    groupOfNames('admins', [dnOf('alice')]),
    posixGroup('posix-devs', 5000, ['alice', 'frank', 'ghost']),
    groupOfNames('team-a', [dnOf('dave')]),
    groupOfNames('team-b', [dnOf('erin'), groupDn('team-a')]),
    groupOfNames('all-staff', [dnOf('carol'), groupDn('team-a')]),
    CYCLE_LDIF,
    groupOfNames('weird a*)(uid=*', [dnOf('frank')]),
    ...(bulk > 0
      ? [
          groupOfNames(
            'big',
            Array.from({ length: bulk }, (_, n) => dnOf(bulkUid(n))),
          ),
        ]
      : []),
  ].join('')
}
