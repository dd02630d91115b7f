/**
 * Benchmark of the directory phase alone: `npm run bench:directory -- N [runs]` (the sources, through Node's
 * type stripping and bench/umapi/ts-resolve.mjs, with `--expose-gc`).
 *
 * Writes a CSV of N users as `bench:sync` does (firstname, lastname, email, country, groups; 10 groups),
 * then, per run, reads it through the csv source as the core does (behind the plugin guard, with the
 * selection `ust sync --process-groups --users mapped` asks for) and maps it with `mapDirectoryUsers`.
 * Prints, per run: wall ms, CPU ms, GC ms, the heap held by the desired state once the read's garbage is
 * collected, and (last line) the median and the process's peak RSS. `--expose-gc` makes the retained
 * figure exact; without it that column is `-`.
 */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PerformanceObserver } from 'node:perf_hooks'
import type { Logger, PluginContext } from '@ust-sync/api'
import { makeConfig, makeOptions } from '../../test/sync/helpers.js'

// The sources (the build bundles the core: its modules are not files of their own in dist/).
const { mapDirectoryUsers } = await import('../../src/sync/mapping.js')
const { guardContribution } = await import('../../src/plugins/guard.js')
const { sourceSelection } = await import('../../src/run/run-sync.js')
const { csvSourceDefinition } = await import('../../plugins/csv/src/definition.js')

const n = Number(process.argv[2] ?? 100_000)
const runs = Number(process.argv[3] ?? 5)
if (!Number.isInteger(n) || n <= 0 || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run bench:directory -- N [runs]')
  process.exit(2)
}
const DEPTS = 10
// The same config and options shape the planner tests use; only what the directory phase reads matters here.
const config = makeConfig({
  file: '/bench/user-sync-config.yml',
  mappings: Object.fromEntries(
    Array.from({ length: DEPTS }, (_, d) => [`Dept ${d}`, [`Team ${d}`, `Product ${d} - Default`]]),
  ),
  adobeUsers: { updateAttributes: ['firstname', 'lastname'] },
  limits: { maxAdobeOnlyUsers: { kind: 'count', value: n } },
})
const options = makeOptions({
  users: { kind: 'mapped' },
  adobeOnlyUserAction: { kind: 'remove' },
  processGroups: true,
  updateUserInfo: true,
  connector: { id: 'csv' },
})

const dir = await mkdtemp(join(tmpdir(), 'ust-bench-dir-'))
// Written in chunks, so that generating a large file does not raise the peak RSS measured below.
await writeFile(join(dir, 'users.csv'), 'firstname,lastname,email,country,groups\n')
for (let from = 0; from < n; from += 10_000) {
  let chunk = ''
  for (let i = from; i < Math.min(n, from + 10_000); i++)
    chunk += `F${i},L${i},u${i}@example.com,US,Dept ${i % DEPTS}\n`
  await appendFile(join(dir, 'users.csv'), chunk)
}

const quiet = () => undefined
const logger: Logger = { debug: quiet, info: quiet, warn: quiet, error: quiet }
const context: PluginContext = {
  logger,
  clock: { now: () => Date.now(), sleep: async () => undefined },
  configDir: dir,
  dataDir: dir,
  userAgent: 'ust-sync/bench',
  tlsVerify: true,
}
const definition = guardContribution(csvSourceDefinition, '@ust-sync/plugin-csv')
const selection = sourceSelection(config, options)

let gcMs = 0
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration
}).observe({ entryTypes: ['gc'] })
const collect = (globalThis as { gc?: () => void }).gc
const settle = () => new Promise((resolve) => setImmediate(resolve))

/** As the core's readDesired: the read result is garbage once mapped. */
async function readDesired() {
  const before = process.cpuUsage()
  const read = await definition.create({ file_path: 'users.csv' }, context).read(selection)
  const readCpu = process.cpuUsage(before)
  readMs = (readCpu.user + readCpu.system) / 1000
  return mapDirectoryUsers(read.users, config, options)
}
let readMs = 0

let held: Awaited<ReturnType<typeof readDesired>> | undefined
const rows: Array<{ wall: number; cpu: number; read: number; gc: number; retained: number }> = []
for (let run = 0; run < runs; run++) {
  collect?.()
  await settle()
  const heapBefore = process.memoryUsage().heapUsed
  gcMs = 0
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  held = await readDesired()
  const wall = performance.now() - t0
  const cpuUsed = process.cpuUsage(cpu0)
  const cpu = (cpuUsed.user + cpuUsed.system) / 1000
  await settle()
  const gc = gcMs
  collect?.()
  const retained = collect ? (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 : Number.NaN
  if (held.users.length !== n) throw new Error(`expected ${n} desired users, got ${held.users.length}`)
  held = undefined
  rows.push({ wall, cpu, read: readMs, gc, retained })
  console.log(
    `run=${run + 1} users=${n} wallMs=${wall.toFixed(0)} cpuMs=${cpu.toFixed(0)} (read ${readMs.toFixed(0)}, map ${(cpu - readMs).toFixed(0)}) gcMs=${gc.toFixed(0)} retainedMiB=${collect ? retained.toFixed(1) : '-'}`,
  )
}
/** The first run is the CLI's case (cold code); the median is over the other runs when there are 3+. */
const warm = runs > 2 ? rows.slice(1) : rows
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
console.log(
  `median${runs > 2 ? ' (runs 2+)' : ''} users=${n} wallMs=${median(warm.map((r) => r.wall)).toFixed(0)} cpuMs=${median(warm.map((r) => r.cpu)).toFixed(0)} readCpuMs=${median(warm.map((r) => r.read)).toFixed(0)} gcMs=${median(warm.map((r) => r.gc)).toFixed(0)} retainedMiB=${collect ? median(warm.map((r) => r.retained)).toFixed(1) : '-'} peakRSS=${(process.resourceUsage().maxRSS / 1024).toFixed(0)}MiB`,
)
await rm(dir, { recursive: true, force: true })
