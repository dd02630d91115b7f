// npm run bench:ldap -- [N] [runs]: N users (default 100,000) in 200 groups loaded into a throwaway slapd
// with slapadd (not timed; memberOf written into the LDIF), then the LDAP source's read timed in a fresh
// process per run: all users (--users all), then the 200 mapped groups with memberships (memberOf filter).
// Prints one line per mode: users=N seconds=S users/s=R peakRSS=M (medians over the runs).
import { execFile } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { ldapSourceDefinition } from '../../plugins/ldap/src/definition.js'
import { ADMIN_DN, ADMIN_PASSWORD, startSlapd, SUFFIX } from '@ust-sync/test-servers'
import { directoryLdif } from '../shared/ldif.js'

const GROUPS = 200
const quiet = () => undefined

/** Person n: uid user<n>, "User" "Number <n>", user<n>@bench.example; groups group0…group199. */
const ldif = (users: number): string =>
  directoryLdif(
    users,
    GROUPS,
    (n) => ({ uid: `user${n}`, cn: `User ${n}`, givenName: 'User', sn: `Number ${n}`, mail: `user${n}@bench.example` }),
    (g) => `group${g}`,
  )

/** Child mode: one timed read, printed as JSON. */
async function measure(url: string, mode: 'all' | 'mapped'): Promise<void> {
  const source = ldapSourceDefinition.create(
    {
      host: url,
      base_dn: SUFFIX,
      username: ADMIN_DN,
      password: ADMIN_PASSWORD,
      search_page_size: 1000,
      all_users_filter: '(objectClass=inetOrgPerson)',
    },
    {
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      clock: { now: Date.now, sleep: async () => undefined },
      configDir: '.',
      dataDir: '.',
      userAgent: 'bench',
      tlsVerify: true,
    },
  )
  const groups = mode === 'mapped' ? Array.from({ length: GROUPS }, (_, g) => `group${g}`) : []
  const started = performance.now()
  const { users } = await source.read({ groups, allUsers: mode === 'all', extendedAttributes: [] })
  const seconds = (performance.now() - started) / 1000
  const withGroups = users.filter((u) => u.groups.length > 0).length
  const usage = process.resourceUsage()
  const cpu = (usage.userCPUTime + usage.systemCPUTime) / 1e6
  console.log(JSON.stringify({ users: users.length, withGroups, seconds, peak: usage.maxRSS / 1024, cpu }))
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3]!, process.argv[4] as 'all' | 'mapped')
  const count = Number(process.argv[2] ?? 100_000)
  const runs = Number(process.argv[3] ?? 3)
  const loadStarted = Date.now()
  const slapd = await startSlapd({ offline: ldif(count) })
  console.error(
    `loaded ${count} users in ${GROUPS} groups into slapd in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s (not timed)`,
  )
  try {
    for (const mode of ['all', 'mapped'] as const) {
      const results: { users: number; withGroups: number; seconds: number; peak: number; cpu: number }[] = []
      for (let run = 0; run < runs; run++) {
        // Asynchronously: slapd logs to a pipe this process drains, and a blocked event loop would let
        // that pipe fill and slapd stall mid-search (the 200 group searches log more than a pipe holds).
        const child = await promisify(execFile)(
          process.execPath,
          [...process.execArgv, fileURLToPath(import.meta.url), '--measure', slapd.url, mode],
          { encoding: 'utf8', maxBuffer: 1 << 20 },
        ).catch((e: { stderr?: string }) => {
          throw new Error(`measure ${mode} failed: ${e.stderr ?? String(e)}`)
        })
        results.push(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}'))
      }
      const users = results[0]!.users
      if (users !== count) throw new Error(`read ${users} users, expected ${count}`)
      if (mode === 'mapped' && results[0]!.withGroups !== count) throw new Error('memberships missing')
      const seconds = median(results.map((r) => r.seconds))
      const peak = median(results.map((r) => r.peak))
      const cpu = median(results.map((r) => r.cpu))
      console.log(
        `users=${users} seconds=${seconds.toFixed(2)} users/s=${Math.round(users / seconds)} peakRSS=${peak.toFixed(0)}MiB (${mode === 'all' ? '--users all' : `${GROUPS} mapped groups`}; median of ${runs}; client CPU ${cpu.toFixed(2)} s; load average ${loadavg()[0]!.toFixed(1)})`,
      )
    }
  } finally {
    await slapd.dispose()
  }
}

await main()
