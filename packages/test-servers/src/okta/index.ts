/**
 * Fake Okta org for tests and benchmarks (okta-api.md): start one per test file over HTTPS with the test CA.
 *
 * ```ts
 * const okta = await startFakeOkta({ tls: { key: ca.keyPem, cert: ca.certPem } })
 * okta.directory.addUser({ profile: { email: 'ann@example.com', firstName: 'Ann' }, groups: ['Staff'] })
 * // connector-okta.yml: host: okta.host, api_token: okta.token
 * okta.faults.status(503, { endpoint: 'members', skip: 1, times: 10 })
 * await okta.served((r) => r.endpoint === 'members')
 * await okta.close()
 * ```
 */
export { startFakeOkta } from './server.js'
export { OktaDirectory, type FakeOktaGroup, type FakeOktaUser, type SeedOktaUser } from './directory.js'
export { OktaFaults, type OktaEndpoint, type OktaFault, type OktaFaultTarget } from './faults.js'
export type { FakeOktaApp } from './oauth.js'
export { OKTA_DEFAULT_LIMITS } from './rate-limit.js'
export type { FakeOkta, FakeOktaOptions, OktaRecordedRequest } from './types.js'
