import { afterEach, describe, expect, it } from 'vitest'
import type { CommandResult, PlannedCommand, UserRef } from '@ust-sync/api'
import { type FakeUmapi, manualClock, startFakeUmapi } from '@ust-sync/test-servers'
import { requestsTo, targetFor } from './helpers/test-context.js'

const SECRET = 'fault-test-secret-9f8e7d'
let fake: FakeUmapi
afterEach(async () => fake?.close())

const fed = (email: string): UserRef => ({ identityType: 'federatedID', email, username: email, domain: 'example.com' })

/** 30 new users, each created and put into Design: idempotent on a repeat (ignoreIfAlreadyExists). */
function plan(n = 30): PlannedCommand[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'user',
    id: `c${i}`,
    user: fed(`new${i}@example.com`),
    create: { firstname: 'N', lastname: `${i}`, country: 'US', onConflict: 'ignore' },
    addGroups: ['Design'],
  }))
}

async function fakeWithDesign(): Promise<FakeUmapi> {
  const f = await startFakeUmapi({ clientSecret: SECRET })
  f.org.addUserGroup('Design')
  return f
}

function assertPlanApplied(f: FakeUmapi, n = 30): void {
  for (let i = 0; i < n; i++) {
    const user = f.org.findUser(`new${i}@example.com`)
    expect(user?.email, `new${i}`).toBe(`new${i}@example.com`)
    expect(f.org.groupsOf(user!)).toEqual(['Design'])
  }
  expect(f.org.users()).toHaveLength(n)
}

const allDone = (results: CommandResult[], n = 30): void =>
  expect(results).toEqual(Array.from({ length: n }, (_, i) => ({ commandId: `c${i}`, status: 'done' })))

describe('faults', () => {
  it('rides out a 429 storm honouring Retry-After, then 503s', async () => {
    fake = await fakeWithDesign()
    fake.faults.tooManyRequests(38, { endpoint: 'action', times: 3 }).status(503, { endpoint: 'action', times: 4 })
    const { target, lines } = targetFor(fake, { clock: manualClock(), server: { retries: 8 } })
    allDone(await target.apply(plan(), { testOnly: false }))
    assertPlanApplied(fake)
    expect(lines.filter((l) => l.startsWith('warn: rate limit: waiting 38 s'))).toHaveLength(3)
    // no Retry-After: exponential backoff 2^(n-1)·15 s + 0-5 s jitter after try n
    const backoffs = lines
      .filter((l) => l.startsWith('warn: UMAPI unavailable: waiting'))
      .map((l) => /waiting (\d+) s .* on try (\d)/.exec(l)!.slice(1).map(Number))
    // The 503s come on tries 4–7 (after the three 429s), each waited for by its own backoff.
    expect(backoffs.map(([, n]) => n)).toEqual([4, 5, 6, 7])
    for (const [s, n] of backoffs) expect(s! - 2 ** (n! - 1) * 15, `try ${n}`).toBeGreaterThanOrEqual(0)
    for (const [s, n] of backoffs) expect(s! - 2 ** (n! - 1) * 15, `try ${n}`).toBeLessThanOrEqual(5)
    expect(fake.faults.pending()).toBe(0)
  })

  it('retries GETs after connection resets', async () => {
    fake = await fakeWithDesign()
    fake.faults.reset({ endpoint: 'users', times: 2 })
    const { target, lines } = targetFor(fake, { clock: manualClock() })
    await target.snapshot({ includeGroups: false })
    expect(
      lines.filter((l) => l.includes('closed before the reply arrived (closed by the other side) on try')),
    ).toHaveLength(2)
    expect(requestsTo(fake, 'users')).toHaveLength(3)
  })

  it('stops when Retry-After asks for more than server.max_retry_after, with a clear message', async () => {
    fake = await fakeWithDesign()
    fake.faults.tooManyRequests(3244, { endpoint: 'users' })
    const { target } = targetFor(fake, { clock: manualClock(), server: { max_retry_after: 600 } })
    await expect(target.snapshot({ includeGroups: false })).rejects.toThrow(
      'UMAPI asked to wait 3244 s before GET users page 0 (Retry-After), longer than server.max_retry_after (600 s): stopping here rather than waiting',
    )
    expect(requestsTo(fake, 'users')).toHaveLength(1)
  })

  it('honours a Retry-After given as an HTTP date', async () => {
    fake = await fakeWithDesign()
    const clock = manualClock()
    const started = clock.now()
    fake.faults.tooManyRequests(new Date(started + 2000), { endpoint: 'users' })
    const { target, lines } = targetFor(fake, { clock })
    await target.snapshot({ includeGroups: false })
    expect(clock.now() - started).toBe(2000)
    expect(lines).toEqual(['warn: rate limit: waiting 2 s (GET users page 0: HTTP 429 on try 1 of 3)'])
  })

  it('never re-sends a POST whose reply was lost: its commands are unknown, the next request goes on', async () => {
    fake = await fakeWithDesign()
    // The first POST is answered only after the client gave up on it (a 2 s timeout against a 6 s delay: a
    // margin no load closes, while an undelayed request has 2 s), but the fake still applies it;
    // the second POST's connection is reset after the fake read it (not applied).
    fake.faults.delay(6_000, { endpoint: 'action' }).reset({ endpoint: 'action' })
    const { target, lines } = targetFor(fake, { clock: manualClock(), server: { timeout: 2 } })
    const results = await target.apply(plan(30), { testOnly: false })
    expect(results.slice(0, 20).map((r) => r.status)).toEqual(Array(20).fill('unknown'))
    expect(results[0]!.errors![0]).toEqual({
      code: 'target.umapi.outcome-unknown',
      message:
        'UMAPI POST action action_1..action_10: the reply was lost (timed out after 2 s), so it is not known whether UMAPI applied it; it was not sent again, to avoid applying it twice',
    })
    expect(results[10]!.errors![0]!.message).toContain('the reply was lost (The connection to 127.0.0.1:')
    expect(results.slice(20).map((r) => r.status)).toEqual(Array(10).fill('done'))
    expect(requestsTo(fake, 'action')).toHaveLength(3)
    expect(lines.filter((l) => l.startsWith('error: UMAPI POST action'))).toHaveLength(2)
    // The next run converges: the delayed request was applied, the reset one is still missing.
    await fake.settled()
    const applied = [...Array(10).keys(), ...Array.from({ length: 10 }, (_, i) => 20 + i)]
    expect(
      fake.org
        .users()
        .map((u) => u.email)
        .sort(),
    ).toEqual(applied.map((i) => `new${i}@example.com`).sort())
  })

  it('retries a GET that timed out', async () => {
    fake = await fakeWithDesign()
    fake.faults.delay(6_000, { endpoint: 'users' })
    const { target, lines } = targetFor(fake, { clock: manualClock(), server: { timeout: 2 } })
    await target.snapshot({ includeGroups: false })
    expect(lines.filter((l) => l.includes('timed out after 2 s on try'))).toEqual([
      expect.stringContaining('timed out after 2 s on try 1 of 3'),
    ])
    expect(requestsTo(fake, 'users')).toHaveLength(2)
  })

  it('stops after server.retries attempts: a clear error, nothing reported done that was not', async () => {
    fake = await fakeWithDesign()
    fake.faults.delay(0, { endpoint: 'action' }).status(503, { endpoint: 'action', times: 3 })
    const { target, lines } = targetFor(fake, { clock: manualClock() })
    const results = await target.apply(plan(), { testOnly: false })
    expect(results.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill('done'))
    const failed = results.slice(10)
    expect(failed.map((r) => [r.status, r.errors?.[0]?.code])).toEqual(
      Array(20).fill(['failed', 'target.umapi.unavailable']),
    )
    expect(failed[0]!.errors![0]!.message).toMatch(
      /^not sent: UMAPI unavailable: POST action action_11\.\.action_20 failed 3 times \(last: HTTP 503\); gave up after 3 attempts over \d+ s, \d+ s of it waiting$/,
    )
    for (let i = 10; i < 30; i++) expect(fake.org.findUser(`new${i}@example.com`)).toBeUndefined()
    expect(requestsTo(fake, 'action')).toHaveLength(4)
    expect(lines.filter((l) => l.startsWith('error: UMAPI unavailable'))).toHaveLength(1)
  })

  it('throws the exhausted-retries TargetError from a snapshot (no partial read)', async () => {
    fake = await fakeWithDesign()
    fake.faults.reset({ endpoint: 'users', times: 3 })
    const { target } = targetFor(fake, { clock: manualClock() })
    await expect(target.snapshot({ includeGroups: false })).rejects.toThrow(
      /^UMAPI unavailable: GET users page 0 failed 3 times \(last: The connection to 127\.0\.0\.1:\d+ was closed before the reply arrived \(closed by the other side\)\); gave up after 3 attempts/,
    )
  })

  it('does not retry a 500: the request is reported failed once', async () => {
    fake = await fakeWithDesign()
    fake.faults.status(500, { endpoint: 'action' })
    const { target } = targetFor(fake, { clock: manualClock() })
    const results = await target.apply(plan(3), { testOnly: false })
    expect(results.map((r) => [r.status, r.errors?.[0]?.code])).toEqual([
      ['failed', 'http.500'],
      ['failed', 'http.500'],
      ['failed', 'http.500'],
    ])
    expect(requestsTo(fake, 'action')).toHaveLength(1)
    expect(fake.org.users()).toHaveLength(0)
  })

  it('a redirect or a reply that is not JSON is named as such; a credential IMS refuses is exit 3 naming the client', async () => {
    fake = await fakeWithDesign()
    const { target } = targetFor(fake, { clock: manualClock() })
    fake.faults.reply(
      { status: 302, headers: { Location: 'https://login.corp.example/sso?token=tok-in-url' }, raw: '' },
      { endpoint: 'action' },
    )
    const [redirected] = await target.apply(plan(1), { testOnly: false })
    expect(redirected?.errors?.[0]?.message).toMatch(
      /HTTP 302 a redirect to https:\/\/login\.corp\.example, which this API never sends: the host is probably wrong/,
    )
    expect(JSON.stringify(redirected)).not.toContain('tok-in-url')
    fake.faults.reply(
      { status: 200, headers: { 'Content-Type': 'text/html' }, raw: '<html>Proxy login</html>' },
      { endpoint: 'action' },
    )
    const [html] = await target.apply(plan(1), { testOnly: false })
    expect(html?.errors?.[0]?.message).toContain(
      'HTTP 200 a reply that is not JSON (text/html): <html>Proxy login</html>',
    )

    fake.faults.reply(
      { status: 401, body: { error: 'invalid_client', error_description: 'invalid client_id parameter' } },
      { endpoint: 'token' },
    )
    const { target: fresh } = targetFor(fake, { clock: manualClock() })
    const refused = await fresh.snapshot({ includeGroups: false }).catch((e: unknown) => e)
    expect(refused).toMatchObject({ exitCode: 3, code: 'credential.umapi.refused' })
    expect((refused as Error).message).toContain(`refused the credentials of client ${fake.clientId}`)
    expect((refused as Error).message).not.toContain(SECRET)
  })

  it('an action reply confirming fewer entries than were sent without error leaves those commands unknown, not done', async () => {
    fake = await fakeWithDesign()
    fake.faults.reply(
      { status: 200, body: { result: 'success', completed: 0, notCompleted: 0, completedInTestMode: 0 } },
      { endpoint: 'action' },
    )
    const { target } = targetFor(fake, { clock: manualClock() })
    const results = await target.apply(plan(2), { testOnly: false })
    expect(results.map((r) => [r.commandId, r.status, r.errors?.[0]?.code])).toEqual([
      ['c0', 'failed', 'umapi.unconfirmed'],
      ['c1', 'failed', 'umapi.unconfirmed'],
    ])
  })

  it('retries the token request after a reset, and no output ever contains the secret', async () => {
    fake = await fakeWithDesign()
    fake.faults.reset({ endpoint: 'token' }).tooManyRequests(1, { endpoint: 'action' })
    const { target, lines } = targetFor(fake, { clock: manualClock() })
    const results = await target.apply(plan(12), { testOnly: false })
    const snapshot = await target.snapshot({ includeGroups: true })
    const checks = await target.check()
    expect(requestsTo(fake, 'token').map((r) => r.status)).toEqual([0, 200, 200])
    expect(JSON.stringify({ lines, results, snapshot, checks })).not.toContain(SECRET)
  })
})
