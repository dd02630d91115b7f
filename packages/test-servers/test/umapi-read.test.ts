import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeUmapi, type FakeUmapi } from '../src/umapi/index.js'
import { call, fetchToken } from './umapi-client.js'

let fake: FakeUmapi
let token: string

beforeEach(async () => {
  fake = await startFakeUmapi({ pageSize: { users: 3, groups: 2 }, claimedDomains: ['example.com'] })
  token = await fetchToken(fake)
})
afterEach(async () => {
  await fake.close()
})

const get = (path: string) => call(fake, token, path)

function seedUsers(n: number): void {
  for (let i = 0; i < n; i++)
    fake.org.addUser({ email: `u${i}@example.com`, firstname: `F${i}`, lastname: `L${i}`, country: 'US' })
}

describe('GET users paging', () => {
  it('answers an empty org with one empty last page', async () => {
    const res = await get(`/users/${fake.orgId}/0`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ lastPage: true, result: 'success', users: [] })
    expect(res.headers.get('x-total-count')).toBe('0')
    expect(res.headers.get('x-page-count')).toBe('1')
    expect(res.headers.get('x-current-page')).toBe('0')
    expect(res.headers.get('x-page-size')).toBe('0')
  })

  it('pages an exact multiple of the page size without an empty trailing page', async () => {
    seedUsers(6)
    const p0 = await get(`/users/${fake.orgId}/0`)
    const p1 = await get(`/users/${fake.orgId}/1`)
    expect(p0.body.lastPage).toBe(false)
    expect(p0.body.users.map((u: { email: string }) => u.email)).toEqual([
      'u0@example.com',
      'u1@example.com',
      'u2@example.com',
    ])
    expect(p1.body.lastPage).toBe(true)
    expect(p1.body.users).toHaveLength(3)
    expect(p1.headers.get('x-page-count')).toBe('2')
    expect(p1.headers.get('x-total-count')).toBe('6')
  })

  it('answers the last page for a page index past the end', async () => {
    seedUsers(4)
    const res = await get(`/users/${fake.orgId}/9`)
    expect(res.body.lastPage).toBe(true)
    expect(res.body.users.map((u: { email: string }) => u.email)).toEqual(['u3@example.com'])
    expect(res.headers.get('x-current-page')).toBe('1')
    expect(res.headers.get('x-page-size')).toBe('1')
  })

  it('rejects a non-numeric page with 400', async () => {
    const res = await get(`/users/${fake.orgId}/first`)
    expect(res.status).toBe(400)
    expect(res.body.message).toContain('first')
  })

  it('returns only active users and omits unset fields and empty groups', async () => {
    fake.org.addUser({ email: 'ann@example.com', type: 'enterpriseID' })
    fake.org.addUser({ email: 'gone@example.com', status: 'disabled' })
    const res = await get(`/users/${fake.orgId}/0`)
    expect(res.body.users).toEqual([
      {
        id: expect.stringMatching(/@AdobeID$/),
        email: 'ann@example.com',
        status: 'active',
        username: 'ann@example.com',
        domain: 'example.com',
        type: 'enterpriseID',
      },
    ])
  })

  it('applies directOnly (parsed case-insensitively) to profiles granted through user groups', async () => {
    fake.org.addProductProfile('Photoshop - Default', { productName: 'Photoshop' })
    fake.org.addUserGroup('Design Team', { productProfiles: ['Photoshop - Default'] })
    fake.org.addUser({ email: 'ann@example.com', groups: ['design team'] })
    const direct = await get(`/users/${fake.orgId}/0?directOnly=True`)
    expect(direct.body.users[0].groups).toEqual(['Design Team'])
    const all = await get(`/users/${fake.orgId}/0?directOnly=FALSE`)
    expect(all.body.users[0].groups).toEqual(['Photoshop - Default', 'Design Team'])
    expect((await get(`/users/${fake.orgId}/0?directOnly=maybe`)).status).toBe(400)
  })

  it('filters by domain and answers 404 for an unknown domain', async () => {
    fake.org.addUser({ email: 'pat@gmail.test', type: 'adobeID' })
    fake.org.addUser({ email: 'ann@example.com' })
    const res = await get(`/users/${fake.orgId}/0?domain=gmail.test`)
    expect(res.body.users.map((u: { email: string }) => u.email)).toEqual(['pat@gmail.test'])
    const unknown = await get(`/users/${fake.orgId}/0?domain=nowhere.test`)
    expect(unknown.status).toBe(404)
  })
})

describe('GET users in group', () => {
  beforeEach(() => {
    fake.org.addProductProfile('Photoshop - Default', { productName: 'Photoshop' })
    fake.org.addUserGroup('Sales/EMEA', { productProfiles: ['Photoshop - Default'] })
    fake.org.addUser({ email: 'ann@example.com', groups: ['Photoshop - Default'] })
    fake.org.addUser({ email: 'bob@example.com', groups: ['Sales/EMEA'] })
  })

  it('lists direct members with groupName as stored; directOnly=false adds members via user groups', async () => {
    const direct = await get(`/users/${fake.orgId}/0/photoshop%20-%20default`)
    expect(direct.status).toBe(200)
    expect(direct.body.groupName).toBe('Photoshop - Default')
    expect(direct.body.users.map((u: { email: string }) => u.email)).toEqual(['ann@example.com'])
    const all = await get(`/users/${fake.orgId}/0/Photoshop%20-%20Default?directOnly=false`)
    expect(all.body.users.map((u: { email: string }) => u.email)).toEqual(['ann@example.com', 'bob@example.com'])
  })

  it('accepts an unescaped slash in the group name and honours excludeGroups and status', async () => {
    const res = await get(`/users/${fake.orgId}/0/Sales/EMEA?excludeGroups=true`)
    expect(res.body.users).toHaveLength(1)
    expect(res.body.users[0].groups).toBeUndefined()
    const inactive = await get(`/users/${fake.orgId}/0/Photoshop%20-%20Default?status=inactive`)
    expect(inactive.body.users).toEqual([])
    expect((await get(`/users/${fake.orgId}/0/Sales/EMEA?status=gone`)).status).toBe(400)
  })

  it('answers an empty page for an admin group not created yet, and 404 for an unknown group', async () => {
    const admin = await get(`/users/${fake.orgId}/0/_admin_Sales%2FEMEA`)
    expect(admin.status).toBe(200)
    expect(admin.body.users).toEqual([])
    const unknown = await get(`/users/${fake.orgId}/0/Nope`)
    expect(unknown.status).toBe(404)
    expect(unknown.body).toEqual({ lastPage: false, result: 'error.group.not_found', message: 'Not found: Group Nope' })
  })
})

describe('GET single user', () => {
  it('finds a user case-insensitively and answers 404 error.user.not_found otherwise', async () => {
    fake.org.addUser({ email: 'Ann@Example.com', firstname: 'Ann', lastname: 'Lee', country: 'DE' })
    const res = await get(`/organizations/${fake.orgId}/users/ann@example.com`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      result: 'success',
      user: { email: 'Ann@Example.com', firstname: 'Ann', country: 'DE', type: 'federatedID' },
    })
    const missing = await get(`/organizations/${fake.orgId}/users/zed@example.com`)
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ result: 'error.user.not_found', message: 'User not found zed@example.com' })
  })

  it('distinguishes an Adobe ID from a federated ID with the same email via domain=AdobeID', async () => {
    fake.org.addUser({ email: 'pat@example.com', type: 'federatedID' })
    fake.org.addUser({ email: 'pat@example.com', type: 'adobeID' })
    expect((await get(`/organizations/${fake.orgId}/users/pat@example.com`)).body.user.type).toBe('federatedID')
    expect((await get(`/organizations/${fake.orgId}/users/pat@example.com?domain=AdobeID`)).body.user.type).toBe(
      'adobeID',
    )
  })

  it('finds a non-email federated username with its domain', async () => {
    fake.org.addUser({ email: 'jdoe@example.com', username: 'jdoe', domain: 'example.com' })
    const res = await get(`/organizations/${fake.orgId}/users/JDOE?domain=example.com`)
    expect(res.body.user).toMatchObject({ username: 'jdoe', email: 'jdoe@example.com' })
  })
})

describe('GET groups', () => {
  it('lists every group type with its fields, paged, past-the-end → last page', async () => {
    fake.org.addUserGroup('Design Team')
    fake.org.addProductProfile('Photoshop - Default', { productName: 'Photoshop', licenseQuota: '50' })
    fake.org.addAdminGroup('_org_admin')
    fake.org.addUser({ email: 'ann@example.com', groups: ['Design Team', '_admin_Design Team', '_org_admin'] })
    const p0 = await get(`/groups/${fake.orgId}/0`)
    expect(p0.body.lastPage).toBe(false)
    expect(p0.body.groups).toEqual([
      {
        groupId: expect.any(Number),
        groupName: 'Design Team',
        type: 'USER_GROUP',
        memberCount: 1,
        adminGroupName: '_admin_Design Team',
      },
      {
        groupId: expect.any(Number),
        groupName: 'Photoshop - Default',
        type: 'PRODUCT_PROFILE',
        memberCount: 0,
        productName: 'Photoshop',
        licenseQuota: '50',
      },
    ])
    const last = await get(`/groups/${fake.orgId}/5`)
    expect(last.body.lastPage).toBe(true)
    expect(last.body.groups).toEqual([
      { groupId: expect.any(Number), groupName: '_org_admin', type: 'SYSADMIN_GROUP', memberCount: 1 },
      {
        groupId: expect.any(Number),
        groupName: '_admin_Design Team',
        type: 'USER_ADMIN_GROUP',
        memberCount: 1,
        userGroupName: 'Design Team',
      },
    ])
    expect(last.headers.get('x-total-count')).toBe('4')
  })
})
