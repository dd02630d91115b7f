/**
 * Fake Adobe UMAPI + IMS server for tests (reference/umapi.md §10). Start one per test file:
 *
 * ```ts
 * const fake = await startFakeUmapi({ claimedDomains: ['example.com'] })
 * fake.org.addProductProfile('Photoshop - Default', { productName: 'Photoshop' })
 * fake.org.addUser({ email: 'ann@example.com', firstname: 'Ann', lastname: 'Lee', country: 'US', groups: ['Photoshop - Default'] })
 * // token: POST `${fake.url}/ims/token/v3` with fake.clientId / fake.clientSecret, scope openid,AdobeID,user_management_sdk
 * // calls: `${fake.umapiUrl}/users/${fake.orgId}/0`, headers Authorization: Bearer <token>, X-Api-Key: fake.clientId
 * fake.faults.tooManyRequests(2, { endpoint: 'action' })
 * await fake.close()
 * ```
 */
export { startFakeUmapi } from './server.js'
export type {
  FakeUmapi,
  FakeUmapiOptions,
  FakeUmapiStats,
  RecordedRequest,
  EndpointKind,
  LimitedEndpoint,
} from './types.js'
export { FakeOrg } from './org-state.js'
export type { FakeUser, FakeGroup, SeedUser, UserType, UserStatus, GroupType, FindUserOptions } from './org-state.js'
export { FaultQueue } from './faults.js'
export type { Fault, FaultTarget, StatusFaultOptions } from './faults.js'
export { createTestCa } from './test-ca.js'
export type { TestCa } from './test-ca.js'
