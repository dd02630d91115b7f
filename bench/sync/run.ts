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
 * The inputs and the expected state are bench/shared/sync-mix.ts (shared with bench:vs-ust).
 * `UST_BENCH_KEEP=1` keeps the generated directory and the CLI's stdout (its log) and stderr (path printed).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestCa, type FakeUmapi, startFakeUmapi } from '@ust-sync/test-servers'
import {
  checkState,
  GENEROUS_LIMIT,
  GENEROUS_LIMITS,
  type Mix,
  mainConfig,
  seedOrg,
  umapiConnector,
  usersCsv,
} from '../shared/sync-mix.js'
import { median, timedRun, ustScriptEnv } from '../shared/timed-run.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The CLI under test; `UST_BENCH_BIN=/other/checkout/bin/run.js` measures another build (before/after). */
const BIN = process.env.UST_BENCH_BIN ?? join(ROOT, 'bin/run.js')
const n = Number(process.argv[2] ?? 1000)
const runs = Number(process.argv[3] ?? 1)
if (!Number.isInteger(n) || n < 20 || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run bench:sync -- N [runs]   (N ≥ 20 users, e.g. 100000; runs ≥ 1, default 1)')
  process.exit(2)
}
const mix: Mix = { n, groups: 10, directoryGroup: (d) => `Dept ${d}` }
/** Extra Node flags for the CLI (as NODE_OPTIONS), e.g. `UST_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'`. */
const nodeArgs = (process.env.UST_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
const FLAGS = ['--process-groups', '--update-user-info', '--adobe-only-user-action', 'remove']

async function writeInputs(dir: string, fake: FakeUmapi): Promise<void> {
  await writeFile(
    join(dir, 'user-sync-config.yml'),
    mainConfig(
      mix,
      { umapi: 'connector-umapi.yml', directory: { csv: 'connector-csv.yml' } },
      { connector: 'csv', users: 'mapped' },
    ),
  )
  await writeFile(join(dir, 'connector-csv.yml'), 'file_path: users.csv\n')
  // The same generous limits in the connector's pacing as in the fake: pacing never waits.
  await writeFile(join(dir, 'connector-umapi.yml'), umapiConnector(fake, { rateLimit: GENEROUS_LIMIT }))
  await writeFile(join(dir, 'users.csv'), usersCsv(mix))
}

/** Runs the built CLI under GNU time. */
function runCli(dir: string, caFile: string) {
  return timedRun(BIN, ['sync', '-c', join(dir, 'user-sync-config.yml'), ...FLAGS], {
    cwd: dir,
    env: {
      ...ustScriptEnv(process.env, nodeArgs),
      NODE_EXTRA_CA_CERTS: caFile,
      // A CA bundle this machine's environment may name is not the benchmark's business (~20 ms to load).
      REQUESTS_CA_BUNDLE: '',
      HTTPS_PROXY: '',
      https_proxy: '',
      NO_PROXY: '127.0.0.1,localhost',
    },
    // UST_BENCH_KEEP keeps the CLI's log (stdout) too: its timestamps give the phases.
    ...(process.env.UST_BENCH_KEEP ? { stdoutFile: join(dir, 'stdout.log') } : {}),
  })
}

const ca = createTestCa()
const results: { seconds: number; rss: number; requests: number; cpu: number; fakeCpu: number }[] = []
let failed = false
try {
  for (let run = 0; run < runs; run++) {
    const dir = await mkdtemp(join(tmpdir(), 'ust-bench-sync-'))
    const fake = await startFakeUmapi({
      tls: { key: ca.keyPem, cert: ca.certPem },
      limits: GENEROUS_LIMITS,
    })
    try {
      seedOrg(fake, mix)
      await writeInputs(dir, fake)
      const cpuBefore = process.cpuUsage()
      const cli = await runCli(dir, join(ca.dir, 'ca.crt'))
      const fakeUsage = process.cpuUsage(cpuBefore)
      const fakeCpu = (fakeUsage.user + fakeUsage.system) / 1e6
      const problems = cli.code === 0 ? checkState(fake, mix) : [`ust exited ${cli.code}`]
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
