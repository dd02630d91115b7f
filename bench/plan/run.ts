/**
 * Benchmark of mapping + planning: `npm run bench:plan -- N` (Node 24 type stripping), with the V8 young
 * generation and heap growth capped as `ust sync` runs (see bin/run.js).
 *
 * Generates N directory users and an org of N users with about 10% differences (new users, Adobe-only
 * users, changed names, group changes), then times `mapDirectoryUsers` + `planSync` + `applyLimits` and
 * prints N, seconds, peak RSS. With `--new`, the org is empty (a first run: N creates); with `--file`, the plan
 * is then written as `--plan-out` writes it and read back as `--plan` reads it, and both are timed (a
 * 2M-user plan must round-trip: `npm run bench:plan -- 2000000 --new --file`). The engine's sources import each other as `.js` (NodeNext); a resolve hook
 * maps those to the `.ts` files so Node can run them without a build.
 */
import { registerHooks } from 'node:module'
import type { DirectoryUser, TargetUser } from '@ust-sync/api'
import type { UstConfig } from '../../src/config/types.js'
import type { SyncOptions } from '../../src/sync/options.types.js'

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js'))
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
      throw error
    }
  },
})

const { mapDirectoryUsers } = await import('../../src/sync/mapping.js')
const { planSync } = await import('../../src/sync/planner.js')
const { applyLimits } = await import('../../src/sync/limits.js')

const n = Number(process.argv[2] ?? 100_000)
const allNew = process.argv.includes('--new')
const roundTrip = process.argv.includes('--file')
if (!Number.isInteger(n) || n <= 0) {
  console.error('usage: npx node bench/plan/run.ts N   (N: number of users, e.g. 100000)')
  process.exit(2)
}

const GROUPS = Array.from({ length: 20 }, (_, i) => `dept-${i}`)
/** Adobe group names, one string each, as a target's snapshot gives them (the UMAPI plugin interns group names). */
const ADOBE_GROUPS = Array.from({ length: 20 }, (_, i) => `Adobe Group ${i}`)
const config: UstConfig = {
  file: '/bench/user-sync-config.yml',
  files: [],
  adobeUsers: {
    excludeIdentityTypes: ['adobeID'],
    excludeAdobeGroups: ['_org_admin'],
    excludeUsers: [/svc-.*/],
    updateAttributes: ['firstname', 'lastname', 'email'],
    targets: [{ name: 'primary', pluginId: 'sandbox', files: [], values: {}, secrets: [] }],
  },
  directoryUsers: {
    userIdentityType: 'federatedID',
    defaultCountryCode: 'US',
    connectors: {},
    groups: GROUPS.map((g, i) => ({
      directoryGroup: g,
      adobeGroups: [{ target: 'primary', name: `Adobe Group ${i}` }],
    })),
    additionalGroups: [],
    autoCreateGroups: false,
  },
  limits: { maxAdobeOnlyUsers: { kind: 'percent', value: 20 }, groupRemovalsOnly: false, firstRunRemovalPercent: 10 },
  logging: {
    logToFile: false,
    fileLogDirectory: 'logs',
    fileLogNameFormat: '',
    fileLogLevel: 'info',
    consoleLogLevel: 'info',
    logProgress: false,
  },
  credentials: {},
  invocationDefaults: {},
}
const options: SyncOptions = {
  testMode: false,
  users: { kind: 'all' },
  adobeUsers: { kind: 'all' },
  adobeOnlyUserAction: { kind: 'remove' },
  processGroups: true,
  updateUserInfo: true,
  strategy: 'sync',
  connector: { id: 'ldap' },
  excludeUnmappedUsers: false,
  sslCertVerify: true,
}

const directory: DirectoryUser[] = []
const org: TargetUser[] = []
for (let i = 0; i < n; i++) {
  const email = `user${i}@example.com`
  const groups = [GROUPS[i % 20] as string, GROUPS[(i * 7) % 20] as string]
  const variant = i % 40
  // 2.5% only in the directory (new), 2.5% only in Adobe (Adobe-only), 2.5% renamed, 2.5% moved group.
  if (variant !== 1) directory.push({ email, groups, firstname: 'Given', lastname: `Family${i}`, country: 'US' })
  if (variant !== 0 && !allNew) {
    org.push({
      identityType: 'federatedID',
      email,
      username: email,
      domain: 'example.com',
      firstname: variant === 2 ? 'Old' : 'Given',
      lastname: `Family${i}`,
      country: 'US',
      groups:
        variant === 3
          ? [ADOBE_GROUPS[(i + 1) % 20] as string]
          : [ADOBE_GROUPS[i % 20] as string, ADOBE_GROUPS[(i * 7) % 20] as string],
    })
  }
}

const started = process.hrtime.bigint()
const desired = mapDirectoryUsers(directory, config, options)
const plan = applyLimits(
  planSync({ desired, snapshots: new Map([['primary', { users: org }]]), config, options }),
  config,
  options,
)
const seconds = Number(process.hrtime.bigint() - started) / 1e9
const commands = plan.targets.reduce((sum, t) => sum + t.commands.length, 0)
let file = ''
if (roundTrip) {
  const { mkdtemp, rm, stat } = await import('node:fs/promises')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const { readPlanFile, writePlanFile } = await import('../../src/run/plan-file.js')
  const dir = await mkdtemp(join(tmpdir(), 'ust-bench-plan-'))
  const path = join(dir, 'plan.json')
  const writeStarted = process.hrtime.bigint()
  const digest = await writePlanFile(path, plan, 'bench', Date.now())
  const written = Number(process.hrtime.bigint() - writeStarted) / 1e9
  const readStarted = process.hrtime.bigint()
  const read = await readPlanFile(path)
  const readSeconds = Number(process.hrtime.bigint() - readStarted) / 1e9
  const readCommands = read.plan.targets.reduce((sum, t) => sum + t.commands.length, 0)
  const ok = read.digest === digest && readCommands === commands
  file = ` planFileMiB=${((await stat(path)).size / 2 ** 20).toFixed(0)} write=${written.toFixed(2)}s read=${readSeconds.toFixed(2)}s roundTrip=${ok ? 'ok' : 'WRONG'}`
  await rm(dir, { recursive: true, force: true })
}
const rssMiB = process.resourceUsage().maxRSS / 1024

console.log(
  `N=${n} seconds=${seconds.toFixed(3)} peakRSS=${rssMiB.toFixed(0)}MiB commands=${commands} limitExceeded=${plan.limit?.exceeded ?? false}${file}`,
)
