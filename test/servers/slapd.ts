import { execFile, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createTestCa, type TestCa } from '../fakes/umapi/index.js'
import { freePort } from './free-port.js'

const run = promisify(execFile)

/** Suffix, admin DN and password of every test directory. */
export const SUFFIX = 'dc=example,dc=test'
export const ADMIN_DN = `cn=admin,${SUFFIX}`
export const ADMIN_PASSWORD = 'admin-Pw-1'

/** A running throwaway OpenLDAP server on 127.0.0.1 (plain LDAP + StartTLS on `port`, LDAPS on `ldapsPort`). */
export interface Slapd {
  /** `ldap://127.0.0.1:<port>` */
  url: string
  /** `ldaps://127.0.0.1:<ldapsPort>` */
  ldapsUrl: string
  port: number
  ldapsPort: number
  /** The server's PID (read from its pidfile when it started). */
  pid: number
  /** PEM of the test CA that issued the server certificate (SAN IP:127.0.0.1, DNS:localhost). */
  caPem: string
  /** Path of that CA certificate. */
  caFile: string
  dir: string
  /** Adds entries online as the admin (so overlays such as memberOf apply). */
  ldapadd(ldif: string): Promise<void>
  /** Stops the server (SIGTERM, or SIGKILL to simulate a crash) and waits until the process is gone. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>
  /** Stops the server and deletes its directory. */
  dispose(): Promise<void>
}

/** What to load: `offline` entries go in with slapadd before start, `online` ones with ldapadd after. */
export interface SlapdOptions {
  offline?: string
  online?: string
  /** Server-side size limit (default unlimited). */
  sizeLimit?: number
  /** Reuse a CA (else a new one is made and removed with the server). */
  ca?: TestCa
}

function slapdConf(dir: string, ca: TestCa, sizeLimit: number | undefined): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
TLSCACertificateFile ${ca.dir}/ca.crt
TLSCertificateFile ${ca.dir}/server.crt
TLSCertificateKeyFile ${ca.dir}/server.key
sizelimit ${sizeLimit ?? 'unlimited'}
database mdb
maxsize 4294967296
suffix "${SUFFIX}"
rootdn "${ADMIN_DN}"
rootpw ${ADMIN_PASSWORD}
directory ${dir}/db
dbnosync
index objectClass eq
index uid,cn,mail eq
index member,memberOf,memberUid eq
overlay memberof
memberof-group-oc groupOfNames
memberof-member-ad member
memberof-memberof-ad memberOf
access to attrs=userPassword by self write by anonymous auth by * none
access to * by * read
`
}

function isRunning(pid: number): boolean {
  return existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(safeRead(`/proc/${pid}/status`))
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/**
 * Starts slapd (stack-notes.md §6): its own slapd.conf in a temp dir (mdb, memberOf overlay, test CA),
 * `offline` LDIF loaded by slapadd, then the server on two free ports, then `online` LDIF by ldapadd.
 */
export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), 'ust-slapd-'))
  await mkdir(join(dir, 'db'))
  const ownCa = !options.ca
  const ca = options.ca ?? createTestCa()
  const conf = join(dir, 'slapd.conf')
  await writeFile(conf, slapdConf(dir, ca, options.sizeLimit))
  if (options.offline) {
    await writeFile(join(dir, 'offline.ldif'), options.offline)
    await run('slapadd', ['-q', '-f', conf, '-l', join(dir, 'offline.ldif')], { maxBuffer: 1 << 24 })
  }
  const port = await freePort()
  const ldapsPort = await freePort()
  const url = `ldap://127.0.0.1:${port}`
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`
  await run('slapd', ['-f', conf, '-h', `${url}/ ${ldapsUrl}/`, '-s', '0'])
  let pid = 0
  for (let i = 0; i < 100 && !pid; i++) {
    pid = Number((await readFile(join(dir, 'slapd.pid'), 'utf8').catch(() => '')).trim()) || 0
    if (!pid) await new Promise((r) => setTimeout(r, 50))
  }
  if (!pid) throw new Error(`slapd did not write its pidfile in ${dir}`)
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    try {
      process.kill(pid, signal)
    } catch {
      return
    }
    for (let i = 0; i < 200 && isRunning(pid); i++) await new Promise((r) => setTimeout(r, 25))
  }
  const ldapadd = async (ldif: string): Promise<void> => {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('ldapadd', ['-x', '-H', url, '-D', ADMIN_DN, '-w', ADMIN_PASSWORD], {
        stdio: ['pipe', 'ignore', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      child.on('error', reject)
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ldapadd failed (${code}): ${stderr}`))))
      child.stdin.end(ldif)
    })
  }
  try {
    for (let i = 0; ; i++) {
      try {
        await run('ldapsearch', ['-x', '-H', url, '-b', '', '-s', 'base'])
        break
      } catch (error) {
        if (i > 100) throw error
        await new Promise((r) => setTimeout(r, 50))
      }
    }
    if (options.online) await ldapadd(options.online)
  } catch (error) {
    await stop()
    throw error
  }
  return {
    url,
    ldapsUrl,
    port,
    ldapsPort,
    pid,
    caPem: ca.caPem,
    caFile: join(ca.dir, 'ca.crt'),
    dir,
    ldapadd,
    stop,
    dispose: async () => {
      await stop()
      await rm(dir, { recursive: true, force: true })
      if (ownCa) await rm(ca.dir, { recursive: true, force: true })
    },
  }
}

/**
 * Resolves once some process holds an established TCP connection to 127.0.0.1:`port` (read from
 * /proc/net/tcp): lets a test act while a client is in the middle of talking to the server.
 */
export async function clientConnected(port: number, timeoutMs = 20_000): Promise<void> {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const table = await readFile('/proc/net/tcp', 'utf8')
    const connected = table.split('\n').some((line) => {
      const fields = line.trim().split(/\s+/)
      return fields[2]?.endsWith(hex) && fields[3] === '01'
    })
    if (connected) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`no client connected to 127.0.0.1:${port} within ${timeoutMs} ms`)
}
