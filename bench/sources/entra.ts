// The entra source's read of N users in 200 groups from the fake Graph (plain HTTP on 127.0.0.1, the
// documented large-tenant budget of 8,000 resource units per 10 s enforced; the source paces itself to
// its default 3,500). Selection: the 200 mapped groups (`--users mapped`): each group found by name, its
// transitive members read 999 a page.
import type { PluginContext } from '@ust-sync/api'
import { entraSourceDefinition } from '../../plugins/entra/src/definition.js'
import { startFakeGraph } from '@ust-sync/test-servers'

export const GROUPS = 200
const PAGE = 999
const quiet = () => undefined

/** The fewest requests the read can take: a token, one lookup per group, ⌈members/999⌉ pages per group. */
export function minimumRequests(n: number): number {
  let pages = 0
  for (let g = 0; g < GROUPS; g++) pages += Math.max(1, Math.ceil(Math.ceil((n - g) / GROUPS) / PAGE))
  return 1 + GROUPS + pages
}

/** Reads `n` users in {@link GROUPS} groups; returns what was read, the requests the fake saw and the read's time. */
export async function bench(
  n: number,
): Promise<{ users: number; requests: number; minimum: number; seconds: number; throttled: number }> {
  const graph = await startFakeGraph({ throttle: { resourceUnits: 8000, windowMs: 10_000 } })
  try {
    const members: string[][] = Array.from({ length: GROUPS }, () => [])
    for (let i = 0; i < n; i++) {
      const user = graph.tenant.addUser({
        userPrincipalName: `user${i}@bench.example`,
        mail: `user${i}@bench.example`,
        givenName: 'User',
        surname: `Number ${i}`,
        usageLocation: 'US',
      })
      members[i % GROUPS]?.push(user.id)
    }
    for (const [g, ids] of members.entries()) graph.tenant.addGroup(`group${g}`, ids)
    const context: PluginContext = {
      logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
      clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
      configDir: '.',
      dataDir: '.',
      userAgent: 'bench',
      tlsVerify: true,
    }
    const source = entraSourceDefinition.create(
      {
        tenant_id: graph.tenantId,
        client_id: graph.clientId,
        client_secret: graph.clientSecret,
        authority_host: graph.url,
        graph_host: graph.url,
      },
      context,
    )
    const groups = Array.from({ length: GROUPS }, (_, g) => `group${g}`)
    const started = performance.now()
    const { users } = await source.read({ groups, allUsers: false, extendedAttributes: [] })
    const seconds = (performance.now() - started) / 1000
    return {
      users: users.length,
      requests: graph.requests.length,
      minimum: minimumRequests(n),
      seconds,
      throttled: graph.stats.throttled,
    }
  } finally {
    await graph.close()
  }
}
