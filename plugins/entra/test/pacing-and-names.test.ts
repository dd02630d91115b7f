import { afterEach, describe, expect, it } from 'vitest'
import { type FakeGraph, startFakeGraph } from '@ust-sync/test-servers'
import { entraSourceDefinition } from '../src/definition.js'
import { connectorFor, fastClock, recordingContext } from './helpers.js'

let graph: FakeGraph
afterEach(async () => graph?.close())

describe('entra source: pacing and group names', () => {
  it('paces itself within server.resource_units per window, so the budget Graph enforces is never exceeded', async () => {
    // The fake and the source share one clock, 100 times faster than real time.
    const clock = fastClock(100)
    graph = await startFakeGraph({ throttle: { resourceUnits: 10, windowMs: 10_000 }, now: clock.now })
    for (let g = 0; g < 4; g++) {
      const user = graph.tenant.addUser({ userPrincipalName: `u${g}@example.com`, mail: `u${g}@example.com` })
      graph.tenant.addGroup(`G${g}`, [user.id])
    }
    const { context, lines } = recordingContext(clock)
    const source = entraSourceDefinition.create(
      connectorFor(graph, { server: { timeout: 5, retries: 1, resource_units: 10, window_seconds: 10 } }),
      context,
    )
    // 4 lookups of 1 unit and 4 members pages of 4 units: 20 units, more than one window holds.
    const result = await source.read({ groups: ['G0', 'G1', 'G2', 'G3'], allUsers: false, extendedAttributes: [] })
    expect(result.users).toHaveLength(4)
    expect(graph.stats.throttled).toBe(0)
    expect(lines.filter((l) => l.includes('Graph pacing: waiting')).length).toBeGreaterThanOrEqual(1)
  })

  it('finds groups whose names hold quotes and URL characters, and reads every group sharing a display name', async () => {
    graph = await startFakeGraph()
    const t = graph.tenant
    const ann = t.addUser({ userPrincipalName: 'ann@example.com', mail: 'ann@example.com' })
    const bob = t.addUser({ userPrincipalName: 'bob@example.com', mail: 'bob@example.com' })
    t.addGroup("R&D's #1 team", [ann.id])
    t.addGroup('Twins', [ann.id])
    t.addGroup('Twins', [bob.id])
    const { context } = recordingContext()
    const source = entraSourceDefinition.create(connectorFor(graph), context)
    const result = await source.read({ groups: ["R&D's #1 team", 'twins'], allUsers: false, extendedAttributes: [] })
    expect(result.users.map((u) => [u.email, u.groups])).toEqual([
      ['ann@example.com', ["R&D's #1 team", 'twins']],
      ['bob@example.com', ['twins']],
    ])
    expect(result.warnings).toEqual(['2 Entra groups are named "twins": the members of all of them are read'])
    const lookup = graph.requests.find((r) => r.endpoint === 'groups')
    expect(lookup?.query.$filter).toBe("displayName eq 'R&D''s #1 team'")
  })
})
