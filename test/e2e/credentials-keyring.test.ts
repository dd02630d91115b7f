import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, type FakeUmapi, runInKeyringSession, startFakeUmapi, type TestCa } from '@ust-sync/test-servers'
import { expectNoLeak, runUst } from './credentials-helpers.js'
import { BIN } from './run-cli.js'
import { E2E_FIXTURES, freshCopy, summaryOf, writeUmapiConnector } from './sync-helpers.js'

const FIXTURE = join(E2E_FIXTURES, 'sync-umapi')
/** The client secret the fake UMAPI accepts: plain in the config until migrated. */
const SECRET = `e2e-Kr-${randomBytes(12).toString('hex')}`
const SET_SECRET = `set-${randomBytes(9).toString('hex')}`
const TOOL_SECRET = `tool-${randomBytes(9).toString('hex')}`

let ca: TestCa
let fake: FakeUmapi
let out: string
const dirs: string[] = []

beforeAll(async () => {
  ca = createTestCa()
  fake = await startFakeUmapi({ tls: { key: ca.keyPem, cert: ca.certPem }, clientSecret: SECRET })
  fake.org.addProductProfile('Creative Cloud - Design', { productName: 'Creative Cloud' })
  fake.org.addUserGroup('Design Team')
  out = await mkdtemp(join(tmpdir(), 'ust-e2e-creds-keyring-out-'))
}, 120_000)
afterAll(async () => {
  await fake.close()
  await Promise.all([...dirs, out, ca.dir].map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A copy of the UMAPI fixture whose secret line is `secretLine`. */
async function config(secretLine: string): Promise<string> {
  const dir = await freshCopy(FIXTURE, 'ust-e2e-creds-keyring-')
  dirs.push(dir)
  await writeUmapiConnector(dir, fake, secretLine)
  return join(dir, 'user-sync-config.yml')
}

const env = (dataDir: string): NodeJS.ProcessEnv => ({
  UST_DATA_DIR: dataDir,
  UST_CREDENTIAL_BACKEND: undefined,
  UST_CREDENTIALS_PASSPHRASE: undefined,
  NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  NO_PROXY: '127.0.0.1,localhost',
  NODE_OPTIONS: '',
})

/**
 * Runs named steps (shell commands, `$UST` being the built ust) one after the other in one keyring session,
 * and returns each step's stdout, stderr and exit code.
 */
async function session(steps: [string, string][], vars: NodeJS.ProcessEnv, unlock = true) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ust-e2e-creds-keyring-data-'))
  dirs.push(dataDir)
  const script = steps
    .map(([name, command]) => `(${command}) >"$OUT/${name}.out" 2>"$OUT/${name}.err"; echo $? >"$OUT/${name}.code"`)
    .join('\n')
  const run = await runInKeyringSession(['sh', '-c', script], {
    unlock,
    env: { ...env(dataDir), ...vars, OUT: out, UST: `${process.execPath} ${BIN}` },
    timeoutMs: 300_000,
  })
  expect(run.code, run.stderr).toBe(0)
  const results = new Map<string, { code: number; stdout: string; stderr: string }>()
  for (const [name] of steps) {
    results.set(name, {
      code: Number((await readFile(join(out, `${name}.code`), 'utf8')).trim()),
      stdout: await readFile(join(out, `${name}.out`), 'utf8'),
      stderr: await readFile(join(out, `${name}.err`), 'utf8'),
    })
  }
  return results
}

describe('ust credentials with the OS keyring (real Secret Service), through the built ust', () => {
  it('set/get/list/delete/migrate round trip, interoperating with secret-tool; sync finds the migrated secret', async () => {
    const referencing = await config('secure_client_secret_key: ust-e2e')
    const plain = await config(`client_secret: ${SECRET}`)
    const plainText = await readFile(plain.replace('user-sync-config.yml', 'connector-umapi.yml'), 'utf8')
    const r = await session(
      [
        ['info', '$UST info --json'],
        ['set', 'printf %s "$SET_SECRET" | $UST credentials set ust-e2e -c "$REF" --stdin --json'],
        ['lookup', 'secret-tool lookup service ust-e2e username "$ORG"'],
        ['store', 'printf %s "$TOOL_SECRET" | secret-tool store --label tool service ust-tool username u2'],
        ['get', '$UST credentials get ust-tool --username u2 --reveal --json'],
        ['list', '$UST credentials list -c "$REF" --json'],
        ['migrate', '$UST credentials migrate -c "$PLAIN" --json'],
        ['lookup-migrated', 'secret-tool lookup service ust-umapi-client-secret username "$ORG"'],
        ['sync', '$UST sync -c "$PLAIN" --process-groups -t'],
        ['migrate-again', '$UST credentials migrate -c "$PLAIN" --json'],
        ['delete', '$UST credentials delete ust-e2e -c "$REF" --json'],
        ['lookup-deleted', 'secret-tool lookup service ust-e2e username "$ORG"'],
      ],
      { SET_SECRET, TOOL_SECRET, REF: referencing, PLAIN: plain, ORG: fake.orgId },
    )
    const ok = (name: string) => {
      const step = r.get(name)!
      expect(step.code, `${name}: ${step.stderr}`).toBe(0)
      return step
    }
    const info = JSON.parse(ok('info').stdout)
    expect(info.credentials.backends).toContainEqual(
      expect.objectContaining({ id: 'keyring', available: true, default: true }),
    )
    expect(info.credentials.selected).toEqual({ id: 'keyring', chosenBy: 'the default order (keyring, file)' })
    expect(JSON.parse(ok('set').stdout)).toMatchObject({
      backend: 'keyring',
      service: 'ust-e2e',
      account: fake.orgId, // from the config's enterprise.org_id, as UST names keyring entries
      stored: true,
    })
    expect(ok('lookup').stdout).toBe(SET_SECRET)
    ok('store')
    expect(JSON.parse(ok('get').stdout)).toMatchObject({ backend: 'keyring', value: TOOL_SECRET, revealed: true })
    // client_id in plain text is an identifier, not a secret: not listed, not migrated
    expect(JSON.parse(ok('list').stdout).references).toEqual([
      expect.objectContaining({
        setting: 'enterprise.secure_client_secret_key',
        service: 'ust-e2e',
        status: 'present',
      }),
    ])
    expect(JSON.parse(ok('migrate').stdout).items).toEqual([
      expect.objectContaining({
        key: 'enterprise.client_secret',
        service: 'ust-umapi-client-secret',
        status: 'stored',
      }),
    ])
    expect(ok('lookup-migrated').stdout).toBe(SECRET)
    const connector = await readFile(plain.replace('user-sync-config.yml', 'connector-umapi.yml'), 'utf8')
    expect(connector).toBe(
      plainText.replace(`client_secret: ${SECRET}`, 'secure_client_secret_key: ust-umapi-client-secret'),
    )
    expect(summaryOf(ok('sync').stdout).get('Number of new Adobe users added')).toBe('4')
    expect(JSON.parse(ok('migrate-again').stdout)).toEqual({ dryRun: false, backend: null, items: [], files: [] })
    expect(JSON.parse(ok('delete').stdout)).toMatchObject({ deleted: true, account: fake.orgId })
    expect(r.get('lookup-deleted')!.code).not.toBe(0)
    const ustSteps = ['info', 'set', 'list', 'migrate', 'sync', 'migrate-again', 'delete']
    expectNoLeak(
      ustSteps.flatMap((name) => [r.get(name)!.stdout, r.get(name)!.stderr]),
      [SECRET, SET_SECRET, TOOL_SECRET],
    )
  }, 300_000)

  it('a locked keyring (no login keyring): migrate fails with exit 3 and changes no file', async () => {
    const plain = await config(`client_secret: ${SECRET}`)
    const connector = plain.replace('user-sync-config.yml', 'connector-umapi.yml')
    const before = await readFile(connector, 'utf8')
    const r = await session(
      [
        ['migrate', '$UST credentials migrate -c "$PLAIN" --backend keyring'],
        ['set', 'printf %s "$SET_SECRET" | $UST credentials set ust-e2e --username u --stdin --backend keyring'],
      ],
      { PLAIN: plain, SET_SECRET },
      false,
    )
    for (const step of r.values()) {
      expect(step.code).toBe(3)
      expect(step.stderr).toContain(
        'Error: The credential backend "keyring" (named by --backend) cannot be used here: No usable OS keyring (Secret Service over D-Bus): the keyring daemon has no default (login) keyring',
      )
      expectNoLeak([step.stdout, step.stderr], [SECRET, SET_SECRET])
    }
    expect(await readFile(connector, 'utf8')).toBe(before)
    expect((await readdir(join(connector, '..'))).filter((f) => f.endsWith('.bak'))).toEqual([])
  }, 120_000)

  it('no D-Bus session: set and migrate fail with exit 3, say what to do, and change nothing', async () => {
    const plain = await config(`client_secret: ${SECRET}`)
    const connector = plain.replace('user-sync-config.yml', 'connector-umapi.yml')
    const before = await readFile(connector, 'utf8')
    const home = await mkdtemp(join(tmpdir(), 'ust-e2e-creds-nobus-'))
    dirs.push(home)
    const noBus = { ...env(home), HOME: home, XDG_RUNTIME_DIR: home, DBUS_SESSION_BUS_ADDRESS: undefined }
    const set = await runUst(['credentials', 'set', 'ust-e2e', '--username', 'u', '--stdin', '--backend', 'keyring'], {
      env: noBus,
      stdin: SET_SECRET,
    })
    expect(set.code).toBe(3)
    expect(set.stderr).toContain('No usable OS keyring (Secret Service over D-Bus)')
    // a server has no desktop session: the hint is the file or env backend, naming no flag `set` lacks
    expect(set.stderr).toContain(
      '→ on a server (cron, systemd: no desktop session) use the file or env backend: `credentials.backend: file` in the main config, or UST_CREDENTIAL_BACKEND=file (docs/scheduling)',
    )
    // nothing named: the default order finds neither a keyring nor a passphrase for the file backend
    const migrate = await runUst(['credentials', 'migrate', '-c', plain], { env: noBus })
    expect(migrate.code).toBe(3)
    expect(migrate.stderr).toContain('Error: No credential backend is usable here:\n  keyring: No usable OS keyring')
    expect(migrate.stderr).toMatch(/^ {2}file: encrypted file .*, but no passphrase is given$/m)
    // every line short: one reason or one step each
    for (const line of migrate.stderr.split('\n')) expect(line.length, line).toBeLessThan(300)
    // --dry-run lists what would move all the same, and says why a real run would stop
    const dry = await runUst(['credentials', 'migrate', '-c', plain, '--dry-run'], { env: noBus })
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(
      /connector-umapi\.yml:\d+ enterprise\.client_secret → secure_client_secret_key: ust-umapi-client-secret \(account ".*"\) \[dry run\]/,
    )
    expect(dry.stdout).toContain(`would rewrite ${connector}`)
    expect(dry.stderr).toContain('a run without --dry-run would stop here: No credential backend is usable here:')
    const dryJson = await runUst(['credentials', 'migrate', '-c', plain, '--dry-run', '--json'], { env: noBus })
    expect(JSON.parse(dryJson.stdout)).toMatchObject({
      dryRun: true,
      backend: null,
      backendProblem: expect.arrayContaining([expect.stringMatching(/^No credential backend is usable here:/)]),
    })
    expect(await readFile(connector, 'utf8')).toBe(before)
    expect((await readdir(join(connector, '..'))).filter((f) => f.endsWith('.bak'))).toEqual([])
    expectNoLeak(
      [set.stdout, set.stderr, migrate.stdout, migrate.stderr, dry.stdout, dry.stderr, dryJson.stdout],
      [SECRET, SET_SECRET],
    )
  }, 120_000)
})
