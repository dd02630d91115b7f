/**
 * ust against UST 2.10 on the same inputs: `npm run build && npm run bench:vs-ust -- N [--rerun] [--ldap] [runs]`.
 *
 * Builds UST 2.10 once (build-ust210.sh: user-sync.py v2.10.0rc2 + umapi-client 3.0.1 on Debian's python3;
 * `UST_DIR` names the build to reuse or make), then for each run, strictly alternating UST 2.10 then ust,
 * starts a fresh fake UMAPI over HTTPS (limits out of the way) holding bench:sync's org mix (bench/shared/
 * sync-mix.ts: 85% unchanged, 10% outdated first name, 5% to create, 5% of N Adobe-only users to remove),
 * writes UST's config files for it and runs the tool as a subprocess, as a user would:
 *
 *   <tool> sync -c <config> --connector csv users.csv --users mapped \
 *     --process-groups --update-user-info --adobe-only-user-action remove
 *
 * `--ldap` loads a throwaway slapd once with the N people in 200 groups (memberOf on the users; not timed)
 * and runs both with `--connector ldap --users mapped` instead. `--rerun` runs each tool once on its fake
 * to converge (not measured) and measures the second, no-change run on the same fake.
 *
 * Both tools read the same folder (users.csv, connector-csv.yml or connector-ldap.yml, connector-umapi.yml
 * and user-sync-config.yml, in UST's shapes); ust's main config differs in one line only, naming a copy of
 * connector-umapi.yml with `server.rate_limits` at the fake's generous limits: ust paces itself to UMAPI's
 * published limits by default and UST 2.10 does not pace at all (it rejects the key as unknown).
 *
 * Per run and tool, one line with the wall time around the subprocess, the tool process's user+system CPU
 * and peak RSS (GNU time), the requests the fake answered (by endpoint), and whether the org ended exactly
 * as expected; then per tool the medians
 *
 *   tool=ust|ust210 users=N wall=S cpu=S peakRSS=MiB requests=R state=ok|WRONG
 *
 * and `ratio ust/ust210 cpu=X rss=Y wall=Z`. Exit code 1 when any state is WRONG (a tool failing included).
 * `UST_BENCH_BIN` runs another ust build; `UST_BENCH_KEEP=1` keeps every run's folder and the tools' logs;
 * `UST_BENCH_NODE_ARGS` gives ust's Node more arguments (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  ADMIN_DN,
  ADMIN_PASSWORD,
  createTestCa,
  type FakeUmapi,
  type Slapd,
  startFakeUmapi,
  startSlapd,
  SUFFIX,
} from '@ust-sync/test-servers'
import { directoryLdif } from '../shared/ldif.js'
import {
  checkState,
  GENEROUS_LIMIT,
  GENEROUS_LIMITS,
  type Mix,
  mainConfig,
  person,
  seedOrg,
  umapiConnector,
  usersCsv,
} from '../shared/sync-mix.js'
import { median, type TimedRun, timedRun, ustScriptEnv } from '../shared/timed-run.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const UST_BIN = process.env.UST_BENCH_BIN ?? join(ROOT, 'bin/run.js')
const KEEP = Boolean(process.env.UST_BENCH_KEEP)
const NODE_ARGS = (process.env.UST_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)

const args = process.argv.slice(2)
const rerun = args.includes('--rerun')
const ldap = args.includes('--ldap')
const [nArg, runsArg, ...extra] = args.filter((a) => !a.startsWith('--'))
const n = Number(nArg ?? 1000)
const runs = Number(runsArg ?? 3)
if (
  !Number.isInteger(n) ||
  n < 20 ||
  !Number.isInteger(runs) ||
  runs < 1 ||
  extra.length > 0 ||
  args.some((a) => a.startsWith('--') && a !== '--rerun' && a !== '--ldap')
) {
  console.error('usage: npm run bench:vs-ust -- N [--rerun] [--ldap] [runs]   (N ≥ 20 users; runs ≥ 1, default 3)')
  process.exit(2)
}

type Tool = 'ust210' | 'ust'
const TOOLS: Tool[] = ['ust210', 'ust']
const mix: Mix = { n, groups: ldap ? 200 : 10, directoryGroup: (d) => `Dept ${d}` }
const SYNC_FLAGS = ['--process-groups', '--update-user-info', '--adobe-only-user-action', 'remove']
const SOURCE_FLAGS = ldap
  ? ['--connector', 'ldap', '--users', 'mapped']
  : ['--connector', 'csv', 'users.csv', '--users', 'mapped']

/** Builds UST 2.10 unless `UST_DIR` (or the default cache) holds a build; returns its `user-sync` path. */
function buildUst210(): string {
  const script = fileURLToPath(new URL('build-ust210.sh', import.meta.url))
  const built = spawnSync('sh', [script], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
  const bin = built.stdout.trim().split('\n').pop() ?? ''
  if (built.status !== 0 || !bin) {
    console.error(`build-ust210.sh failed (exit ${built.status}); see above`)
    process.exit(1)
  }
  return bin
}

/** Files holding a secret are the owner's only, as UST's and ust's documentation ask (ust warns otherwise). */
const SECRET = { mode: 0o600 }

async function writeInputs(dir: string, fake: FakeUmapi, slapd: Slapd | undefined): Promise<void> {
  const directory: Record<string, string> = ldap ? { ldap: 'connector-ldap.yml' } : { csv: 'connector-csv.yml' }
  await writeFile(join(dir, 'user-sync-config.yml'), mainConfig(mix, { umapi: 'connector-umapi.yml', directory }))
  await writeFile(join(dir, 'ust-config.yml'), mainConfig(mix, { umapi: 'connector-umapi-ust.yml', directory }))
  await writeFile(join(dir, 'connector-umapi.yml'), umapiConnector(fake), SECRET)
  await writeFile(join(dir, 'connector-umapi-ust.yml'), umapiConnector(fake, { rateLimit: GENEROUS_LIMIT }), SECRET)
  if (slapd) {
    await writeFile(
      join(dir, 'connector-ldap.yml'),
      `host: ${slapd.url}
base_dn: ${SUFFIX}
username: ${ADMIN_DN}
password: ${ADMIN_PASSWORD}
search_page_size: 1000
all_users_filter: "(objectClass=inetOrgPerson)"
group_filter_format: "(&(objectClass=groupOfNames)(cn={group}))"
group_member_filter_format: "(memberOf={group_dn})"
user_email_format: "{mail}"
`,
      SECRET,
    )
  } else {
    await writeFile(join(dir, 'connector-csv.yml'), 'file_path: users.csv\n')
    await writeFile(join(dir, 'users.csv'), usersCsv(mix))
  }
}

/** One run of `tool` in `dir` against the fake whose CA is `caFile`. */
function runTool(tool: Tool, ust210: string, dir: string, caFile: string, log: string): Promise<TimedRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HTTPS_PROXY: '',
    https_proxy: '',
    HTTP_PROXY: '',
    http_proxy: '',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  }
  const options = { cwd: dir, stdoutFile: join(dir, `${log}.log`) }
  if (tool === 'ust210') {
    // requests (urllib3) trusts exactly this bundle; nothing else of the environment's Python setup applies.
    const pyEnv = { ...env, REQUESTS_CA_BUNDLE: caFile, PYTHONPATH: '', PYTHONHOME: '' }
    return timedRun(ust210, ['sync', '-c', 'user-sync-config.yml', ...SOURCE_FLAGS, ...SYNC_FLAGS], {
      ...options,
      env: pyEnv,
    })
  }
  return timedRun(UST_BIN, ['sync', '-c', 'ust-config.yml', ...SOURCE_FLAGS, ...SYNC_FLAGS], {
    ...options,
    env: { ...ustScriptEnv(env, NODE_ARGS), NODE_EXTRA_CA_CERTS: caFile, REQUESTS_CA_BUNDLE: '' },
  })
}

/** Requests the fake answered from index `from` on, counted by endpoint. */
function byEndpoint(fake: FakeUmapi, from: number): string {
  const counts = new Map<string, number>()
  for (const r of fake.requests.slice(from)) counts.set(r.endpoint, (counts.get(r.endpoint) ?? 0) + 1)
  return [...counts].map(([k, v]) => `${k}=${v}`).join(' ')
}

/** Canonical JSON: keys sorted, lists of strings (group names) sorted, `requestID` dropped. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    const items = value.map(canonical)
    return `[${(value.every((v) => typeof v === 'string') ? items.sort() : items).join(',')}]`
  }
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([k]) => k !== 'requestID')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`
  return JSON.stringify(value)
}

/**
 * A digest of the commands the tool sent (every action entry, canonical, sorted): equal digests mean the
 * same changes asked of the org, whatever the order and the batching.
 */
function commandsDigest(fake: FakeUmapi, from: number): string {
  const entries: string[] = []
  for (const r of fake.requests.slice(from))
    if (r.endpoint === 'action' && Array.isArray(r.body)) for (const entry of r.body) entries.push(canonical(entry))
  return createHash('sha256').update(entries.sort().join('\n')).digest('hex').slice(0, 12)
}

interface Measured {
  seconds: number
  cpu: number
  rss: number
  /** Seconds the directory read took, from the tool's own log (UST 2.10's to the second); NaN if not found. */
  read: number
  requests: number
  ok: boolean
}

/**
 * The directory read's duration from a tool's log: ust logs `Read N directory users from 'ID' in S s`;
 * UST 2.10 logs `Start Load from Directory` and `End Load from Directory` with timestamps to the second.
 */
async function readSeconds(tool: Tool, logFile: string): Promise<number> {
  const log = await readFile(logFile, 'utf8')
  if (tool === 'ust') return Number(/Read \d+ directory users from '[^']*' in ([\d.]+) s/.exec(log)?.[1] ?? Number.NaN)
  const at = (marker: string): number => {
    const stamp = new RegExp(`^(\\S+ \\S+) .*${marker}`, 'm').exec(log)?.[1]
    return stamp ? Date.parse(`${stamp.replace(' ', 'T')}Z`) / 1000 : Number.NaN
  }
  return at('End Load from Directory') - at('Start Load from Directory')
}

const ust210 = buildUst210()
const ca = createTestCa()
const caFile = join(ca.dir, 'ca.crt')
const results: Record<Tool, Measured[]> = { ust210: [], ust: [] }
let slapd: Slapd | undefined
try {
  if (ldap) {
    const loadStarted = Date.now()
    slapd = await startSlapd({
      offline: directoryLdif(
        n,
        mix.groups,
        (i) => {
          const p = person(i)
          return {
            uid: `u${i}`,
            cn: `${p.firstname} ${p.lastname}`,
            givenName: p.firstname,
            sn: p.lastname,
            mail: p.email,
          }
        },
        mix.directoryGroup,
      ),
    })
    console.error(
      `loaded ${n} users in ${mix.groups} groups into slapd in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s (not timed)`,
    )
  }
  for (let run = 1; run <= runs; run++) {
    for (const tool of TOOLS) {
      const dir = await mkdtemp(join(tmpdir(), `ust-bench-vs-${tool}-`))
      const fake = await startFakeUmapi({ tls: { key: ca.keyPem, cert: ca.certPem }, limits: GENEROUS_LIMITS })
      try {
        seedOrg(fake, mix)
        await writeInputs(dir, fake, slapd)
        const problems: string[] = []
        if (rerun) {
          const first = await runTool(tool, ust210, dir, caFile, 'converge')
          if (first.code !== 0) problems.push(`converging run exited ${first.code}: ${first.stderr.slice(-2000)}`)
          else problems.push(...checkState(fake, mix).map((p) => `after the converging run: ${p}`))
        }
        const from = fake.requests.length
        const measured = await runTool(tool, ust210, dir, caFile, rerun ? 'rerun' : 'run')
        if (measured.code !== 0) problems.push(`${tool} exited ${measured.code}: ${measured.stderr.slice(-2000)}`)
        else problems.push(...checkState(fake, mix))
        const requests = fake.requests.length - from
        const rss = measured.rssKiB / 1024
        const read = await readSeconds(tool, join(dir, `${rerun ? 'rerun' : 'run'}.log`))
        const ok = problems.length === 0
        results[tool].push({ seconds: measured.seconds, cpu: measured.cpu, rss, read, requests, ok })
        console.log(
          `run=${run} tool=${tool} users=${n} wall=${measured.seconds.toFixed(2)} cpu=${measured.cpu.toFixed(2)} peakRSS=${rss.toFixed(0)} read=${read.toFixed(2)} requests=${requests} state=${problems.length ? 'WRONG' : 'ok'} commands=${commandsDigest(fake, from)} (${byEndpoint(fake, from)})`,
        )
        if (problems.length)
          console.error(`  ${problems.length} problem(s), first: ${problems.slice(0, 5).join('\n  ')}`)
        if (KEEP) {
          await writeFile(join(dir, `${tool}.stderr`), measured.stderr)
          await writeFile(join(dir, 'requests.json'), JSON.stringify(fake.requests.slice(from), null, 1))
          console.error(`  kept ${dir}`)
        }
      } finally {
        await fake.close()
        if (!KEEP) await rm(dir, { recursive: true, force: true })
      }
    }
  }
} finally {
  await slapd?.dispose()
  await rm(ca.dir, { recursive: true, force: true })
}

const medians = {} as Record<Tool, { seconds: number; cpu: number; rss: number; read: number }>
for (const tool of TOOLS) {
  const list = results[tool]
  const m = {
    seconds: median(list.map((r) => r.seconds)),
    cpu: median(list.map((r) => r.cpu)),
    rss: median(list.map((r) => r.rss)),
    read: median(list.map((r) => r.read)),
  }
  medians[tool] = m
  console.log(
    `tool=${tool} users=${n} wall=${m.seconds.toFixed(2)} cpu=${m.cpu.toFixed(2)} peakRSS=${m.rss.toFixed(0)} read=${readText(m.read)} requests=${median(list.map((r) => r.requests))} state=${list.every((r) => r.ok) ? 'ok' : 'WRONG'}`,
  )
}
const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) : 'n/a')

/** A read's duration and rate; UST 2.10 logs to the second, so a read under one second shows as 0 there. */
function readText(seconds: number): string {
  return seconds > 0 ? `${seconds.toFixed(2)} (${Math.round(n / seconds)} users/s)` : "<1 (below the log's resolution)"
}
console.log(
  `ratio ust/ust210 cpu=${ratio(medians.ust.cpu, medians.ust210.cpu)} rss=${ratio(medians.ust.rss, medians.ust210.rss)} wall=${ratio(medians.ust.seconds, medians.ust210.seconds)} read=${ratio(medians.ust.read, medians.ust210.read)}`,
)
console.log(
  `(${ldap ? 'ldap, 200 groups' : 'csv, 10 groups'}; ${rerun ? 'no-change second run' : 'first run'}; medians of ${runs}; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')})`,
)
process.exitCode = TOOLS.every((tool) => results[tool].every((r) => r.ok)) ? 0 : 1
