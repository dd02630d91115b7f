import { describe, expect, it } from 'vitest'
import { FakeOrg } from '../src/umapi/index.js'

function org(): FakeOrg {
  const o = new FakeOrg('12345ABCDEF@AdobeOrg', ['Example.com'])
  o.addProductProfile('Photoshop - Default', { productName: 'Photoshop' })
  o.addUserGroup('Design Team', { productProfiles: ['Photoshop - Default'] })
  return o
}

describe('FakeOrg seeding', () => {
  it('refuses duplicate users of the same kind but allows an Adobe ID beside a federated ID', () => {
    const o = org()
    o.addUser({ email: 'ann@example.com' })
    expect(() => o.addUser({ email: 'ANN@example.com', type: 'enterpriseID' })).toThrow(/already exists/)
    expect(o.addUser({ email: 'ann@example.com', type: 'adobeID' }).type).toBe('adobeID')
    expect(o.findUser('ann@example.com')?.type).toBe('federatedID')
    expect(o.findUser('ann@example.com', { useAdobeID: true })?.type).toBe('adobeID')
  })

  it('refuses unknown groups, duplicate group names (any case) and admin groups without a base', () => {
    const o = org()
    expect(() => o.addUser({ email: 'bob@example.com', groups: ['Nope'] })).toThrow(/unknown group Nope/)
    expect(() => o.addUserGroup('design team')).toThrow(/already exists/)
    expect(() => o.addAdminGroup('_admin_Nope')).toThrow(/not an admin group name/)
    expect(() => o.addUserGroup('X', { productProfiles: ['Design Team'] })).toThrow(
      /no PRODUCT_PROFILE named Design Team/,
    )
    expect(o.addAdminGroup('_product_admin_photoshop')).toMatchObject({
      type: 'PRODUCT_ADMIN_GROUP',
      productName: 'Photoshop',
    })
    expect(o.addAdminGroup('_developer_Photoshop - Default')).toMatchObject({
      type: 'DEVELOPER_GROUP',
      baseName: 'Photoshop - Default',
    })
  })

  it('claims domains case-insensitively', () => {
    expect(org().isClaimed('EXAMPLE.COM')).toBe(true)
    expect(org().isClaimed('other.test')).toBe(false)
  })

  it('clones deeply: changes to the clone do not reach the original', () => {
    const o = org()
    const ann = o.addUser({ email: 'ann@example.com', firstname: 'Ann', groups: ['Design Team'] })
    const copy = o.clone()
    copy.findUser('ann@example.com')!.firstname = 'X'
    copy.findGroup('Design Team')!.members.clear()
    copy.addUserGroup('Only In Copy')
    expect(ann.firstname).toBe('Ann')
    expect(o.groupsOf(ann)).toEqual(['Design Team'])
    expect(o.findGroup('Only In Copy')).toBeUndefined()
  })
})
