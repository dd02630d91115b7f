/**
 * Fake Microsoft Graph v1.0 + Entra ID token endpoint for tests (graph-api.md §14):
 *
 * ```ts
 * const graph = await startFakeGraph({ tls: { key: ca.keyPem, cert: ca.certPem } })
 * const ann = graph.tenant.addUser({ userPrincipalName: 'ann@example.com', mail: 'ann@example.com', givenName: 'Ann' })
 * graph.tenant.addGroup('Design', [ann.id])
 * graph.faults.status(503, { endpoint: 'users', after: 1, retryAfter: 1 })
 * await graph.close()
 * ```
 */
export { startFakeGraph, type FakeGraph, type FakeGraphOptions, type GraphRequest } from './graph-server.js'
export { GraphFaultQueue, type GraphEndpoint, type GraphFault, type GraphFaultTarget } from './graph-faults.js'
export { FakeTenant, type GraphGroup, type GraphUser, type SeedGraphUser } from './tenant-state.js'
