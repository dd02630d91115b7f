import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A throw-away CA and a server certificate for `localhost` / `127.0.0.1`, as PEM strings. */
export interface TestCa {
  caPem: string
  keyPem: string
  certPem: string
  /** Temp directory holding ca.crt, server.key, server.crt; the caller removes it (`rmSync(dir, {recursive: true})`). */
  dir: string
}

/**
 * Creates a CA and a server certificate (SAN `DNS:localhost, IP:127.0.0.1`, EC P-256, 2 days) with the
 * openssl CLI in a new temp directory. Pass `{key: keyPem, cert: certPem}` as `startFakeUmapi({tls})`
 * and `caPem` as the client's `ca`.
 */
export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'ust-fake-umapi-ca-'))
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  }
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=ust-fake-umapi-test-CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost')
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n')
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  )
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8')
  return { caPem: read('ca.crt'), keyPem: read('server.key'), certPem: read('server.crt'), dir }
}
