// npm run bench:sources -- [N] [source…]: N users (default 100,000) in 200 groups loaded into each source's
// fake directory (not timed), then every group's members read through the real source in a fresh child
// process (timed; the child's peak RSS is the source's alone). Prints one line per source:
// source=<id> users=N seconds=S users/s=R requests=Q peakRSS=M
// and fails when a source sent more requests than its page size needs or went over the fake's rate limit.
// Sources whose fake runs in the measuring process itself (entra, adobe_console: peak RSS includes the
// fake) are in IN_PROCESS: their module's bench(n) seeds, reads and counts in one child.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import tls from 'node:tls'
import { fileURLToPath } from 'node:url'
import { createTestCa } from '@ust-sync/test-servers'
import { SOURCE_BENCHES } from './registry.js'
import type { BenchRead, SourceBench } from './types.js'

const GROUPS = 200

/** What an in-process bench module (`bench(n)`) reports. */
interface InProcessRead {
  users: number
  requests: number
  minimum: number
  seconds: number
  throttled: number
}
const IN_PROCESS: Record<string, string> = { entra: './entra.ts', adobe_console: './adobe-console.ts' }

/** Child mode of an in-process bench: seed its fake, read once, print the result as JSON. */
async function measureInProcess(name: string, n: number): Promise<void> {
  const module = (await import(IN_PROCESS[name] ?? '')) as { bench(n: number): Promise<InProcessRead> }
  const read = await module.bench(n)
  console.log(JSON.stringify({ ...read, peak: process.resourceUsage().maxRSS / 1024 }))
}

async function runInProcess(name: string, count: number): Promise<boolean> {
  const child = await run(process.execPath, [
    ...process.execArgv,
    fileURLToPath(import.meta.url),
    '--child',
    name,
    String(count),
  ])
  if (child.status !== 0) throw new Error(`${name}: the read failed: ${child.stderr}`)
  const r = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as InProcessRead & { peak: number }
  console.log(
    `source=${name} users=${r.users} seconds=${r.seconds.toFixed(2)} users/s=${Math.round(r.users / r.seconds)} requests=${r.requests} peakRSS=${r.peak.toFixed(0)}MiB (with its fake)`,
  )
  const problems: string[] = []
  if (r.users !== count) problems.push(`read ${r.users} users, expected ${count}`)
  if (r.requests !== r.minimum) problems.push(`sent ${r.requests} requests; the page size allows ${r.minimum}`)
  if (r.throttled > 0) problems.push(`${r.throttled} requests were refused with 429`)
  for (const problem of problems) console.error(`${name}: ${problem}`)
  return problems.length === 0
}

function benchOf(name: string): SourceBench {
  const bench = SOURCE_BENCHES.find((b) => b.source === name)
  if (!bench)
    throw new Error(
      `no benchmark for source ${name} (known: ${[...SOURCE_BENCHES.map((b) => b.source), ...Object.keys(IN_PROCESS)].join(', ')})`,
    )
  return bench
}

/** Child mode: trust the CA, read once, print the result as JSON. */
async function measure(name: string, setupJson: string, caFile: string): Promise<void> {
  const { readFileSync } = await import('node:fs')
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), readFileSync(caFile, 'utf8')])
  const started = performance.now()
  const read: BenchRead = await benchOf(name).read(JSON.parse(setupJson) as Record<string, unknown>, GROUPS)
  const seconds = (performance.now() - started) / 1000
  console.log(JSON.stringify({ ...read, seconds, peak: process.resourceUsage().maxRSS / 1024 }))
}

async function runOne(
  bench: SourceBench,
  count: number,
  caDir: string,
  ca: Parameters<SourceBench['start']>[2],
): Promise<boolean> {
  const loading = Date.now()
  const server = await bench.start(count, GROUPS, ca)
  console.error(
    `${bench.source}: ${count} users in ${GROUPS} groups loaded in ${((Date.now() - loading) / 1000).toFixed(1)} s (not timed)`,
  )
  try {
    // Asynchronously: the fake answers from this process's event loop.
    const child = await run(process.execPath, [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--measure',
      bench.source,
      JSON.stringify(server.setup),
      join(caDir, 'ca.crt'),
    ])
    if (child.status !== 0) throw new Error(`${bench.source}: the read failed: ${child.stderr}`)
    const r = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as BenchRead & {
      seconds: number
      peak: number
    }
    console.log(
      `source=${bench.source} users=${r.users} seconds=${r.seconds.toFixed(2)} users/s=${Math.round(r.users / r.seconds)} requests=${r.requests} peakRSS=${r.peak.toFixed(0)}MiB`,
    )
    const problems = server.problems()
    if (r.users !== count || r.withGroups !== count)
      problems.push(`read ${r.users} users (${r.withGroups} with groups), expected ${count}`)
    if (r.requests !== server.minimumRequests)
      problems.push(`sent ${r.requests} requests; the page size allows ${server.minimumRequests}`)
    for (const problem of problems) console.error(`${bench.source}: ${problem}`)
    return problems.length === 0
  } finally {
    await server.close()
  }
}

function run(command: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure')
    return measure(process.argv[3] ?? '', process.argv[4] ?? '{}', process.argv[5] ?? '')
  if (process.argv[2] === '--child') return measureInProcess(process.argv[3] ?? '', Number(process.argv[4]))
  const count = Number(process.argv[2] ?? 100_000)
  const given = process.argv.slice(3)
  const names = given.length > 0 ? given : [...SOURCE_BENCHES.map((b) => b.source), ...Object.keys(IN_PROCESS)]
  const ca = createTestCa()
  let ok = true
  try {
    for (const name of names)
      ok = (name in IN_PROCESS ? await runInProcess(name, count) : await runOne(benchOf(name), count, ca.dir, ca)) && ok
  } finally {
    rmSync(ca.dir, { recursive: true, force: true })
  }
  console.error(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  if (!ok) process.exitCode = 1
}

await main()
