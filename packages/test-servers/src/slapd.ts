import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createTestCa, type TestCa } from './umapi/index.js'
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
  /**
   * Resolves when the server next answers a search — one page of a paged search counts — with exactly
   * `entries` entries (any number when absent), read from slapd's own log; rejects if slapd exits first.
   * Call it before starting the client: answers logged earlier do not count.
   */
  searchAnswered(options?: { entries?: number }): Promise<void>
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
  /** Demand a client certificate issued by the CA in this PEM file on every TLS connection (mutual TLS). */
  clientCaFile?: string
}

function slapdConf(dir: string, ca: TestCa, sizeLimit: number | undefined, clientCaFile?: string): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile ${dir}/slapd.pid
argsfile ${dir}/slapd.args
TLSCACertificateFile ${clientCaFile ?? `${ca.dir}/ca.crt`}${clientCaFile ? '\nTLSVerifyClient demand' : ''}
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

/** One `SEARCH RESULT` line of slapd's stats log: a search (or one page of a paged search) answered. */
const SEARCH_RESULT = /\bconn=(\d+) op=(\d+) SEARCH RESULT tag=101 err=(\d+) .*\bnentries=(\d+)/

/** Reads slapd's stderr line by line: keeps the last lines (for errors) and wakes tests waiting for a search result. */
function watchLog(child: ChildProcess): { tail(): string; searchAnswered: Slapd['searchAnswered'] } {
  const last: string[] = []
  const waiting = new Set<{ entries: number | undefined; resolve(): void; reject(error: Error): void }>()
  let pending = ''
  let ended = false
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n')
    pending = lines.pop()!
    for (const line of lines) {
      last.push(line)
      if (last.length > 20) last.shift()
      const result = SEARCH_RESULT.exec(line)
      if (!result) continue
      for (const waiter of waiting) {
        if (waiter.entries !== undefined && Number(result[4]) !== waiter.entries) continue
        waiting.delete(waiter)
        waiter.resolve()
      }
    }
  })
  child.once('exit', (code, signal) => {
    ended = true
    for (const waiter of waiting) waiter.reject(new Error(`slapd exited (${signal ?? code}) before answering a search`))
    waiting.clear()
  })
  // A test process that ends without dispose() does not wait for slapd (it dies on its next write to the pipe).
  child.unref()
  ;(child.stderr as unknown as { unref(): void }).unref()
  return {
    tail: () => last.join('\n'),
    searchAnswered: (options = {}) =>
      ended
        ? Promise.reject(new Error('slapd is not running'))
        : new Promise<void>((resolve, reject) => {
            waiting.add({ entries: options.entries, resolve, reject })
          }),
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
  await writeFile(conf, slapdConf(dir, ca, options.sizeLimit, options.clientCaFile))
  if (options.offline) {
    await writeFile(join(dir, 'offline.ldif'), options.offline)
    await run('slapadd', ['-q', '-f', conf, '-l', join(dir, 'offline.ldif')], { maxBuffer: 1 << 24 })
  }
  const port = await freePort()
  const ldapsPort = await freePort()
  const url = `ldap://127.0.0.1:${port}`
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`
  // In the foreground with the `stats` log on stderr: one line per operation, so a test can wait for
  // what the server did (a page answered) rather than for time to pass.
  const child = spawn('slapd', ['-f', conf, '-h', `${url}/ ${ldapsUrl}/`, '-d', 'stats'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const log = watchLog(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let pid = 0
  for (let i = 0; i < 100 && !pid && child.exitCode === null; i++) {
    pid = Number((await readFile(join(dir, 'slapd.pid'), 'utf8').catch(() => '')).trim()) || 0
    if (!pid) await new Promise((r) => setTimeout(r, 50))
  }
  if (!pid) {
    child.kill('SIGKILL')
    throw new Error(`slapd did not start in ${dir}:\n${log.tail()}`)
  }
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      // Held while waiting, so that a process with nothing else to do (a benchmark's end) sees it go.
      child.ref()
      child.kill(signal)
    }
    await exited
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
    searchAnswered: log.searchAnswered,
    stop,
    dispose: async () => {
      await stop()
      await rm(dir, { recursive: true, force: true })
      if (ownCa) await rm(ca.dir, { recursive: true, force: true })
    },
  }
}
