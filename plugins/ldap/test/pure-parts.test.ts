import { describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import { ldapConnectorSchema } from '../src/connector-schema.js'
import { toLdapEntry } from '../src/entry.js'
import { firstRdnValue } from '../src/entry-to-user.js'
import { and, escapeFilterValue, fillFilter } from '../src/filter.js'
import { normaliseDn } from '../src/dn.js'
import { LDAP_DEFAULTS, parseHost } from '../src/ldap-options.js'
import { parseReferral } from '../src/referrals.js'
import { ValueTemplate } from '../src/template.js'

describe('RFC 4515 escaping', () => {
  it('escapes the filter metacharacters (and those UST escapes too)', () => {
    expect(escapeFilterValue('a*)(uid=*')).toBe('a\\2a\\29\\28uid=\\2a')
    expect(escapeFilterValue('back\\slash\0nul')).toBe('back\\5cslash\\00nul')
    expect(escapeFilterValue('R&D|<x>~!:')).toBe('R\\26D\\7c\\3cx\\3e\\7e\\21\\3a')
    expect(escapeFilterValue('Zoë Ærø')).toBe('Zoë Ærø')
  })

  it('fills {group}/{group_dn} escaped, keeps other braces, adds missing parentheses', () => {
    expect(fillFilter(LDAP_DEFAULTS.group_member_filter_format, { group_dn: 'cn=Smith\\, J,dc=x' })).toBe(
      '(memberOf=cn=Smith\\5c, J,dc=x)',
    )
    expect(fillFilter('cn={group}', { group: 'a(b' })).toBe('(cn=a\\28b)')
    expect(and('(a=1)', 'b=2')).toBe('(&(a=1)(b=2))')
  })
})

describe('templates', () => {
  const entry: Record<string, string> = { mail: 'ann@x.example', givenName: 'Ann' }
  const first = { first: (name: string) => entry[name] }

  it('render attributes and literals; {{ and }} are literal braces', () => {
    expect(ValueTemplate.parse('{givenName}.{mail}', 'k').render(first)).toEqual({ value: 'Ann.ann@x.example' })
    expect(ValueTemplate.parse('{{literal}} {mail}', 'k').render(first)).toEqual({ value: '{literal} ann@x.example' })
    expect(ValueTemplate.parse('{idType}ID', 'k').attributes).toEqual(['idType'])
  })

  it('a missing attribute makes the value absent and names the attribute', () => {
    expect(ValueTemplate.parse('{givenName} {sn}', 'k').render(first)).toEqual({ missing: 'sn' })
  })

  it.each(['{mail', 'mail}', '{}', '{a.b}', '{mail!r}'])('rejects %s with a config error', (text) => {
    expect(() => ValueTemplate.parse(text, 'user_email_format')).toThrow(
      expect.objectContaining({ exitCode: ExitCode.config }),
    )
  })
})

describe('DNs, hosts and referrals', () => {
  it('first RDN value, unescaped (the group name taken from memberOf)', () => {
    expect(firstRdnValue('CN=Sales\\, EMEA,OU=Groups,DC=x')).toBe('Sales, EMEA')
    expect(firstRdnValue('cn=R\\26D,ou=g')).toBe('R&D')
  })

  it('DNs compare without case and spaces around separators', () => {
    expect(normaliseDn('CN=Staff, OU=Groups ,DC=Example')).toBe(normaliseDn('cn=staff,ou=groups,dc=example'))
    expect(normaliseDn('cn=Smith\\2C John,ou=people')).toBe(normaliseDn('cn=Smith\\, John,ou=people'))
  })

  it('host: default ports and normalised text', () => {
    expect(parseHost('ldaps://dc1.example.com')).toMatchObject({ secure: true, port: 636 })
    expect(parseHost('ldap://dc1.example.com:3268')).toMatchObject({ secure: false, port: 3268 })
    expect(parseHost('dc1.example.com').text).toBe('ldap://dc1.example.com:389')
  })

  it('host: a refused host is named with any user:password@ masked', () => {
    for (const host of [
      'https://cn=admin:Sup3rS3cret@dc1.example.com',
      'ldap://admin:Sup3rS3cret@dc1.example.com/ou=x',
    ]) {
      const error = (() => {
        try {
          parseHost(host)
        } catch (e) {
          return e as Error
        }
      })()
      expect(error?.message).toContain('***@dc1.example.com')
      expect(error?.message).not.toContain('Sup3rS3cret')
    }
  })

  it('referral URLs give server and base', () => {
    expect(parseReferral('ldap://dc2.example.com/DC=DomainDnsZones,DC=example,DC=com')).toEqual({
      server: 'ldap://dc2.example.com:389',
      base: 'DC=DomainDnsZones,DC=example,DC=com',
    })
    expect(parseReferral('https://x')).toBeUndefined()
  })
})

describe('schema', () => {
  it('declares password as the secret whose keyring account is username (as UST)', () => {
    expect(ldapConnectorSchema.secrets).toEqual([{ key: 'password', account: 'username', required: false }])
  })
})

describe('entries', () => {
  const entry = toLdapEntry(
    { dn: 'CN=Ann,OU=People', mail: 'ann@x.example', GivenName: 'Ann', cn: ['Ann', 'Annie'], sn: [] },
    'utf8',
  )

  it('finds attributes whatever their case; values, first and single follow UST', () => {
    expect(entry.key).toBe('cn=ann,ou=people')
    expect(entry.first('givenname')).toBe('Ann')
    expect(entry.values('CN')).toEqual(['Ann', 'Annie'])
    expect(entry.single('cn')).toEqual(['Ann', 'Annie'])
    expect(entry.single('mail')).toBe('ann@x.example')
    expect(entry.single('sn')).toBeUndefined()
    expect(entry.keys()).toEqual(['mail', 'givenname', 'cn', 'sn'])
  })

  it('an attribute named like an object method or dn is absent, not the method or the DN', () => {
    expect(entry.first('constructor')).toBeUndefined()
    expect(entry.values('toString')).toEqual([])
    expect(entry.first('dn')).toBeUndefined()
  })
})
