/**
 * UMAPI target benchmark: syncs 20,000 directory users into a fake org that holds 10,000 of them (30% of
 * those need changes) through `Target.apply`, with UMAPI's per-minute limits compressed by a time factor.
 *
 *   npx tsc -p tsconfig.build.json     # once, for ust-sync/api
 *   npx node --experimental-transform-types --import ./bench/umapi/ts-resolve.mjs bench/umapi/run.ts [timeFactor]
 *
 * timeFactor (default 60) divides the 60 s window of both the fake and the client: 60 → 1 s windows. Each
 * window loses one request latency (slots count from the response end, the safe side), so a larger factor
 * understates the achieved rate a little (the fake answers a 10-entry POST in a few ms: ~98% measured).
 * Targets: requests = computed minimum, zero 429s, achieved action rate ≥ 90% of the limit.
 */
import type { PlannedCommand, PluginContext, UserCommand } from '@ust-sync/api'
import { startFakeUmapi } from '@ust-sync/test-servers'
import { minimumRequestCount } from '../../plugins/umapi/src/apply/pack-requests.js'
import { parseUmapiSettings } from '../../plugins/umapi/src/config/umapi-settings.js'
import { UmapiTarget } from '../../plugins/umapi/src/umapi-target.js'

const timeFactor = Number(process.argv[2] ?? 60)
const windowMs = 60_000 / timeFactor
const EXISTING = 10_000
const NEW = 10_000
const USER_GROUPS = Array.from({ length: 20 }, (_, i) => `Team ${i}`)
const PROFILES = Array.from({ length: 5 }, (_, i) => `Product ${i} - Default`)

const fake = await startFakeUmapi({ windowMs, retryAfterSeconds: 60 / timeFactor, claimedDomains: ['example.com'] })
for (const g of PROFILES) fake.org.addProductProfile(g, { productName: g })
for (const g of USER_GROUPS) fake.org.addUserGroup(g)
for (let i = 0; i < EXISTING; i++) {
  fake.org.addUser({
    email: `u${i}@example.com`,
    firstname: 'F',
    lastname: `L${i}`,
    country: 'US',
    groups: [USER_GROUPS[i % 20]!, PROFILES[i % 5]!],
  })
}

const ref = (i: number): UserCommand['user'] => ({
  identityType: 'federatedID',
  email: `u${i}@example.com`,
  username: `u${i}@example.com`,
  domain: 'example.com',
})
const plan: PlannedCommand[] = []
// 30% of the existing users change: 1500 join one more team, 500 leave theirs, 500 get a new name,
// 500 change team and product at once.
for (let i = 0; i < EXISTING * 0.3; i++) {
  const id = `umapi:${plan.length}`
  if (i < 1500) plan.push({ kind: 'user', id, user: ref(i), addGroups: [USER_GROUPS[(i + 1) % 20]!] })
  else if (i < 2000) plan.push({ kind: 'user', id, user: ref(i), removeGroups: [USER_GROUPS[i % 20]!] })
  else if (i < 2500) plan.push({ kind: 'user', id, user: ref(i), update: { lastname: `Renamed${i}` } })
  else
    plan.push({
      kind: 'user',
      id,
      user: ref(i),
      removeGroups: [USER_GROUPS[i % 20]!],
      addGroups: [USER_GROUPS[(i + 3) % 20]!, PROFILES[(i + 1) % 5]!],
    })
}
for (let i = EXISTING; i < EXISTING + NEW; i++) {
  plan.push({
    kind: 'user',
    id: `umapi:${plan.length}`,
    user: ref(i),
    create: { firstname: 'N', lastname: `${i}`, country: 'US', onConflict: 'ignore' },
    addGroups: [USER_GROUPS[i % 20]!, PROFILES[i % 5]!],
  })
}

const warnings: string[] = []
const context: PluginContext = {
  logger: { debug: () => {}, info: () => {}, warn: (m) => void warnings.push(m), error: (m) => void warnings.push(m) },
  clock: { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
  configDir: process.cwd(),
  dataDir: process.cwd(),
  userAgent: 'ust-sync/bench',
  tlsVerify: true,
}
const settings = parseUmapiSettings({
  authentication_method: 'oauth',
  server: { host: fake.url, auth_host: fake.url, rate_window_seconds: windowMs / 1000 },
  enterprise: { org_id: fake.orgId, client_id: fake.clientId, client_secret: fake.clientSecret },
})
const target = new UmapiTarget(settings, context)

const started = performance.now()
const snapshot = await target.snapshot({ includeGroups: true })
const applyStarted = performance.now()
const results = await target.apply(plan, { testOnly: false })
const finished = performance.now()

const userGroups = new Set(
  (snapshot.groups ?? []).filter((g) => g.type === 'userGroup').map((g) => g.name.toLowerCase()),
)
const actions = fake.requests.filter((r) => r.endpoint === 'action')
const minimum = minimumRequestCount(plan, userGroups)
const applySeconds = (finished - applyStarted) / 1000
const limitPerSecond = settings.rateLimits.action / (windowMs / 1000)
// The first `limit` requests go out at once (empty window); the rate is measured over the rest.
const paced = actions.length - settings.rateLimits.action
const spanSeconds = (actions[actions.length - 1]!.time - actions[settings.rateLimits.action]!.time) / 1000
const achieved = paced > 0 && spanSeconds > 0 ? paced / spanSeconds : NaN
const failed = results.filter((r) => r.status === 'failed')
const wrong = fake.org.users().length !== EXISTING + NEW

console.log(
  `UMAPI target benchmark (time factor ${timeFactor}: window ${windowMs} ms, action limit ${settings.rateLimits.action}/window)`,
)
console.log(
  `  plan                 ${plan.length} commands (${NEW} creates, ${EXISTING * 0.3} changes of existing users)`,
)
console.log(
  `  snapshot             ${snapshot.users.length} users, ${snapshot.groups?.length} groups in ${((applyStarted - started) / 1000).toFixed(1)} s`,
)
console.log(
  `  action requests      ${actions.length} sent, computed minimum ${minimum}${actions.length === minimum ? ' (= minimum)' : ' (ABOVE MINIMUM)'}`,
)
console.log(`  429 answers          ${fake.tooManyRequests()}`)
console.log(
  `  achieved rate        ${achieved.toFixed(2)} req/s vs limit ${limitPerSecond.toFixed(2)} req/s (${((achieved / limitPerSecond) * 100).toFixed(1)}%)`,
)
console.log(
  `  results              ${results.length - failed.length} done, ${failed.length} failed${wrong ? ' — ORG STATE WRONG' : ''}`,
)
console.log(`  wall time            ${((finished - started) / 1000).toFixed(1)} s (apply ${applySeconds.toFixed(1)} s)`)
console.log(`  peak RSS             ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`)
if (warnings.length) console.log(`  warnings             ${warnings.length}, first: ${warnings[0]}`)
await fake.close()
const ok =
  actions.length === minimum &&
  fake.tooManyRequests() === 0 &&
  achieved >= 0.9 * limitPerSecond &&
  failed.length === 0 &&
  !wrong
process.exitCode = ok ? 0 : 1
