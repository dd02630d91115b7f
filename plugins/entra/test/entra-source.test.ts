import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { IdentitySourceDefinition } from '@ust-sync/api'
import { checkIdentitySource, checkPluginPackage } from '@ust-sync/plugin-testkit'
import { type FakeGraph, startFakeGraph } from '@ust-sync/test-servers'
import { entraSourceDefinition } from '../src/definition.js'
import register from '../src/register.js'
import { connectorFor, fastClock, recordingContext, seedTenant } from './helpers.js'

const PLUGIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SECRET = `graph-Secr3t+/=${randomBytes(8).toString('hex')}`
let graph: FakeGraph
const closed = new Set<FakeGraph>()
afterEach(async () => {
  if (!graph || closed.has(graph)) return
  closed.add(graph)
  await graph.close()
})

async function fake(options: Parameters<typeof startFakeGraph>[0] = {}): Promise<FakeGraph> {
  graph = await startFakeGraph({ clientSecret: SECRET, ...options })
  seedTenant(graph)
  return graph
}

const ALL = { groups: [], allUsers: true, extendedAttributes: [] }

describe('the entra plugin keeps the ust plugin contract (@ust-sync/plugin-testkit)', () => {
  it('package and registration', async () => {
    const report = await checkPluginPackage(PLUGIN, { register })
    expect(report.contributions.map((c) => [c.kind, c.id])).toEqual([['identitySource', 'entra']])
  })

  it('identity source: valid users, deterministic, every selection mode, failing reads throw, nothing leaks', async () => {
    await fake()
    const truncated = await startFakeGraph({ clientSecret: SECRET })
    const reset = await startFakeGraph({ clientSecret: SECRET })
    try {
      for (const g of [truncated, reset]) {
        for (let i = 0; i < 1000; i++)
          g.tenant.addUser({ userPrincipalName: `u${i}@example.com`, mail: `u${i}@example.com` })
      }
      truncated.faults.truncate({ endpoint: 'users', after: 1, times: 100 })
      reset.faults.reset({ endpoint: 'users', after: 1, times: 100 })
      const small = { server: { timeout: 5, retries: 2 } }
      const report = await checkIdentitySource(entraSourceDefinition as IdentitySourceDefinition, {
        config: connectorFor(graph),
        failingConfig: { ...connectorFor(graph), client_secret: 'not-the-secret' },
        failures: {
          'a truncated second page': connectorFor(truncated, small),
          'a connection reset on the second page': connectorFor(reset, small),
        },
        extendedAttributes: ['department'],
        secrets: [SECRET],
      })
      // A user carries only the selected groups it is in (Graph has no cheap "every group of every user"),
      // so a read of everyone has no groups to pick one from; group selection is tested below.
      expect(report.skipped).toEqual(['selection.groups (no user read has a group)'])
    } finally {
      await Promise.all([truncated.close(), reset.close()])
    }
  })
})

describe('entra source against the fake Graph', () => {
  it('--users all: every user through $select/$filter, paged with $top=999, templates applied', async () => {
    await fake()
    const { context, lines } = recordingContext()
    const source = entraSourceDefinition.create(
      connectorFor(graph, { all_users_filter: 'accountEnabled eq true' }),
      context,
    )
    const result = await source.read({ ...ALL, groups: ['Design', 'Nobody'] })
    expect(result.users.map((u) => [u.email, u.firstname, u.lastname, u.country, u.groups])).toEqual([
      ['ann.lee@example.com', 'Ann', 'Lee', 'US', ['Design']],
      ['bob.stone@example.com', 'Bob', 'Stone', 'GB', ['Design']],
      ['carl.gray@example.com', 'Carl', "O'Gray", 'DE', ['Design']],
    ])
    expect(result.warnings).toContain('No group found for: Nobody')
    expect(result.warnings.some((w) => w.includes('guest_x.com#EXT#'))).toBe(true)
    const users = graph.requests.find((r) => r.endpoint === 'users')
    expect(users?.query.$top).toBe('999')
    expect(users?.query.$filter).toBe('accountEnabled eq true')
    expect(users?.query.$select?.split(',')).toEqual(
      expect.arrayContaining(['id', 'mail', 'givenName', 'surname', 'usageLocation']),
    )
    const members = graph.requests.filter((r) => r.endpoint === 'members')
    expect(members.map((r) => r.path)).toEqual([expect.stringMatching(/\/transitiveMembers\/microsoft\.graph\.user$/)])
    expect(members[0]?.headers.consistencylevel).toBe('eventual')
    expect(members[0]?.query.$count).toBe('true')
    expect(lines.join('\n')).not.toContain(SECRET)
  })

  it('--users mapped: only members of the groups (nested ones included), with all_users_filter on the members', async () => {
    await fake()
    const { context } = recordingContext()
    const source = entraSourceDefinition.create(
      connectorFor(graph, { all_users_filter: 'accountEnabled eq true' }),
      context,
    )
    const result = await source.read({ groups: ['Marketing', 'design'], allUsers: false, extendedAttributes: [] })
    expect(result.users.map((u) => [u.email, u.groups])).toEqual([
      ['carl.gray@example.com', ['Marketing', 'design']],
      ['ann.lee@example.com', ['design']],
      ['bob.stone@example.com', ['design']],
    ])
  })

  it('follows @odata.nextLink to the last page: requests = the minimum at 999 a page', async () => {
    graph = await startFakeGraph()
    const ids = []
    for (let i = 0; i < 2100; i++)
      ids.push(graph.tenant.addUser({ userPrincipalName: `u${i}@example.com`, mail: `u${i}@example.com` }).id)
    graph.tenant.addGroup('All', ids)
    const { context } = recordingContext()
    const source = entraSourceDefinition.create(connectorFor(graph), context)
    const all = await source.read({ groups: ['All'], allUsers: true, extendedAttributes: [] })
    expect(all.users).toHaveLength(2100)
    expect(all.users.every((u) => u.groups[0] === 'All')).toBe(true)
    const counts: Record<string, number> = {}
    for (const r of graph.requests) counts[r.endpoint] = (counts[r.endpoint] ?? 0) + 1
    expect(counts).toEqual({ token: 1, users: 3, groups: 1, members: 3 })
  })

  it('honours 429 and 503 with Retry-After (fractional too), then reads everything', async () => {
    await fake()
    graph.faults.status(429, { endpoint: 'users', retryAfter: 1.5 }).status(503, { endpoint: 'members', retryAfter: 2 })
    const { context, lines } = recordingContext(fastClock(50))
    const result = await entraSourceDefinition.create(connectorFor(graph), context).read({ ...ALL, groups: ['Design'] })
    expect(result.users).toHaveLength(4)
    expect(lines.filter((l) => l.startsWith('warn: Graph'))).toEqual([
      expect.stringMatching(/^warn: Graph throttling: waiting 1\.5 s \(GET users page 1: HTTP 429 on try 1 of 3\)$/),
      expect.stringMatching(
        /^warn: Graph unavailable: waiting 2 s \(GET members page of group "Design" 1: HTTP 503 on try 1 of 3\)$/,
      ),
    ])
  })

  it('stops when Graph stays unavailable (SourceError, exit 6) or asks for a wait past max_retry_after', async () => {
    await fake()
    graph.faults.status(503, { endpoint: 'users', times: 10 })
    const { context } = recordingContext(fastClock(1000))
    await expect(entraSourceDefinition.create(connectorFor(graph), context).read(ALL)).rejects.toMatchObject({
      code: 'source.entra.unavailable',
      exitCode: 6,
    })
    graph.faults.clear()
    graph.faults.status(429, { endpoint: 'users', retryAfter: 3600 })
    await expect(entraSourceDefinition.create(connectorFor(graph), context).read(ALL)).rejects.toMatchObject({
      code: 'source.entra.retry-after-too-long',
    })
  })

  it('a wrong secret is a CredentialError (exit 3) naming the client, never the secret; a missing permission says which', async () => {
    await fake()
    const { context, lines } = recordingContext()
    const wrong = `${SECRET}-wrong`
    const error = await entraSourceDefinition
      .create({ ...connectorFor(graph), client_secret: wrong }, context)
      .read(ALL)
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'credential.entra.refused', exitCode: 3 })
    expect((error as Error).message).toContain('AADSTS7000215')
    expect((error as Error).message).toContain(graph.clientId)
    expect(JSON.stringify([error, (error as Error).message, lines])).not.toContain(wrong)
    closed.add(graph)
    await graph.close()
    graph = await startFakeGraph({ permissions: ['User.Read.All'] })
    graph.tenant.addGroup('Design')
    const denied = entraSourceDefinition.create(connectorFor(graph), context).read({ ...ALL, groups: ['Design'] })
    await expect(denied).rejects.toMatchObject({ code: 'credential.entra.permission', exitCode: 3 })
    await expect(denied).rejects.toThrow(/GroupMember\.Read\.All/)
  })

  it('a query Graph refuses (an advanced filter) is a ConfigError; with ne the advanced headers are sent', async () => {
    await fake()
    const { context } = recordingContext()
    const bad = entraSourceDefinition.create(connectorFor(graph, { all_users_filter: 'nonsense(' }), context)
    await expect(bad.read(ALL)).rejects.toMatchObject({ code: 'config.entra.query', exitCode: 2 })
    const ne = entraSourceDefinition.create(connectorFor(graph, { all_users_filter: "usageLocation ne 'GB'" }), context)
    const result = await ne.read(ALL)
    expect(result.users.map((u) => u.email)).not.toContain('bob.stone@example.com')
    const last = graph.requests.filter((r) => r.endpoint === 'users').at(-1)
    expect(last?.headers.consistencylevel).toBe('eventual')
  })

  it('a new token after a 401, and ust net check reports token, users and groups', async () => {
    await fake()
    const { context } = recordingContext()
    const source = entraSourceDefinition.create(connectorFor(graph), context)
    graph.faults.unauthorized({ endpoint: 'users' })
    expect((await source.read(ALL)).users).toHaveLength(4)
    expect(graph.stats.tokensIssued).toBe(2)
    const checks = await source.check?.()
    expect(checks?.map((c) => [c.name, c.status])).toEqual([
      ['Entra ID token', 'ok'],
      ['Graph users', 'ok'],
      ['Graph groups', 'ok'],
    ])
    expect(source.endpoints?.().map((e) => e.url)).toEqual([
      `${graph.url}/${graph.tenantId}/oauth2/v2.0/token`,
      `${graph.url}/v1.0`,
    ])
  })

  it('ust net check tries once: a throttled Graph is reported, not waited for', async () => {
    await fake()
    graph.faults.status(429, { endpoint: 'users', retryAfter: 120 })
    const { context } = recordingContext()
    const checks = await entraSourceDefinition.create(connectorFor(graph), context).check?.()
    expect(checks?.map((c) => [c.name, c.status])).toEqual([
      ['Entra ID token', 'ok'],
      ['Graph users', 'fail'],
    ])
    expect(checks?.[1]?.detail).toMatch(/HTTP 429/)
    expect(graph.requests.filter((r) => r.endpoint === 'users')).toHaveLength(1)
  })

  it('refuses additional_groups rules (memberGroups) with what to do', async () => {
    await fake()
    const { context } = recordingContext()
    await expect(
      entraSourceDefinition.create(connectorFor(graph), context).read({ ...ALL, memberGroups: true }),
    ).rejects.toMatchObject({ code: 'config.entra.additional-groups' })
  })
})
