import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { PlannedCommand, UserCommand } from '@ust-sync/api'
import type { ActionEntry } from '../src/apply/action-entry.js'
import { minimumRequestCount, packCommands, type Packing } from '../src/apply/pack-requests.js'
import { plannedCommands, USER_GROUPS } from './helpers/plan-arbitraries.js'

const userGroups = new Set(USER_GROUPS.map((g) => g.toLowerCase()))
const lower = (s: string): string => s.toLowerCase()
const uniq = (xs: readonly string[]): string[] => [...new Set(xs)]
const validGroupName = (name: string): boolean => name.trim() !== '' && !name.startsWith('_') && name.length <= 255

/** Checks every UMAPI payload limit and step-order rule on a packing. */
function assertWithinLimits(packing: Packing): void {
  const ids: string[] = []
  for (const request of packing.requests) {
    expect(request.entries.length).toBeGreaterThan(0)
    expect(request.entries.length).toBeLessThanOrEqual(10)
    for (const entry of request.entries) {
      ids.push(entry.requestID)
      expect('user' in entry !== 'usergroup' in entry).toBe(true)
      if ('user' in entry && entry.domain !== undefined) expect(entry.user).not.toContain('@')
      expect(entry.do.length).toBeGreaterThan(0)
      expect(entry.do.length).toBeLessThanOrEqual(10)
      entry.do.forEach((step, i) => {
        const [name, body] = Object.entries(step)[0]!
        expect(Object.keys(step)).toHaveLength(1)
        if (['createEnterpriseID', 'createFederatedID', 'addAdobeID', 'createUserGroup'].includes(name))
          expect(i).toBe(0)
        if (name === 'removeFromOrg') expect(i).toBe(entry.do.length - 1)
        if ((name === 'add' || name === 'remove') && body !== 'all') {
          for (const list of Object.values(body as Record<string, string[]>)) {
            expect(list.length).toBeGreaterThan(0)
            expect(list.length).toBeLessThanOrEqual(10)
            expect(new Set(list).size).toBe(list.length)
          }
        }
      })
    }
  }
  expect(ids).toEqual(ids.map((_, i) => `action_${i + 1}`))
}

/** What one planned command asks for, in comparable form. */
interface Changes {
  root: string
  create?: string
  update?: string
  removeAll?: boolean
  removes: string[]
  adds: string[]
  removeFromOrg?: boolean
  createGroup?: string
}

function expectedRoot(c: UserCommand): string {
  const { identityType, email, username, domain } = c.user
  if (identityType === 'adobeID') return `adobe:${lower(email)}`
  if (!username.includes('@')) return `user:${lower(username)}@@${lower(domain)}`
  return `user:${lower(email)}`
}

function entryRoot(entry: ActionEntry): string {
  if ('usergroup' in entry) return `group:${lower(entry.usergroup)}`
  if (entry.useAdobeID) return `adobe:${lower(entry.user)}`
  return entry.domain !== undefined ? `user:${lower(entry.user)}@@${lower(entry.domain)}` : `user:${lower(entry.user)}`
}

/** The planned changes, normalised (group names lower-cased, lists de-duplicated and sorted). */
function expectedChanges(commands: readonly PlannedCommand[]): Map<string, Changes> {
  const out = new Map<string, Changes>()
  for (const c of commands) {
    if (c.kind === 'createGroup') {
      if (validGroupName(c.name))
        out.set(c.id, { root: `group:${lower(c.name)}`, removes: [], adds: [], createGroup: c.name })
      continue
    }
    const changes: Changes = { root: expectedRoot(c), removes: [], adds: [] }
    const createName = { adobeID: 'addAdobeID', enterpriseID: 'createEnterpriseID', federatedID: 'createFederatedID' }[
      c.user.identityType
    ]
    if (c.create)
      changes.create = JSON.stringify([
        createName,
        c.user.email,
        c.create.country,
        c.create.firstname,
        c.create.lastname,
        c.create.onConflict === 'update' ? 'updateIfAlreadyExists' : 'ignoreIfAlreadyExists',
      ])
    const update = Object.fromEntries(Object.entries(c.update ?? {}).filter(([, v]) => v !== undefined))
    if (Object.keys(update).length > 0) changes.update = JSON.stringify(update)
    if (c.removeGroups === 'all') changes.removeAll = true
    else changes.removes = uniq((c.removeGroups ?? []).map(lower)).sort()
    changes.adds = uniq((c.addGroups ?? []).map(lower)).sort()
    if (c.removeFromOrg) changes.removeFromOrg = c.removeFromOrg.deleteAccount
    const empty =
      !changes.create &&
      !changes.update &&
      !changes.removeAll &&
      changes.removes.length === 0 &&
      changes.adds.length === 0 &&
      changes.removeFromOrg === undefined
    if (!empty) out.set(c.id, changes)
  }
  return out
}

/** Rebuilds each command's changes from the requests alone (plus the step → command provenance). */
function unpack(packing: Packing, commands: readonly PlannedCommand[]): Map<string, Changes> {
  const emailOf = new Map(commands.flatMap((c) => (c.kind === 'user' ? [[c.id, c.user.email] as const] : [])))
  const out = new Map<string, Changes>()
  const get = (id: string, root: string): Changes => {
    let c = out.get(id)
    if (!c) out.set(id, (c = { root, removes: [], adds: [] }))
    expect(c.root).toBe(root)
    return c
  }
  for (const request of packing.requests) {
    request.entries.forEach((entry, e) => {
      entry.do.forEach((step, s) => {
        const ids = request.sources[e]![s]!
        const [name, body] = Object.entries(step)[0]! as [string, unknown]
        if ('usergroup' in entry && (name === 'add' || name === 'remove')) {
          const users = (body as { user: string[] }).user
          expect(users).toHaveLength(ids.length)
          users.forEach((email, i) => {
            const id = ids[i]!
            expect(lower(emailOf.get(id)!)).toBe(lower(email))
            const c = get(id, `user:${lower(email)}`)
            ;(name === 'add' ? c.adds : c.removes).push(lower(entry.usergroup))
          })
          return
        }
        expect(ids).toHaveLength(1)
        const c = get(ids[0]!, entryRoot(entry))
        if (name === 'createUserGroup') c.createGroup = (body as { name: string }).name
        else if (name === 'update') c.update = JSON.stringify(body)
        else if (name === 'removeFromOrg') c.removeFromOrg = (body as { deleteAccount: boolean }).deleteAccount
        else if (name === 'remove' && body === 'all') c.removeAll = true
        else if (name === 'remove') c.removes.push(...(body as { group: string[] }).group.map(lower))
        else if (name === 'add') c.adds.push(...(body as { group: string[] }).group.map(lower))
        else {
          const f = body as { email: string; country?: string; firstname?: string; lastname?: string; option: string }
          c.create = JSON.stringify([name, f.email, f.country, f.firstname, f.lastname, f.option])
        }
      })
    })
  }
  for (const c of out.values()) {
    c.removes = uniq(c.removes).sort()
    c.adds = uniq(c.adds).sort()
  }
  return out
}

// --- an independent model of the packing choices, for the optimality proof ---

function stepCount(c: UserCommand): number {
  const update = Object.values(c.update ?? {}).some((v) => v !== undefined) ? 1 : 0
  const removes = c.removeGroups === 'all' ? 1 : Math.ceil(uniq(c.removeGroups ?? []).length / 10)
  return (
    (c.create ? 1 : 0) + update + removes + Math.ceil(uniq(c.addGroups ?? []).length / 10) + (c.removeFromOrg ? 1 : 0)
  )
}

/** Commands that may be sent group-centric: one user-group membership change of an existing email-addressed user. */
function eligible(commands: readonly PlannedCommand[]): Array<{ command: UserCommand; group: string; add: boolean }> {
  const groups = new Set([
    ...userGroups,
    ...commands.flatMap((c) => (c.kind === 'createGroup' && validGroupName(c.name) ? [lower(c.name)] : [])),
  ])
  const emails = commands.flatMap((c) => (c.kind === 'user' ? [lower(c.user.email)] : []))
  return commands.flatMap((c) => {
    if (c.kind !== 'user' || c.create || c.removeFromOrg || c.removeGroups === 'all') return []
    if (Object.values(c.update ?? {}).some((v) => v !== undefined)) return []
    if (c.user.identityType === 'adobeID' || !c.user.username.includes('@')) return []
    if (emails.filter((e) => e === lower(c.user.email)).length !== 1) return []
    const adds = uniq(c.addGroups ?? [])
    const removes = uniq(c.removeGroups ?? [])
    if (adds.length + removes.length !== 1) return []
    const group = (adds[0] ?? removes[0])!
    return groups.has(lower(group)) ? [{ command: c, group: lower(group), add: adds.length === 1 }] : []
  })
}

/** Fewest requests over every choice of which eligible commands go group-centric (exhaustive). */
function bruteForceMinimum(commands: readonly PlannedCommand[]): number {
  const candidates = eligible(commands)
  const creates = commands.filter((c) => c.kind === 'createGroup' && validGroupName(c.name)).length
  let best = Infinity
  for (let mask = 0; mask < 1 << candidates.length; mask++) {
    const grouped = new Set<string>()
    const buckets = new Map<string, { adds: number; removes: number }>()
    candidates.forEach((cand, i) => {
      if (!(mask & (1 << i))) return
      grouped.add(cand.command.id)
      const b = buckets.get(cand.group) ?? { adds: 0, removes: 0 }
      if (cand.add) b.adds++
      else b.removes++
      buckets.set(cand.group, b)
    })
    let entries = creates
    for (const c of commands) if (c.kind === 'user' && !grouped.has(c.id)) entries += Math.ceil(stepCount(c) / 10)
    for (const b of buckets.values()) entries += Math.ceil((Math.ceil(b.adds / 10) + Math.ceil(b.removes / 10)) / 10)
    best = Math.min(best, Math.ceil(entries / 10))
  }
  return best
}

describe('packCommands', () => {
  it('(a) never breaks a UMAPI payload limit or step-order rule', () => {
    fc.assert(
      fc.property(plannedCommands(60), (commands) => assertWithinLimits(packCommands(commands, { userGroups }))),
      { numRuns: 300 },
    )
  })

  it('(b) sends exactly the computed minimum number of requests', () => {
    fc.assert(
      fc.property(plannedCommands(80), (commands) => {
        expect(packCommands(commands, { userGroups }).requests).toHaveLength(minimumRequestCount(commands, userGroups))
      }),
      { numRuns: 300 },
    )
  })

  it('(b) the computed minimum is the optimum over every per-command packing choice (exhaustive on small plans)', () => {
    fc.assert(
      fc.property(
        plannedCommands(14).filter((cs) => eligible(cs).length <= 11),
        (commands) => {
          expect(minimumRequestCount(commands, userGroups)).toBe(bruteForceMinimum(commands))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('(c) unpacking the requests gives back exactly the planned changes', () => {
    fc.assert(
      fc.property(plannedCommands(60), (commands) => {
        const packing = packCommands(commands, { userGroups })
        expect(unpack(packing, commands)).toEqual(expectedChanges(commands))
        const refused = commands.filter((c) => c.kind === 'createGroup' && !validGroupName(c.name)).map((c) => c.id)
        expect(packing.refused.map((r) => r.commandId)).toEqual(refused)
      }),
      { numRuns: 300 },
    )
  })

  it('puts group creations first and removals from the org last, keeping plan order otherwise', () => {
    fc.assert(
      fc.property(plannedCommands(40), (commands) => {
        const order = packCommands(commands, { userGroups }).requests.flatMap((r) =>
          r.sources.map((steps) => steps[0]![0]!),
        )
        const kinds = order.map((id) => {
          const c = commands.find((x) => x.id === id)!
          return c.kind === 'createGroup' ? 0 : c.removeFromOrg ? 2 : 1
        })
        expect(kinds).toEqual([...kinds].sort())
        const creates = order.filter((id) => commands.find((x) => x.id === id)!.kind === 'createGroup')
        expect(creates).toEqual(uniq(creates))
      }),
      { numRuns: 200 },
    )
  })

  it('packs 100 single additions to one user group into one request of one entry', () => {
    const commands: PlannedCommand[] = Array.from({ length: 100 }, (_, i) => ({
      kind: 'user',
      id: `umapi:${i}`,
      user: {
        identityType: 'federatedID',
        email: `u${i}@example.com`,
        username: `u${i}@example.com`,
        domain: 'example.com',
      },
      addGroups: ['Design'],
    }))
    const packing = packCommands(commands, { userGroups })
    expect(packing.requests).toHaveLength(1)
    expect(packing.requests[0]!.entries).toEqual([
      {
        usergroup: 'Design',
        requestID: 'action_1',
        do: Array.from({ length: 10 }, (_, s) => ({
          add: { user: Array.from({ length: 10 }, (_, i) => `u${s * 10 + i}@example.com`) },
        })),
      },
    ])
  })

  it('splits one user with 150 groups into two entries with the same root in one request', () => {
    const groups = Array.from({ length: 150 }, (_, i) => `Profile ${i}`)
    const packing = packCommands(
      [
        {
          kind: 'user',
          id: 'umapi:1',
          user: { identityType: 'federatedID', email: 'jo@example.com', username: 'jdoe', domain: 'example.com' },
          addGroups: groups,
        },
      ],
      { userGroups },
    )
    expect(packing.requests).toHaveLength(1)
    const entries = packing.requests[0]!.entries
    expect(entries.map((e) => ['user' in e ? e.user : '', 'user' in e ? e.domain : '', e.do.length])).toEqual([
      ['jdoe', 'example.com', 10],
      ['jdoe', 'example.com', 5],
    ])
  })

  it('refuses user-group names UMAPI reserves or cannot store, without sending them', () => {
    const packing = packCommands(
      [
        { kind: 'createGroup', id: 'g1', name: '_admin_X', description: 'd' },
        { kind: 'createGroup', id: 'g2', name: 'y'.repeat(256), description: 'd' },
        { kind: 'createGroup', id: 'g3', name: 'Fine', description: 'd' },
      ],
      { userGroups },
    )
    expect(packing.refused.map((r) => [r.commandId, r.errors![0]!.message])).toEqual([
      ['g1', 'user-group name "_admin_X" starts with "_", which UMAPI reserves for admin groups'],
      ['g2', `user-group name "${'y'.repeat(40)}…" is 256 characters long; UMAPI allows at most 255`],
    ])
    expect(packing.requests[0]!.entries).toEqual([
      {
        usergroup: 'Fine',
        requestID: 'action_1',
        do: [{ createUserGroup: { name: 'Fine', description: 'd', option: 'ignoreIfAlreadyExists' } }],
      },
    ])
  })
})
