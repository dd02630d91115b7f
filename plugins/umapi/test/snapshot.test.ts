import { afterEach, describe, expect, it } from 'vitest'
import { type FakeUmapi, startFakeUmapi } from '@ust-sync/test-servers'
import { requestsTo, targetFor } from './helpers/test-context.js'

let fake: FakeUmapi
afterEach(async () => fake?.close())

function seed(fake: FakeUmapi, n: number): void {
  for (let i = 0; i < n; i++)
    fake.org.addUser({ email: `user${i}@example.com`, firstname: `F${i}`, lastname: `L${i}`, country: 'US' })
}

describe('snapshot', () => {
  it('stops following pages that never say lastPage: at X-Total-Count, or on a repeated page (TargetError)', async () => {
    fake = await startFakeUmapi()
    const page = (n: number, total?: number) => ({
      status: 200,
      body: { result: 'success', lastPage: false, users: [{ email: `u${n}@example.com`, type: 'federatedID' }] },
      ...(total === undefined ? {} : { headers: { 'X-Total-Count': String(total) } }),
    })
    for (const n of [0, 1, 2, 3, 4]) fake.faults.reply(page(n, 3), { endpoint: 'users' })
    const { target } = targetFor(fake)
    const snapshot = await target.snapshot({ includeGroups: false })
    expect(snapshot.users.map((u) => u.email)).toEqual(['u0@example.com', 'u1@example.com', 'u2@example.com'])
    expect(requestsTo(fake, 'users')).toHaveLength(3)

    fake.faults.clear()
    fake.faults.reply(page(7), { endpoint: 'users', times: 1000 })
    await expect(target.snapshot({ includeGroups: false })).rejects.toMatchObject({
      code: 'target.umapi.endless-paging',
      message: expect.stringContaining('repeats the previous page'),
    })
    // The 3 of the first listing, then page 0 and its repeat.
    expect(requestsTo(fake, 'users')).toHaveLength(5)
  })

  it('stops a listing whose pages all differ but never end, once it has taken longer than any real org needs', async () => {
    fake = await startFakeUmapi()
    const page = (n: number) => ({
      status: 200,
      body: { result: 'success', lastPage: false, users: [{ email: `u${n}@example.com`, type: 'federatedID' }] },
    })
    for (let n = 0; n < 200; n++) fake.faults.reply(page(n), { endpoint: 'users' })
    // A clock on which every look costs an hour: the listing's time runs out with the first page.
    let now = Date.now()
    const slow = { now: () => (now += 3_600_000), sleep: async () => undefined }
    const { target } = targetFor(fake, { clock: slow })
    await expect(target.snapshot({ includeGroups: false })).rejects.toMatchObject({
      code: 'target.umapi.endless-paging',
      message: expect.stringMatching(
        /^UMAPI users page: no last page after 6 hours \(1 pages?\); the listing was not used$/,
      ),
    })
    expect(requestsTo(fake, 'users')).toHaveLength(1)
  })

  it('reads an empty org with one request', async () => {
    fake = await startFakeUmapi()
    const { target } = targetFor(fake)
    expect(await target.snapshot({ includeGroups: false })).toEqual({ users: [] })
    expect(requestsTo(fake, 'users').map((r) => r.path)).toEqual([`/v2/usermanagement/users/${fake.orgId}/0`])
  })

  it('follows lastPage over exact page multiples, with sync signals and directOnly', async () => {
    fake = await startFakeUmapi({ pageSize: { users: 3 } })
    seed(fake, 9)
    const { target } = targetFor(fake)
    const snapshot = await target.snapshot({ includeGroups: false })
    expect(snapshot.users.map((u) => u.email)).toEqual(Array.from({ length: 9 }, (_, i) => `user${i}@example.com`))
    const reads = requestsTo(fake, 'users')
    expect(reads.map((r) => [r.path.split('/').pop(), r.query.directOnly, r.headers.pragma])).toEqual([
      ['0', 'true', 'umapi-sync-start'],
      ['1', 'true', undefined],
      ['2', 'true', 'umapi-sync-end'],
    ])
    expect(reads.map((r) => [r.headers['x-api-key'], r.headers['user-agent']])).toEqual(
      Array(3).fill([fake.clientId, 'ust-sync/test']),
    )
  })

  it('reads pages one after the other, also when the declared limit is generous', async () => {
    const arrivals = async (limit?: number): Promise<{ pages: (string | undefined)[][]; mostInFlight: number }> => {
      fake = await startFakeUmapi({ pageSize: { users: 2 }, limits: { users: limit ?? 25 } })
      seed(fake, 10)
      fake.faults.delay(150, { endpoint: 'users', times: 10 })
      const { target } = targetFor(fake, limit === undefined ? {} : { server: { rate_limits: { users: limit } } })
      const snapshot = await target.snapshot({ includeGroups: false })
      expect(snapshot.users.map((u) => u.email)).toEqual(Array.from({ length: 10 }, (_, i) => `user${i}@example.com`))
      const reads = requestsTo(fake, 'users')
      return {
        pages: reads.map((r) => [r.path.split('/').pop(), r.headers.pragma]),
        mostInFlight: fake.stats.mostInFlight,
      }
    }
    const expected = [
      ['0', 'umapi-sync-start'],
      ['1', undefined],
      ['2', undefined],
      ['3', undefined],
      ['4', 'umapi-sync-end'],
    ]
    const generous = await arrivals(1000)
    expect(generous.pages).toEqual(expected)
    // Each page is requested once the one before has arrived: never two at the fake at once, although
    // each takes 150 ms to answer.
    expect(generous.mostInFlight).toBe(1)
    await fake.close()
    const paced = await arrivals()
    expect(paced.pages).toEqual(expected)
    expect(paced.mostInFlight).toBe(1)
  })

  it('maps users: username and domain default from the email, identity types and groups kept', async () => {
    fake = await startFakeUmapi({ claimedDomains: ['example.com'] })
    fake.org.addUserGroup('Design')
    fake.org.addProductProfile('Photoshop - Default', { productName: 'Photoshop' })
    fake.org.addUser({
      email: 'ann@example.com',
      type: 'enterpriseID',
      firstname: 'Ann',
      lastname: 'Lee',
      country: 'US',
      groups: ['Design', 'Photoshop - Default'],
    })
    fake.org.addUser({ email: 'jd@example.com', type: 'federatedID', username: 'jdoe', domain: 'example.com' })
    fake.org.addUser({ email: 'jd@example.com', type: 'adobeID' })
    const { target } = targetFor(fake)
    const { users } = await target.snapshot({ includeGroups: false })
    expect(users).toEqual([
      {
        identityType: 'enterpriseID',
        email: 'ann@example.com',
        username: 'ann@example.com',
        domain: 'example.com',
        firstname: 'Ann',
        lastname: 'Lee',
        country: 'US',
        groups: ['Design', 'Photoshop - Default'],
      },
      { identityType: 'federatedID', email: 'jd@example.com', username: 'jdoe', domain: 'example.com', groups: [] },
      {
        identityType: 'adobeID',
        email: 'jd@example.com',
        username: 'jd@example.com',
        domain: 'example.com',
        groups: [],
      },
    ])
  })

  it('lists groups first when asked, mapping UMAPI types', async () => {
    fake = await startFakeUmapi({ pageSize: { groups: 2 } })
    fake.org.addUserGroup('Design')
    fake.org.addProductProfile('Photoshop - Default', { productName: 'Photoshop' })
    fake.org.addAdminGroup('_org_admin')
    fake.org.addAdminGroup('_admin_Design')
    fake.org.addAdminGroup('_developer_Photoshop - Default')
    const { target } = targetFor(fake)
    const snapshot = await target.snapshot({ includeGroups: true })
    expect(snapshot.groups).toEqual([
      { name: 'Design', type: 'userGroup', memberCount: 0 },
      { name: 'Photoshop - Default', type: 'productProfile', memberCount: 0 },
      { name: '_org_admin', type: 'adminGroup', memberCount: 0 },
      { name: '_admin_Design', type: 'adminGroup', memberCount: 0 },
      { name: '_developer_Photoshop - Default', type: 'adminGroup', memberCount: 0 },
    ])
    expect(fake.requests.filter((r) => r.endpoint !== 'token').map((r) => r.endpoint)).toEqual([
      'groups',
      'groups',
      'groups',
      'users',
    ])
  })

  it('reads scope groups page by page, de-duplicates users, and warns about unknown groups', async () => {
    fake = await startFakeUmapi({ pageSize: { users: 2 } })
    fake.org.addUserGroup('Design Team')
    fake.org.addUserGroup('Sales/EMEA')
    for (let i = 0; i < 4; i++)
      fake.org.addUser({ email: `u${i}@example.com`, groups: i < 3 ? ['Design Team', 'Sales/EMEA'] : ['Sales/EMEA'] })
    const { target, lines } = targetFor(fake)
    const { users } = await target.snapshot({ groups: ['Design Team', 'Nope', 'Sales/EMEA'], includeGroups: false })
    expect(users.map((u) => u.email)).toEqual(['u0@example.com', 'u1@example.com', 'u2@example.com', 'u3@example.com'])
    expect(lines).toContain(`warn: Adobe group "Nope" does not exist in org ${fake.orgId}; no users read from it`)
    const reads = requestsTo(fake, 'usersInGroup')
    expect(reads.map((r) => [r.path.replace(`/v2/usermanagement/users/${fake.orgId}/`, ''), r.headers.pragma])).toEqual(
      [
        ['0/Design%20Team', 'umapi-sync-start'],
        ['1/Design%20Team', undefined],
        ['0/Nope', undefined],
        ['0/Sales/EMEA', undefined],
        ['1/Sales/EMEA', 'umapi-sync-end'],
      ],
    )
  })

  it('fails with a TargetError naming the org when the org id is wrong, never returning a partial list', async () => {
    fake = await startFakeUmapi()
    const { target } = targetFor(fake, { enterprise: { org_id: 'WRONG@AdobeOrg' } })
    await expect(target.snapshot({ includeGroups: false })).rejects.toThrow(
      /GET users page 0 at .*: HTTP 400 error.organization.invalid_id: Bad organization Id/,
    )
  })
})
