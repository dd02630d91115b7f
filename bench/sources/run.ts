// npm run bench:sources -- [N] [source…]: each identity source reads N users (default 100,000) in 200
// groups from its fake server, in a fresh process per source. Prints one line per source:
//   source=… users=N seconds=S users/s=R requests=Q peakRSS=M
// seconds time the read alone (the fake is seeded first); peakRSS is the process's, fake server included.
import { spawnSync } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'

const SOURCES: Record<string, string> = { entra: './entra.ts', adobe_console: './adobe-console.ts' }

interface Measured {
  users: number
  requests: number
  minimum: number
  seconds: number
  throttled: number
}

if (process.argv[2] === '--child') {
  const [, , , name = '', n = '0'] = process.argv
  const module = (await import(SOURCES[name] ?? '')) as { bench(n: number): Promise<Measured> }
  const result = await module.bench(Number(n))
  console.log(JSON.stringify({ ...result, peakRSS: process.resourceUsage().maxRSS * 1024 }))
} else {
  const n = Number(process.argv[2] ?? 100_000)
  const names = process.argv.slice(3).length > 0 ? process.argv.slice(3) : Object.keys(SOURCES)
  for (const name of names) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--child', name, String(n)],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    )
    if (child.status !== 0) {
      console.error(`source=${name} failed:\n${child.stderr}`)
      process.exitCode = 1
      continue
    }
    const m = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Measured & { peakRSS: number }
    const rate = Math.round(m.users / m.seconds)
    console.log(
      `source=${name} users=${m.users} seconds=${m.seconds.toFixed(2)} users/s=${rate} requests=${m.requests} peakRSS=${Math.round(m.peakRSS / 1048576)}MiB` +
        ` (minimum requests ${m.minimum}, 429s ${m.throttled}, load ${loadavg()[0]?.toFixed(2)})`,
    )
    if (m.requests !== m.minimum || m.throttled > 0 || m.users !== n) {
      console.error(`source=${name}: expected ${n} users in ${m.minimum} requests without a 429`)
      process.exitCode = 1
    }
  }
}
