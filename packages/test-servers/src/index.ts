/**
 * The servers ust's tests and benchmarks run against (DESIGN.md: real servers over mocks), each on
 * 127.0.0.1, each stopped by its handle. Import by name: `import { startSlapd } from '@ust-sync/test-servers'`.
 */
export { freePort } from './free-port.js'
export { manualClock, type ManualClock } from './manual-clock.js'
export { mountOptions, noexecTmp, type NoexecTmp } from './noexec-tmp.js'
export { processesWithHome, runInKeyringSession, type SessionOptions, type SessionRun } from './secret-service.js'
export { ADMIN_DN, ADMIN_PASSWORD, type Slapd, type SlapdOptions, startSlapd, SUFFIX } from './slapd.js'
export {
  FakeSignAccount,
  type FakeSign,
  type FakeSignOptions,
  type SeedSignUser,
  SIGN_WRITES,
  type SignEndpoint,
  type SignFault,
  SignFaultQueue,
  type SignFaultTarget,
  type SignGroup,
  type SignMembership,
  type SignRequest,
  type SignUser,
  type SignUserStatus,
  startFakeSign,
} from './sign/index.js'
export { startTinyproxy, type Tinyproxy } from './tinyproxy.js'
export { createAuthority, type TestAuthority } from './tls-certs.js'
export { type InterceptingProxy, startInterceptingProxy } from './tls-intercept-proxy.js'
export {
  createTestCa,
  type EndpointKind,
  type FakeGroup,
  FakeOrg,
  type FakeUmapi,
  type FakeUmapiOptions,
  type FakeUmapiStats,
  type FakeUser,
  FaultQueue,
  type Fault,
  type FaultTarget,
  type FindUserOptions,
  type GroupType,
  type LimitedEndpoint,
  type RecordedRequest,
  type SeedUser,
  type StatusFaultOptions,
  startFakeUmapi,
  type TestCa,
  type UserStatus,
  type UserType,
} from './umapi/index.js'
export {
  type FakeOkta,
  type FakeOktaApp,
  type FakeOktaGroup,
  type FakeOktaOptions,
  type FakeOktaUser,
  OKTA_DEFAULT_LIMITS,
  OktaDirectory,
  type OktaEndpoint,
  OktaFaults,
  type OktaFaultTarget,
  type OktaRecordedRequest,
  type SeedOktaUser,
  startFakeOkta,
} from './okta/index.js'
export { type LocalRegistry, type RegistryOptions, startRegistry } from './verdaccio.js'
export {
  type FakeGraph,
  type FakeGraphOptions,
  FakeTenant,
  type GraphEndpoint,
  type GraphFaultTarget,
  type GraphGroup,
  type GraphRequest,
  type GraphUser,
  type SeedGraphUser,
  startFakeGraph,
} from './graph/index.js'
