import { randomBytes } from 'node:crypto'
import { access, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestCa,
  type FakeUmapi,
  runInKeyringSession,
  type SessionRun,
  startFakeUmapi,
  type TestCa,
} from '@ust-sync/test-servers'
import { BIN, ROOT, runCli } from './run-cli.js'
import { E2E_FIXTURES, freshCopy, summaryOf, writeUmapiConnector } from './sync-helpers.js'

/** The UMAPI e2e fixture, reused: only the client secret moves into the keyring. */
const FIXTURE = join(E2E_FIXTURES, 'sync-umapi')
const FLAGS = ['--process-groups', '--adobe-only-user-action', 'remove', '-t']
/** Keyring service named by `secure_client_secret_key`; the account is the org_id, as in UST. */
const SERVICE = 'ust-e2e'
const SECRET = `e2e-Keyr1ng-${randomBytes(12).toString('hex')}`

let ca: TestCa
let caFile: string
/**
 * UST_DATA_DIR of the CLI runs (oclif's data dir), isolated per suite. Not XDG_DATA_HOME, which must stay
 * per session: gnome-keyring keeps its keyrings there.
 */
let dataDir: string
const fakes: FakeUmapi[] = []
const dirs: string[] = []

beforeAll(async () => {
  ca = createTestCa()
  caFile = join(ca.dir, 'ca.crt')
  dataDir = await mkdtemp(join(tmpdir(), 'ust-e2e-keyring-data-'))
  await access(join(ROOT, 'plugins/keyring/dist/register.js')).catch(() => {
    throw new Error('plugins/keyring is not built: run `npm run build` first')
  })
}, 120_000)
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})
afterAll(async () => {
  await Promise.all([...dirs, dataDir, ca.dir].map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A fake UMAPI over HTTPS (test CA) that accepts only SECRET, with one user group and one user. */
async function fakeUmapi(): Promise<FakeUmapi> {
  const fake = await startFakeUmapi({ tls: { key: ca.keyPem, cert: ca.certPem }, clientSecret: SECRET })
  fakes.push(fake)
  fake.org.addProductProfile('Creative Cloud - Design', { productName: 'Creative Cloud' })
  fake.org.addUserGroup('Design Team')
  fake.org.addUser({
    email: 'ann.lee@example.com',
    firstname: 'Ann',
    lastname: 'Lee',
    country: 'US',
    groups: ['Design Team', 'Creative Cloud - Design'],
  })
  return fake
}

/** A copy of the UMAPI fixture pointing at `fake`, with `secure_client_secret_key: ust-e2e` instead of the secret. */
async function configFor(fake: FakeUmapi): Promise<string> {
  const dir = await freshCopy(FIXTURE, 'ust-e2e-keyring-')
  dirs.push(dir)
  await writeUmapiConnector(dir, fake, `secure_client_secret_key: ${SERVICE}`)
  expect(await readFile(join(dir, 'connector-umapi.yml'), 'utf8')).toContain(`secure_client_secret_key: ${SERVICE}`)
  return dir
}

/** Environment of a CLI run against the fake. */
function cliEnv(): NodeJS.ProcessEnv {
  return {
    UST_DATA_DIR: dataDir,
    NODE_OPTIONS: '',
    NODE_EXTRA_CA_CERTS: caFile,
    HTTPS_PROXY: undefined,
    https_proxy: undefined,
    NO_PROXY: '127.0.0.1,localhost',
  }
}

/**
 * `ust sync` inside a fresh keyring session; with `account`, the secret is first stored like a UST admin
 * would (`secret-tool store ... service ust-e2e username <org_id>`), read from the environment, not argv.
 */
function syncInSession(dir: string, account?: string): Promise<SessionRun> {
  const cli = [process.execPath, BIN, 'sync', '-c', join(dir, 'user-sync-config.yml'), ...FLAGS]
  const store = `printf %s "$E2E_SECRET" | secret-tool store --label 'UST client secret' service ${SERVICE} username "$E2E_ACCOUNT"`
  const argv = account === undefined ? cli : ['sh', '-c', `${store} && unset E2E_SECRET && exec "$@"`, 'sh', ...cli]
  return runInKeyringSession(argv, { cwd: dir, env: { ...cliEnv(), E2E_SECRET: SECRET, E2E_ACCOUNT: account } })
}

describe('ust sync with the client secret in the OS keyring (secure_client_secret_key)', () => {
  it('reads the secret from the Secret Service and syncs in test mode, never printing it', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(fake)
    const result = await syncInSession(dir, fake.orgId)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('- Action Summary (TEST MODE) -')
    expect(summaryOf(result.stdout).get('Number of new Adobe users added')).toBe('3')
    expect(fake.requests.filter((r) => r.endpoint === 'action').map((r) => r.query.testOnly)).toEqual(['true'])
    for (const text of [result.stdout, result.stderr, result.busLog]) expect(text).not.toContain(SECRET)
  })

  it('fails with a credential error (exit 3) naming the service and account when the secret is missing', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(fake)
    const result = await syncInSession(dir)
    expect(result.code, result.stderr).toBe(3)
    expect(result.stderr).toContain(`service "${SERVICE}", account "${fake.orgId}"`)
    expect(result.stderr).toMatch(/connector-umapi\.yml:\d+/)
    expect(fake.requests).toHaveLength(0)
  })

  it('fails with exit 3 and says what to use instead when there is no D-Bus session (a server under cron)', async () => {
    const fake = await fakeUmapi()
    const dir = await configFor(fake)
    const home = await mkdtemp(join(tmpdir(), 'ust-e2e-keyring-nobus-'))
    dirs.push(home)
    const result = await runCli(['sync', '-c', join(dir, 'user-sync-config.yml'), ...FLAGS], {
      cwd: dir,
      env: { ...cliEnv(), HOME: home, XDG_RUNTIME_DIR: home, DBUS_SESSION_BUS_ADDRESS: undefined },
    })
    expect(result.code, result.stderr).toBe(3)
    expect(result.stderr).toContain(`secure_*_key (service "${SERVICE}")`)
    expect(result.stderr).toContain('No usable OS keyring (Secret Service over D-Bus)')
    expect(result.stderr).toContain(
      '→ keyring: on a server (cron, systemd: no desktop session) use the file or env backend: `credentials.backend: file` in the main config, or UST_CREDENTIAL_BACKEND=file',
    )
    expect(fake.requests).toHaveLength(0)
  })
})
