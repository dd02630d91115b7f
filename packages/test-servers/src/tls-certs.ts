import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A throw-away certificate authority made with the openssl CLI. */
export interface TestAuthority {
  /** Common name of the CA, as a TLS client reports the issuer. */
  name: string
  caPem: string
  /** Path of the CA certificate (PEM), for `ca_file` / `REQUESTS_CA_BUNDLE`. */
  caFile: string
  dir: string
  /**
   * Issues a server certificate (or with `client`, a client certificate for mutual TLS, no host names);
   * `expired` gives one that ended on 2020-02-01. The files are `<base>.key` and `<base>.crt` in `dir`.
   */
  issue(options: { commonName: string; altNames?: string[]; expired?: boolean; client?: boolean }): {
    keyPem: string
    certPem: string
    base: string
  }
  /** Removes the files. */
  remove(): void
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/**
 * Creates a CA named `name` (EC P-256) in a temp directory. Leaf certificates default to the SAN
 * `DNS:localhost, IP:127.0.0.1`, valid from yesterday for 2 days.
 */
export function createAuthority(name: string): TestAuthority {
  const dir = mkdtempSync(join(tmpdir(), 'ust-test-ca-'))
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  }
  openssl(
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '3',
    '-subj',
    `/O=ust tests/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )
  writeFileSync(join(dir, 'index.txt'), '')
  writeFileSync(join(dir, 'serial'), '1000\n')
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = local',
      '[local]',
      'dir = .',
      'database = index.txt',
      'new_certs_dir = .',
      'serial = serial',
      'default_md = sha256',
      'policy = any',
      'unique_subject = no',
      '[any]',
      'commonName = supplied',
      '',
    ].join('\n'),
  )
  let n = 0
  const stamp = (d: Date): string => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`
  return {
    name,
    caPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    caFile: join(dir, 'ca.crt'),
    dir,
    issue({ commonName, altNames = ['DNS:localhost', 'IP:127.0.0.1'], expired = false, client = false }) {
      n += 1
      const base = `leaf${n}`
      openssl('req', ...EC, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${commonName}`)
      writeFileSync(
        join(dir, `${base}.ext`),
        client
          ? '[ext]\nextendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n'
          : `[ext]\nsubjectAltName=${altNames.join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
      )
      const now = Date.now()
      const start = expired ? '20200101000000Z' : stamp(new Date(now - 86_400_000))
      const end = expired ? '20200201000000Z' : stamp(new Date(now + 2 * 86_400_000))
      openssl(
        'ca',
        '-batch',
        '-notext',
        '-config',
        'ca.cnf',
        '-cert',
        'ca.crt',
        '-keyfile',
        'ca.key',
        '-in',
        `${base}.csr`,
        '-out',
        `${base}.crt`,
        '-extfile',
        `${base}.ext`,
        '-extensions',
        'ext',
        '-startdate',
        start,
        '-enddate',
        end,
      )
      return {
        keyPem: readFileSync(join(dir, `${base}.key`), 'utf8'),
        certPem: readFileSync(join(dir, `${base}.crt`), 'utf8'),
        base: join(dir, base),
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}
