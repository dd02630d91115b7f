import { describe, expect, it } from 'vitest'
import type { ActionEntry } from '../src/apply/action-entry.js'
import { maxInFlight, sendInOrder } from '../src/apply/in-flight.js'
import type { PackedRequest } from '../src/apply/pack-requests.js'

const userEntry = (user: string): ActionEntry => ({
  user,
  requestID: `r-${user}`,
  do: [{ update: { firstname: 'X' } }],
})
const request = (...entries: ActionEntry[]): PackedRequest => ({ entries, sources: entries.map(() => [['c']]) })
const createGroup: ActionEntry = {
  usergroup: 'New',
  requestID: 'g',
  do: [{ createUserGroup: { name: 'New', description: '', option: 'ignoreIfAlreadyExists' } }],
}

/** Lets `n` turns of the event loop pass: a send's duration counted in turns, the same however loaded the machine. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve))
}

/** Runs sendInOrder with sends that take `length(i)` event-loop turns and records start/end order and concurrency. */
async function trace(requests: PackedRequest[], limit: number, length: (i: number) => number = () => 5) {
  const events: string[] = []
  let inFlight = 0
  let peak = 0
  await sendInOrder(
    requests,
    limit,
    async (_r, i) => {
      events.push(`start ${i}`)
      peak = Math.max(peak, ++inFlight)
      await turns(length(i))
      inFlight--
      events.push(`end ${i}`)
    },
    () => false,
    () => {},
  )
  return { events, peak }
}

describe('maxInFlight', () => {
  it("is one under UMAPI's real limit and small scaled-down limits, at most 4 for generous ones", () => {
    expect(maxInFlight(10)).toBe(1)
    expect(maxInFlight(19)).toBe(1)
    expect(maxInFlight(25)).toBe(2)
    expect(maxInFlight(1_000_000)).toBe(4)
  })
})

describe('sendInOrder', () => {
  it('with a limit of one sends strictly one after the other, in order', async () => {
    const { events, peak } = await trace(
      ['a', 'b', 'c', 'd'].map((u) => request(userEntry(u))),
      1,
    )
    expect(peak).toBe(1)
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'])
  })

  it('keeps several in flight up to the limit, the first and last alone', async () => {
    const requests = Array.from({ length: 12 }, (_, i) => request(userEntry(`u${i}`)))
    const { events, peak } = await trace(requests, 3)
    expect(peak).toBe(3)
    expect(events.slice(0, 2)).toEqual(['start 0', 'end 0'])
    expect(events.slice(-2)).toEqual(['start 11', 'end 11'])
    // every middle request ended before the last started
    expect(events.indexOf('start 11')).toBeGreaterThan(
      Math.max(...events.map((e, i) => (e.startsWith('end') ? i : -1)).slice(0, -1)),
    )
  })

  it('runs a group creation alone and never overlaps two requests addressing the same user', async () => {
    const requests = [
      request(userEntry('first')),
      request(createGroup),
      request(userEntry('ann'), userEntry('bob')),
      request(userEntry('ANN')),
      request({ usergroup: 'Team', requestID: 't', do: [{ add: { user: ['bob@x'] } }] }),
      request(userEntry('bob@x')),
      request(userEntry('last')),
    ]
    const { events } = await trace(requests, 4, (i) => (i === 2 || i === 4 ? 30 : 5))
    const at = (e: string) => events.indexOf(e)
    expect(at('start 2')).toBeGreaterThan(at('end 1'))
    expect(at('start 1')).toBeGreaterThan(at('end 0'))
    expect(at('start 3')).toBeGreaterThan(at('end 2')) // ann, case-insensitively
    expect(at('start 5')).toBeGreaterThan(at('end 4')) // bob@x named in a group-centric list
  })

  it('once stopped, passes the requests not yet started to skip', async () => {
    const skipped: string[] = []
    let sent = 0
    await sendInOrder(
      ['a', 'b', 'c', 'd'].map((u) => request(userEntry(u))),
      1,
      async () => {
        sent++
      },
      () => sent >= 2,
      (r) => skipped.push((r.entries[0] as { user: string }).user),
    )
    expect(skipped).toEqual(['c', 'd'])
  })
})
