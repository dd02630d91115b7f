import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuthority, type TestAuthority } from '@ust-sync/test-servers'
import { mainFileSecrets } from '../../src/credentials/main-secrets.js'
import { clientCertificateFor, loadClientCertificates } from '../../src/network/client-certificates.js'

let ca: TestAuthority
let one: { cert: string; key: string }
let two: { cert: string; key: string }
beforeAll(() => {
  ca = createAuthority('UST Test Client CA')
  const a = ca.issue({ commonName: 'client-one', client: true })
  const b = ca.issue({ commonName: 'client-two', client: true })
  one = { cert: `${a.base}.crt`, key: `${a.base}.key` }
  two = { cert: `${b.base}.crt`, key: `${b.base}.key` }
})
afterAll(() => ca.remove())

const load = (section: unknown) => () => loadClientCertificates(section)

describe('network.client_certificates', () => {
  it('picks the exact host first, then a wildcard, which never matches the bare domain', () => {
    const certs = loadClientCertificates({
      wide: { hosts: ['*.corp.example'], cert_file: one.cert, key_file: one.key },
      ldap: { hosts: ['LDAP.corp.example'], cert_file: two.cert, key_file: two.key },
    })
    expect(clientCertificateFor(certs, 'ldap.corp.example')?.subject).toBe('CN=client-two')
    expect(clientCertificateFor(certs, 'umapi.corp.example')?.subject).toBe('CN=client-one')
    expect(clientCertificateFor(certs, 'a.b.corp.example')?.name).toBe('wide')
    expect(clientCertificateFor(certs, 'corp.example')).toBeUndefined()
    expect(clientCertificateFor(certs, 'evilcorp.example')).toBeUndefined()
  })

  it('refuses an entry it cannot use, naming it and the file, before anything connects', () => {
    expect(load({ x: { hosts: ['h'], cert_file: one.cert } })).toThrow(
      'network.client_certificates.x: needs cert_file and key_file (PEM), or pkcs12_file',
    )
    expect(load({ x: { hosts: ['h'], cert_file: one.cert, key_file: one.key, pkcs12_file: one.cert } })).toThrow(
      'give either pkcs12_file or cert_file with key_file, not both',
    )
    expect(load({ x: { hosts: ['h'], cert_file: one.cert, key_file: '/nonexistent/client.key' } })).toThrow(
      'cannot read key_file /nonexistent/client.key (no such file)',
    )
    // A device or a FIFO would never end or block the run.
    expect(load({ x: { hosts: ['h'], cert_file: '/dev/zero', key_file: one.key } })).toThrow(
      'cannot read cert_file /dev/zero (not a regular file)',
    )
    expect(load({ x: { hosts: ['h'], cert_file: one.cert, key_file: two.key } })).toThrow(
      `the private key in key_file does not belong to the certificate in cert_file (${one.cert} and ${two.key})`,
    )
    expect(load({ x: { hosts: ['h'], cert_file: one.key, key_file: one.key } })).toThrow(
      `${one.key} holds no PEM certificate`,
    )
  })

  it('says a wrong passphrase does not open an encrypted key, without quoting it', () => {
    const encrypted = `${one.key}.enc`
    execFileSync('openssl', ['pkey', '-in', one.key, '-aes256', '-passout', 'pass:right-Pass1', '-out', encrypted])
    const wrong = load({ x: { hosts: ['h'], cert_file: one.cert, key_file: encrypted, passphrase: 'wrong-Pass2' } })
    expect(wrong).toThrow(`network.client_certificates.x: the passphrase does not open ${one.cert} and ${encrypted}`)
    try {
      wrong()
    } catch (error) {
      expect(
        JSON.stringify({ message: (error as Error).message, s: (error as { suggestions: string[] }).suggestions }),
      ).not.toContain('wrong-Pass2')
    }
    expect(
      loadClientCertificates({
        x: { hosts: ['h'], cert_file: one.cert, key_file: encrypted, passphrase: 'right-Pass1' },
      }),
    ).toHaveLength(1)
  })

  it('each passphrase is a secret of the main file, its account the key file (for credentials list and migrate)', () => {
    const specs = mainFileSecrets({
      network: {
        client_certificates: { corp: { hosts: ['h'], key_file: 'k' }, p12: { hosts: ['h'], pkcs12_file: 'p' } },
      },
    })
    expect(specs).toEqual([
      { key: 'network.proxy_password', account: 'network.proxy_user', required: false },
      {
        key: 'network.client_certificates.corp.passphrase',
        account: 'network.client_certificates.corp.key_file',
        required: false,
      },
      {
        key: 'network.client_certificates.p12.passphrase',
        account: 'network.client_certificates.p12.pkcs12_file',
        required: false,
      },
    ])
  })
})
