import { rmSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, type FakeOkta, freePort, manualClock, type TestCa } from '@ust-sync/test-servers'
import { oktaOptionsFrom } from '../src/config/okta-options.js'
import { OktaSource } from '../src/okta-source.js'
import { recordingContext, smallOrg, sourceFor, trustCa, untrustCa } from './helpers.js'

let ca: TestCa
let okta: FakeOkta | undefined
beforeAll(() => {
  ca = createTestCa()
  trustCa(ca)
})
afterEach(async () => {
  await okta?.close()
  okta = undefined
})
afterAll(() => {
  untrustCa()
  rmSync(ca.dir, { recursive: true, force: true })
})

const mapped = (groups: string[]) => ({ groups, allUsers: false, extendedAttributes: [] })

describe('okta source: reading groups as UST does', () => {
  it('reads the members of each group found by exact name, merged by id, ACTIVE only, with UST defaults', async () => {
    okta = await smallOrg(ca)
    const { source } = sourceFor(okta)
    const { users, warnings } = await source.read(mapped(['Staff', 'Admins', 'Nobody']))
    expect(users.map((u) => [u.email, u.groups])).toEqual([
      ['ana@example.test', ['Staff', 'Admins']],
      ['bo@example.test', ['Staff']],
      ['zoe@example.test', ['Admins']],
    ])
    expect(users[0]).toMatchObject({
      firstname: 'Ana',
      lastname: 'Ruiz',
      country: 'MX',
      origin: 'Okta user 00u00000001fake',
    })
    expect(users[0]?.username).toBeUndefined()
    // An empty lastName and a null countryCode read as absent, as in UST.
    expect(users[1]?.lastname).toBeUndefined()
    expect(users[1]?.country).toBeUndefined()
    expect(warnings).toContain('No group found for: Nobody')
    expect(warnings.some((w) => w.startsWith('Skipping Okta user 00u00000004fake: no email'))).toBe(true)
    // "Staff" also starts "Staff Alumni": the exact name is picked.
    expect(okta.requests.filter((r) => r.endpoint === 'groups').map((r) => r.query.q)).toEqual([
      'Staff',
      'Admins',
      'Nobody',
    ])
    for (const r of okta.requests) expect(r.headers.authorization).toBe(`SSWS ${okta.token}`)
  })

  it('applies group_filter_format, the user_*_format templates, identity type and extended attributes', async () => {
    okta = await smallOrg(ca)
    okta.directory.addGroup('Okta Staff')
    okta.directory.addMember('Okta Staff', '00u00000001fake')
    const { source } = sourceFor(okta, {
      group_filter_format: 'Okta {group}',
      user_username_format: '{login}',
      user_domain_format: 'corp.test',
      user_given_name_format: '{firstName} ({department})',
      user_identity_type: 'enterpriseID',
      all_users_filter: 'user.profile.department == "R&D"',
    })
    const { users } = await source.read({
      groups: ['Staff'],
      allUsers: false,
      extendedAttributes: ['department', 'absent'],
    })
    expect(users).toEqual([
      expect.objectContaining({
        email: 'ana@example.test',
        username: 'ana@example.test',
        domain: 'corp.test',
        firstname: 'Ana (R&D)',
        groups: ['Staff'],
        attributes: expect.objectContaining({ department: 'R&D', absent: undefined, id: '00u00000001fake' }),
      }),
    ])
  })

  it('user_identity_type_format per user: a type, a missing attribute (default type, warned), an invalid one (skipped)', async () => {
    okta = await smallOrg(ca)
    const d = okta.directory
    d.addUser({ profile: { email: 'fed@example.test', idType: 'federated' }, groups: ['Typed'] })
    d.addUser({ profile: { email: 'none@example.test' }, groups: ['Typed'] })
    d.addUser({ profile: { email: 'odd@example.test', idType: 'odd' }, groups: ['Typed'] })
    const { source } = sourceFor(okta, { user_identity_type_format: '{idType}ID', user_identity_type: 'enterpriseID' })
    const { users, warnings } = await source.read(mapped(['Typed']))
    expect(users.map((u) => [u.email, u.identityType])).toEqual([
      ['fed@example.test', 'federatedID'],
      ['none@example.test', undefined],
    ])
    expect(warnings).toEqual([
      'No identity type for Okta user 00u00000008fake (user_identity_type_format), defaulting to enterpriseID',
      'Skipping Okta user 00u00000009fake: identity type "oddID" is not adobeID, enterpriseID or federatedID',
    ])
  })

  it('pages members by the Link header, 200 a page, and --users all through filter=status eq "ACTIVE"', async () => {
    okta = await smallOrg(ca)
    for (let n = 0; n < 450; n++)
      okta.directory.addUser({
        profile: { email: `u${n}@example.test`, firstName: 'U', lastName: `${n}` },
        groups: ['Big'],
      })
    const { source } = sourceFor(okta)
    const big = await source.read(mapped(['Big']))
    expect(big.users).toHaveLength(450)
    const pages = okta.requests.filter((r) => r.endpoint === 'members')
    expect(pages.map((r) => r.items)).toEqual([200, 200, 50])
    expect(pages.map((r) => r.query.limit)).toEqual(['200', '200', '200'])
    expect(pages[1]?.query.after).toBe(big.users[199] && '00u00000206fake')

    okta.requests.length = 0
    const all = await source.read({ groups: [], allUsers: true, extendedAttributes: [] })
    // ACTIVE users with an email: 3 + 450; suspended, deprovisioned and the one without email are left out.
    expect(all.users).toHaveLength(453)
    expect(okta.requests.map((r) => [r.endpoint, r.query.filter, r.items])).toEqual([
      ['users', 'status eq "ACTIVE"', 200],
      ['users', 'status eq "ACTIVE"', 200],
      ['users', 'status eq "ACTIVE"', 54],
    ])
  })

  it('--users all with a filter Okta cannot say reads every listed user and evaluates it', async () => {
    okta = await smallOrg(ca)
    const { source } = sourceFor(okta, { all_users_filter: 'user.status != "ACTIVE"' })
    const { users } = await source.read({ groups: [], allUsers: true, extendedAttributes: [] })
    // Deprovisioned users are not listed by Okta without a query, so only the suspended one.
    expect(users.map((u) => u.email)).toEqual(['sus@example.test'])
    expect(okta.requests[0]?.query).toEqual({ limit: '200' })
  })
})

describe('okta source: rate limits, faults and credentials', () => {
  it('waits for X-Rate-Limit-Reset when a bucket is nearly spent, and never gets a 429', async () => {
    const clock = manualClock()
    okta = await smallOrg(ca, { limits: { members: 10, groups: 10 }, now: clock.now })
    for (let n = 0; n < 40; n++) okta.directory.addUser({ profile: { email: `p${n}@example.test` }, groups: ['Paged'] })
    const { source, lines } = sourceFor(okta, {}, clock)
    // Tiny pages through a forced limit: 40 users at 200 a page is one page, so ask for many groups instead.
    const groups = Array.from({ length: 25 }, () => 'Paged')
    const { users } = await source.read(mapped(groups))
    expect(users).toHaveLength(40)
    expect(okta.limited()).toBe(0)
    expect(okta.busiestWindow()).toBeLessThanOrEqual(10)
    expect(
      lines.some((l) => /^info: Okta rate limit: 1 of 10 groups requests left in this minute; waiting \d+ s/.test(l)),
    ).toBe(true)
  })

  it('a rate-limit window resetting later than five minutes stops the read (exit 6) instead of hanging', async () => {
    const clock = manualClock()
    okta = await smallOrg(ca, { limits: { groups: 2 }, windowMs: 3_600_000, now: clock.now })
    const { source } = sourceFor(okta, {}, clock)
    const error = await source.read(mapped(['Staff', 'Admins', 'Staff'])).catch((e: unknown) => e)
    expect(error).toMatchObject({ exitCode: 6, code: 'source.okta.rate-limited' })
    expect((error as Error).message).toMatch(
      /groups rate limit is spent \(1 of 2 left\) and resets in \d+ s, longer than 300 s/,
    )
    expect(okta.limited()).toBe(0)
  })

  it('rides out 429 (waiting for the reset), 503, a reset connection and a truncated page', async () => {
    const clock = manualClock()
    okta = await smallOrg(ca, { now: clock.now })
    okta.faults
      .tooManyRequests({ endpoint: 'members' })
      .status(503, { endpoint: 'members' })
      .reset({ endpoint: 'members' })
      .truncate({ endpoint: 'members' })
    const start = clock.now()
    const { source, lines } = sourceFor(okta, {}, clock)
    const { users } = await source.read(mapped(['Staff']))
    expect(users.map((u) => u.email)).toEqual(['ana@example.test', 'bo@example.test'])
    expect(okta.faults.pending()).toBe(0)
    const waits = lines.filter((l) => l.startsWith('warn: Okta GET members of group "Staff" page 1'))
    expect(waits).toHaveLength(4)
    expect(waits[0]).toMatch(/HTTP 429; waiting \d+ s before try 2 of 5/)
    expect(waits[1]).toMatch(/HTTP 503; waiting 2 s before try 3 of 5/)
    // The 429 waited until the window's reset (the next minute), not a fixed backoff.
    expect(clock.now() - start).toBeGreaterThanOrEqual(60_000 - (start % 60_000))
  })

  it('a page that keeps failing stops the read with a SourceError (exit 6), never a partial result', async () => {
    const clock = manualClock()
    okta = await smallOrg(ca, { now: clock.now })
    for (let n = 0; n < 300; n++) okta.directory.addUser({ profile: { email: `m${n}@example.test` }, groups: ['Many'] })
    okta.faults.status(500, { endpoint: 'members', skip: 1, times: 5 })
    const { source } = sourceFor(okta, {}, clock)
    const error = await source.read(mapped(['Many'])).catch((e: unknown) => e)
    expect(error).toMatchObject({ exitCode: 6, code: 'source.okta.unavailable' })
    expect((error as Error).message).toMatch(/GET members of group "Many" page 2 failed 5 times \(last: HTTP 500\)/)
  })

  it('a wrong token is a CredentialError (exit 3) saying what to do, without the token', async () => {
    okta = await smallOrg(ca)
    const planted = '00WRONG-token-planted-3f9a8b7c6d'
    const { source, lines } = sourceFor(okta, { api_token: planted })
    const error = await source.read(mapped(['Staff'])).catch((e: unknown) => e)
    expect(error).toMatchObject({ exitCode: 3, code: 'credential.okta.invalid-token' })
    expect((error as Error).message).toMatch(/HTTP 401 \(E0000011 Invalid token provided\)/)
    const text = JSON.stringify({ error: String(error), s: (error as { suggestions: string[] }).suggestions, lines })
    expect(text).toMatch(/Security > API > Tokens/)
    expect(text).not.toContain(planted)
  })

  it('a next link to another host is refused (the token would go there)', async () => {
    okta = await smallOrg(ca)
    for (let n = 0; n < 250; n++)
      okta.directory.addUser({ profile: { email: `f${n}@example.test` }, groups: ['Staff'] })
    // The fake links to https://127.0.0.1:port; ust was told localhost.
    const { source } = sourceFor(okta, { host: okta.url.replace('127.0.0.1', 'localhost') })
    const error = await source.read(mapped(['Staff'])).catch((e: unknown) => e)
    expect(error).toMatchObject({ exitCode: 6, code: 'source.okta.foreign-link' })
  })

  it('ust net check: users and groups readable, or the failure with what to do', async () => {
    okta = await smallOrg(ca)
    const ok = await sourceFor(okta).source.check()
    expect(ok.map((r) => [r.name, r.status])).toEqual([
      ['Okta users', 'ok'],
      ['Okta groups', 'ok'],
    ])
    const bad = await sourceFor(okta, { api_token: 'wrong-token-xyz' }).source.check()
    expect(bad).toEqual([
      expect.objectContaining({ name: 'Okta users', status: 'fail', suggestion: expect.stringMatching(/API token/) }),
    ])
  })
})

describe('okta source: unreachable', () => {
  it('a host that refuses connections is a NetworkError (exit 4) after the retries', async () => {
    const port = await freePort()
    const { context } = recordingContext(manualClock())
    const source = new OktaSource(oktaOptionsFrom({ host: `127.0.0.1:${port}`, api_token: 'x-token' }), context)
    const error = await source.read(mapped(['Staff'])).catch((e: unknown) => e)
    expect(error).toMatchObject({ exitCode: 4 })
    expect((error as Error).message).toMatch(/gave up after 5 attempts/)
  })
})
