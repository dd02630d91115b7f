/**
 * Fake Acrobat Sign REST v6 server for tests and benchmarks:
 *
 * ```ts
 * const fake = await startFakeSign({ tls: { key: ca.keyPem, cert: ca.certPem }, integrationKey: KEY })
 * fake.account.addGroup('Sales')
 * fake.account.addUser({ email: 'ann@example.com', groups: ['Sales'], adminOf: ['Sales'] })
 * // connector-sign.yml: host: fake.host, integration_key: KEY
 * fake.faults.throttle(1, { endpoint: 'getUser', times: 3 })
 * ```
 */
export { FakeSignAccount } from './account.js'
export type { SeedSignUser, SignGroup, SignMembership, SignUser, SignUserStatus } from './account.js'
export { SIGN_WRITES, SignFaultQueue } from './faults.js'
export type { SignEndpoint, SignFault, SignFaultTarget } from './faults.js'
export { startFakeSign } from './server.js'
export type { FakeSign, FakeSignOptions, SignRequest } from './server.js'
