/**
 * End-to-end sync benchmark: `npm run build && npm run bench:sync -- N [runs]`.
 *
 * For each run: generates a CSV directory of N users and a fake UMAPI org (@ust-sync/test-servers, over HTTPS
 * with a throw-away CA) holding the same people with the performance round's mix — 85% unchanged, 10% with an
 * outdated first name, 5% missing (to create), plus 5% of N Adobe-only users (to remove) — with the fake's
 * request limits generous and the same limits declared in the connector's `server.rate_limits`. Then runs
 * the built CLI as a subprocess, as a user would:
 *
 *   ust sync --process-groups --update-user-info --adobe-only-user-action remove
 *
 * checks that the org ends exactly right (every directory user present with the right names, country and
 * direct groups; no Adobe-only user left; nothing else) and prints one line per run:
 *
 *   users=N seconds=S peakRSS=MiB requests=R state=ok|WRONG
 *
 * followed by `cpu=S` (the CLI's user + system CPU seconds: steadier than wall time on a busy machine),
 * `fakeCpu=S` (this process's CPU while the CLI ran, i.e. the fake UMAPI's: it shares the machine's cores)
 * and, with several runs, a `median` line. Peak RSS is the CLI process's (GNU time's %M), wall time is measured
 * around the subprocess. Exit code 1 when any run ends in a wrong state or the CLI fails.
 * `UST_BENCH_KEEP=1` keeps the generated directory and the CLI's stdout (its log) and stderr (path printed).
 */
import { spawn } from 'node:child_process'
import { openSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestCa, type FakeUmapi, startFakeUmapi, type TestCa } from '@ust-sync/test-servers'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The CLI under test; `UST_BENCH_BIN=/other/checkout/bin/run.js` measures another build (before/after). */
const BIN = process.env.UST_BENCH_BIN ?? join(ROOT, 'bin/run.js')
const n = Number(process.argv[2] ?? 1000)
const runs = Number(process.argv[3] ?? 1)
if (!Number.isInteger(n) || n < 20 || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run bench:sync -- N [runs]   (N ≥ 20 users, e.g. 100000; runs ≥ 1, default 1)')
  process.exit(2)
}
const DEPTS = 10
/** Generous limits, declared identically to the fake and in the connector: pacing never waits. */
const LIMIT = 1_000_000
/** Extra Node flags for the CLI (given as NODE_OPTIONS), e.g. `UST_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'`. */
const nodeArgs = (process.env.UST_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
const FLAGS = ['--process-groups', '--update-user-info', '--adobe-only-user-action', 'remove']

/** What user `i` of the directory is in the mix: by i mod 20, 17 unchanged, 2 renamed, 1 new. */
const kindOf = (i: number): 'same' | 'rename' | 'create' => {
  const r = i % 20
  return r < 17 ? 'same' : r < 19 ? 'rename' : 'create'
}
const adobeOnlyCount = Math.round(n * 0.05)
const team = (d: number): string => `Team ${d}`
const profile = (d: number): string => `Product ${d} - Default`

async function writeInputs(dir: string, fake: FakeUmapi): Promise<void> {
  const groups = Array.from(
    { length: DEPTS },
    (_, d) => `    - directory_group: Dept ${d}\n      adobe_groups:\n        - ${team(d)}\n        - ${profile(d)}\n`,
  ).join('')
  await writeFile(
    join(dir, 'user-sync-config.yml'),
    `adobe_users:
  connectors:
    umapi: connector-umapi.yml
  update_attributes: [firstname, lastname]
directory_users:
  user_identity_type: federatedID
  default_country_code: US
  connectors:
    csv: connector-csv.yml
  groups:
${groups}limits:
  max_adobe_only_users: ${adobeOnlyCount + 1}
invocation_defaults:
  connector: csv
  users: mapped
`,
  )
  await writeFile(join(dir, 'connector-csv.yml'), 'file_path: users.csv\n')
  await writeFile(
    join(dir, 'connector-umapi.yml'),
    `authentication_method: oauth
server:
  host: ${fake.url}
  auth_host: ${fake.url}
  rate_limits: { action: ${LIMIT}, users: ${LIMIT}, users_in_group: ${LIMIT}, groups: ${LIMIT} }
  rate_window_seconds: 60
enterprise:
  org_id: ${JSON.stringify(fake.orgId)}
  client_id: ${fake.clientId}
  client_secret: ${fake.clientSecret}
`,
  )
  const lines = ['firstname,lastname,email,country,groups']
  for (let i = 0; i < n; i++) lines.push(`F${i},L${i},u${i}@example.com,US,Dept ${i % DEPTS}`)
  await writeFile(join(dir, 'users.csv'), `${lines.join('\n')}\n`)
}

function seedOrg(fake: FakeUmapi): void {
  for (let d = 0; d < DEPTS; d++) {
    fake.org.addUserGroup(team(d))
    fake.org.addProductProfile(profile(d), { productName: `Product ${d}` })
  }
  for (let i = 0; i < n; i++) {
    const kind = kindOf(i)
    if (kind === 'create') continue
    fake.org.addUser({
      email: `u${i}@example.com`,
      firstname: kind === 'rename' ? `Old${i}` : `F${i}`,
      lastname: `L${i}`,
      country: 'US',
      groups: [team(i % DEPTS), profile(i % DEPTS)],
    })
  }
  for (let j = 0; j < adobeOnlyCount; j++) {
    fake.org.addUser({
      email: `gone${j}@example.com`,
      firstname: 'Gone',
      lastname: `G${j}`,
      country: 'US',
      groups: [team(j % DEPTS)],
    })
  }
}

/** Differences between the org and the exact expected state (first few, and how many). */
function checkState(fake: FakeUmapi): string[] {
  const problems: string[] = []
  const users = fake.org.users()
  if (users.length !== n) problems.push(`${users.length} users in the org, expected ${n}`)
  const seen = new Set<number>()
  for (const user of users) {
    const match = /^u(\d+)@example\.com$/.exec(user.email)
    const i = match ? Number(match[1]) : -1
    if (i < 0 || i >= n) {
      problems.push(`unexpected user ${user.email}`)
      continue
    }
    seen.add(i)
    const groups = fake.org.groupsOf(user, { directOnly: true }).sort().join('|')
    const expected = [profile(i % DEPTS), team(i % DEPTS)].sort().join('|')
    if (
      user.status !== 'active' ||
      user.type !== 'federatedID' ||
      user.firstname !== `F${i}` ||
      user.lastname !== `L${i}` ||
      user.country !== 'US' ||
      groups !== expected
    )
      problems.push(`${user.email}: ${JSON.stringify({ ...user, groups })}`)
  }
  if (seen.size !== n) problems.push(`${n - seen.size} directory users missing`)
  return problems
}

/** Runs the built CLI under GNU time; resolves with wall seconds, peak RSS (KiB), exit code and stderr. */
function runCli(
  dir: string,
  ca: TestCa,
): Promise<{ seconds: number; rssKiB: number; cpu: number; code: number; stderr: string }> {
  const timeFile = join(dir, 'time.out')
  const started = performance.now()
  const child = spawn(
    '/usr/bin/time',
    ['-f', '%M %U %S', '-o', timeFile, BIN, 'sync', '-c', join(dir, 'user-sync-config.yml'), ...FLAGS],
    {
      cwd: dir,
      env: {
        ...process.env,
        // Started as a user starts it: the script itself, so its `#!/usr/bin/env -S node …` line (heap flags) is
        // read, with this Node first on the PATH.
        PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
        NODE_OPTIONS: nodeArgs.join(' '),
        NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
        // A CA bundle this machine's environment may name is not the benchmark's business (~20 ms to load).
        REQUESTS_CA_BUNDLE: '',
        HTTPS_PROXY: '',
        https_proxy: '',
        NO_PROXY: '127.0.0.1,localhost',
      },
      // UST_BENCH_KEEP keeps the CLI's log (stdout) too: its timestamps give the phases.
      stdio: ['ignore', process.env.UST_BENCH_KEEP ? openSync(join(dir, 'stdout.log'), 'w', 0o600) : 'ignore', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr?.on('data', (d) => (stderr += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', async (code) => {
      const seconds = (performance.now() - started) / 1000
      const [rssKiB = Number.NaN, user = Number.NaN, system = Number.NaN] = (
        (await readFile(timeFile, 'utf8')).trim().split('\n').pop() ?? ''
      )
        .split(' ')
        .map(Number)
      resolve({ seconds, rssKiB, cpu: user + system, code: code ?? -1, stderr })
    })
  })
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const ca = createTestCa()
const results: { seconds: number; rss: number; requests: number; cpu: number; fakeCpu: number }[] = []
let failed = false
try {
  for (let run = 0; run < runs; run++) {
    const dir = await mkdtemp(join(tmpdir(), 'ust-bench-sync-'))
    const fake = await startFakeUmapi({
      tls: { key: ca.keyPem, cert: ca.certPem },
      limits: { action: LIMIT, users: LIMIT, usersInGroup: LIMIT, user: LIMIT, groups: LIMIT },
    })
    try {
      seedOrg(fake)
      await writeInputs(dir, fake)
      const cpuBefore = process.cpuUsage()
      const cli = await runCli(dir, ca)
      const fakeUsage = process.cpuUsage(cpuBefore)
      const fakeCpu = (fakeUsage.user + fakeUsage.system) / 1e6
      const problems = cli.code === 0 ? checkState(fake) : [`ust exited ${cli.code}`]
      const requests = fake.requests.length
      const rss = cli.rssKiB / 1024
      results.push({ seconds: cli.seconds, rss, requests, cpu: cli.cpu, fakeCpu })
      console.log(
        `users=${n} seconds=${cli.seconds.toFixed(2)} peakRSS=${rss.toFixed(0)} requests=${requests} state=${problems.length ? 'WRONG' : 'ok'} cpu=${cli.cpu.toFixed(2)} fakeCpu=${fakeCpu.toFixed(2)}`,
      )
      if (problems.length) {
        failed = true
        console.error(`  ${problems.length} problem(s), first: ${problems.slice(0, 5).join('\n  ')}`)
        console.error(cli.stderr.split('\n').slice(-20).join('\n'))
      }
      if (process.env.UST_BENCH_KEEP) {
        await writeFile(join(dir, 'stderr.log'), cli.stderr)
        console.error(`  kept ${dir}`)
      }
    } finally {
      await fake.close()
      if (!process.env.UST_BENCH_KEEP) await rm(dir, { recursive: true, force: true })
    }
  }
} finally {
  await rm(ca.dir, { recursive: true, force: true })
}
if (runs > 1) {
  console.log(
    `median users=${n} seconds=${median(results.map((r) => r.seconds)).toFixed(2)} peakRSS=${median(results.map((r) => r.rss)).toFixed(0)} requests=${median(results.map((r) => r.requests))} cpu=${median(results.map((r) => r.cpu)).toFixed(2)} fakeCpu=${median(results.map((r) => r.fakeCpu)).toFixed(2)} runs=${runs}`,
  )
}
process.exitCode = failed ? 1 : 0
