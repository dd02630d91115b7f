// The adobe_console source's read of N users in 200 user groups from a fake UMAPI org (plain HTTP on
// 127.0.0.1, 2,000 users a page, UMAPI's documented per-client limits enforced with the minute compressed
// by TIME_FACTOR, for the fake and the client alike). Selection: the 200 mapped groups (UST reads every
// user of the org and keeps the groups' members).
import type { PluginContext } from '@ust-sync/api'
import { consoleSourceDefinition } from '../../plugins/umapi/src/console/console-definition.js'
import { startFakeUmapi } from '@ust-sync/test-servers'

export const GROUPS = 200
const PAGE = 2000
/** 60: UMAPI's one-minute windows last one second (as in bench:umapi). */
export const TIME_FACTOR = Number(process.env.BENCH_TIME_FACTOR ?? 60)
const quiet = () => undefined

/** The fewest requests: a token, one groups page (400 groups a page), ⌈n/2000⌉ users pages. */
export function minimumRequests(n: number): number {
  return 1 + Math.max(1, Math.ceil(GROUPS / 400)) + Math.max(1, Math.ceil(n / PAGE))
}

/** Reads `n` users in {@link GROUPS} user groups; returns what was read, the requests the fake saw and the read's time. */
export async function bench(
  n: number,
): Promise<{ users: number; requests: number; minimum: number; seconds: number; throttled: number }> {
  const windowMs = 60_000 / TIME_FACTOR
  const fake = await startFakeUmapi({ windowMs, retryAfterSeconds: 60 / TIME_FACTOR, pageSize: { users: PAGE } })
  try {
    for (let g = 0; g < GROUPS; g++) fake.org.addUserGroup(`group${g}`)
    for (let i = 0; i < n; i++)
      fake.org.addUser({
        email: `user${i}@example.com`,
        firstname: 'User',
        lastname: `Number ${i}`,
        country: 'US',
        groups: [`group${i % GROUPS}`],
      })
    const context: PluginContext = {
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
      configDir: '.',
      dataDir: '.',
      userAgent: 'bench',
      tlsVerify: true,
    }
    const source = consoleSourceDefinition.create(
      {
        authentication_method: 'oauth',
        server: { host: fake.url, auth_host: fake.url, rate_window_seconds: windowMs / 1000 },
        integration: { org_id: fake.orgId, client_id: fake.clientId, client_secret: fake.clientSecret },
      },
      context,
    )
    const groups = Array.from({ length: GROUPS }, (_, g) => `group${g}`)
    const started = performance.now()
    const { users } = await source.read({ groups, allUsers: false, extendedAttributes: [] })
    const seconds = (performance.now() - started) / 1000
    return {
      users: users.length,
      requests: fake.requests.length,
      minimum: minimumRequests(n),
      seconds,
      throttled: fake.tooManyRequests(),
    }
  } finally {
    await fake.close()
  }
}
