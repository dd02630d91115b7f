/**
 * A directory as LDIF for slapadd (bench:ldap, bench:vs-ust --ldap): `users` inetOrgPerson entries under
 * ou=people, person i a member of group i mod `groups` (groupOfNames under ou=groups), with `memberOf`
 * written into each user entry (slapadd bypasses the memberOf overlay; loading offline is what makes
 * 100,000 users take seconds).
 */
import { SUFFIX } from '@ust-sync/test-servers'

/** The attributes of person i's entry (objectClass inetOrgPerson; the DN is `uid=<uid>,ou=people,<suffix>`). */
export interface LdifPerson {
  uid: string
  cn: string
  givenName: string
  sn: string
  mail: string
}

export function directoryLdif(
  users: number,
  groups: number,
  personOf: (i: number) => LdifPerson,
  groupCn: (g: number) => string,
): string {
  const out: string[] = [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n`,
    `dn: ou=people,${SUFFIX}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n`,
  ]
  const groupDn = (g: number): string => `cn=${groupCn(g)},ou=groups,${SUFFIX}`
  const members: string[][] = Array.from({ length: groups }, () => [])
  for (let i = 0; i < users; i++) {
    const p = personOf(i)
    const dn = `uid=${p.uid},ou=people,${SUFFIX}`
    const group = i % groups
    members[group]!.push(dn)
    out.push(
      `dn: ${dn}\nobjectClass: inetOrgPerson\nuid: ${p.uid}\ncn: ${p.cn}\ngivenName: ${p.givenName}\nsn: ${p.sn}\nmail: ${p.mail}\nmemberOf: ${groupDn(group)}\n`,
    )
  }
  members.forEach((list, g) => {
    out.push(
      `dn: ${groupDn(g)}\nobjectClass: groupOfNames\ncn: ${groupCn(g)}\n${list.map((m) => `member: ${m}`).join('\n')}\n`,
    )
  })
  return `${out.join('\n')}\n`
}
