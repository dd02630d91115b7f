import { randomBytes } from 'node:crypto'
import { appendFile, chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestCa, type FakeUmapi, startFakeUmapi, type TestCa } from '@ust-sync/test-servers'
import { expectNoLeak, filesUnder, modeOf, runUst, unwrapped } from './credentials-helpers.js'
import { type CliRun, jsonOf } from './run-cli.js'
import { E2E_FIXTURES, freshCopy, summaryOf, writeUmapiConnector } from './sync-helpers.js'

const FIXTURE = join(E2E_FIXTURES, 'sync-umapi')
const SECRET = `e2e-F1le-${randomBytes(12).toString('hex')}`
const PASSPHRASE = `pass-${randomBytes(8).toString('hex')}`
const SYNC_FLAGS = ['--process-groups', '--adobe-only-user-action', 'remove']

let ca: TestCa
let dataDir: string
const fakes: FakeUmapi[] = []
const dirs: string[] = []

beforeAll(async () => {
  ca = createTestCa()
  dataDir = await mkdtemp(join(tmpdir(), 'ust-e2e-creds-file-data-'))
}, 120_000)
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()))
})
afterAll(async () => {
  await Promise.all([...dirs, dataDir, ca.dir].map((dir) => rm(dir, { recursive: true, force: true })))
})

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    UST_DATA_DIR: dataDir,
    UST_CREDENTIALS_PASSPHRASE: PASSPHRASE,
    UST_CREDENTIAL_BACKEND: undefined,
    DBUS_SESSION_BUS_ADDRESS: undefined,
    NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
    HTTPS_PROXY: undefined,
    https_proxy: undefined,
    NO_PROXY: '127.0.0.1,localhost',
    ...extra,
  }
}

async function fakeUmapi(): Promise<FakeUmapi> {
  const fake = await startFakeUmapi({ tls: { key: ca.keyPem, cert: ca.certPem }, clientSecret: SECRET })
  fakes.push(fake)
  fake.org.addProductProfile('Creative Cloud - Design', { productName: 'Creative Cloud' })
  fake.org.addUserGroup('Design Team')
  return fake
}

/** A copy of the UMAPI fixture with the client secret in plain text (and a comment on its line), logging to file. */
async function plainConfig(
  fake: FakeUmapi,
  options: { backendSetting: boolean } = { backendSetting: true },
): Promise<string> {
  const dir = await freshCopy(FIXTURE, 'ust-e2e-creds-file-')
  dirs.push(dir)
  await writeUmapiConnector(dir, fake, `client_secret: ${SECRET} # from the Adobe developer console`)
  const backend = options.backendSetting
    ? '\n# secrets live in the encrypted file backend\ncredentials:\n  backend: file\n'
    : ''
  await appendFile(
    join(dir, 'user-sync-config.yml'),
    `${backend}\nlogging:\n  log_to_file: True\n  file_log_directory: logs\n`,
  )
  return dir
}

describe('ust credentials with the file backend, through the built ust', () => {
  it('migrate moves the plain secrets into the file (comments kept, 0600 backup), ust sync then finds them, a second run changes nothing', async () => {
    const fake = await fakeUmapi()
    const dir = await plainConfig(fake)
    const main = join(dir, 'user-sync-config.yml')
    const connector = join(dir, 'connector-umapi.yml')
    const outputs: string[] = []
    await chmod(connector, 0o644)
    const original = await readFile(connector, 'utf8')

    // a 0644 file holding a plain secret: config validate and every run warn, naming the fix
    const validate = await runUst(['config', 'validate', '-c', main], { env: env(), cwd: dir })
    outputs.push(validate.stdout, validate.stderr)
    expect(validate.code, validate.stderr).toBe(0)
    expect(unwrapped(validate.stderr)).toContain(
      `${connector} holds a plain-text secret (enterprise.client_secret) and can be read by every user of this machine (mode 0644): run \`chmod 600 ${connector}\`, or better move the secret to a credential backend with \`ust credentials migrate -c ${main}\``,
    )

    const before = await runUst(['sync', '-c', main, ...SYNC_FLAGS, '--plan-out', join(dir, 'before.json')], {
      env: env(),
      cwd: dir,
    })
    outputs.push(before.stdout, before.stderr)
    expect(before.code, before.stderr).toBe(0)
    expect(before.stdout).toContain(`WARNING ust - ${connector} holds a plain-text secret (enterprise.client_secret)`)

    const dry = await runUst(['credentials', 'migrate', '-c', main, '--dry-run', '--json'], { env: env(), cwd: dir })
    outputs.push(dry.stdout, dry.stderr)
    expect(dry.code, dry.stderr).toBe(0)
    // client_id is an identifier, not a secret: it stays in plain text
    expect(jsonOf<{ items: { key: string; status: string }[] }>(dry).items.map((i) => [i.key, i.status])).toEqual([
      ['enterprise.client_secret', 'would-store'],
    ])
    expect(await readFile(connector, 'utf8')).toBe(original)

    const migrate = await runUst(['credentials', 'migrate', '-c', main, '--json'], { env: env(), cwd: dir })
    outputs.push(migrate.stdout, migrate.stderr)
    expect(migrate.code, migrate.stderr).toBe(0)
    const result = jsonOf<{ backend: { id: string; chosenBy: string }; files: { file: string; backup: string }[] }>(
      migrate,
    )
    expect(result.backend).toEqual({ id: 'file', chosenBy: `credentials.backend in ${main}` })
    expect(await readFile(connector, 'utf8')).toBe(
      original.replace(`client_secret: ${SECRET} #`, 'secure_client_secret_key: ust-umapi-client-secret #'),
    )
    const backup = result.files[0]!.backup
    expect(result.files).toEqual([
      { file: connector, backup: expect.stringMatching(/connector-umapi\.yml\.\d{8}-\d{6}\.bak$/) },
    ])
    expect(await readFile(backup, 'utf8')).toBe(original)
    expect(await modeOf(backup)).toBe(0o600)
    expect(await modeOf(join(dataDir, 'credentials.enc.json'))).toBe(0o600)

    const list = await runUst(['credentials', 'list', '-c', main, '--json'], { env: env(), cwd: dir })
    outputs.push(list.stdout, list.stderr)
    expect(list.code, list.stderr).toBe(0)
    expect(jsonOf<{ references: object[] }>(list).references).toEqual([
      expect.objectContaining({
        file: connector,
        setting: 'enterprise.secure_client_secret_key',
        backend: 'file',
        service: 'ust-umapi-client-secret',
        account: fake.orgId,
        status: 'present',
      }),
    ])

    // ust sync loads the migrated config: a saved plan, then a test-mode run
    const planFile = join(dir, 'plan.json')
    const plan = await runUst(['sync', '-c', main, ...SYNC_FLAGS, '--plan-out', planFile], { env: env(), cwd: dir })
    outputs.push(plan.stdout, plan.stderr)
    expect(plan.code, plan.stderr).toBe(0)
    expect(await modeOf(planFile)).toBe(0o600)
    const sync = await runUst(['sync', '-c', main, ...SYNC_FLAGS, '-t'], { env: env(), cwd: dir })
    outputs.push(sync.stdout, sync.stderr)
    expect(sync.code, sync.stderr).toBe(0)
    expect(summaryOf(sync.stdout).get('Number of new Adobe users added')).toBe('4')
    expect(sync.stdout).not.toContain('plain-text secret')
    const logs = await filesUnder(join(dir, 'logs'))
    // One log file (named for the day) for both runs.
    expect(logs).toHaveLength(1)
    for (const log of logs) expect(log.mode, log.path).toBe(0o600)

    const again = await runUst(['credentials', 'migrate', '-c', main, '--json'], { env: env(), cwd: dir })
    outputs.push(again.stdout, again.stderr)
    expect(again.code, again.stderr).toBe(0)
    expect(jsonOf(again)).toEqual({ dryRun: false, backend: null, items: [], files: [] })
    expect((await filesUnder(dir)).filter((f) => f.path.endsWith('.bak'))).toHaveLength(1)

    expectNoLeak(
      [
        ...outputs,
        ...logs.map((l) => l.text),
        await readFile(planFile, 'utf8'),
        await readFile(join(dataDir, 'credentials.enc.json'), 'utf8'),
      ],
      [SECRET, PASSPHRASE],
    )
  }, 180_000)

  it('migrate --backend file writes credentials.backend into the config, so the next sync finds the secrets without the flag', async () => {
    const fake = await fakeUmapi()
    const dir = await plainConfig(fake, { backendSetting: false })
    const main = join(dir, 'user-sync-config.yml')
    const before = await readFile(main, 'utf8')
    const dry = await runUst(['credentials', 'migrate', '-c', main, '--backend', 'file', '--dry-run'], {
      env: env(),
      cwd: dir,
    })
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain(
      `would set credentials.backend: file in ${main}, so that every run reads the secrets from where they now are`,
    )
    expect(await readFile(main, 'utf8')).toBe(before)

    const migrate = await runUst(['credentials', 'migrate', '-c', main, '--backend', 'file'], { env: env(), cwd: dir })
    expect(migrate.code, migrate.stderr).toBe(0)
    expect(migrate.stdout).toContain(`set credentials.backend: file in ${main}`)
    const after = await readFile(main, 'utf8')
    expect(after.startsWith(before)).toBe(true)
    expect(after.slice(before.length)).toContain('credentials:\n  backend: file\n')

    const sync = await runUst(['sync', '-c', main, ...SYNC_FLAGS, '-t'], { env: env(), cwd: dir })
    expect(sync.code, sync.stderr).toBe(0)
    expect(summaryOf(sync.stdout).get('Number of new Adobe users added')).toBe('4')
    expectNoLeak(
      [dry.stdout, dry.stderr, migrate.stdout, migrate.stderr, sync.stdout, sync.stderr],
      [SECRET, PASSPHRASE],
    )
  }, 180_000)

  it('set (stdin) / get (masked, --reveal) / delete round trip; wrong passphrase and misses fail with exit 3', async () => {
    const account = 'cn=reader,dc=example,dc=com'
    const secret = `ldap-${randomBytes(9).toString('hex')}`
    const runs: CliRun[] = []
    const ust = async (args: string[], extra: NodeJS.ProcessEnv = {}, stdin?: string) => {
      const run = await runUst(args, { env: env({ UST_CREDENTIAL_BACKEND: 'file', ...extra }), cwd: dataDir, stdin })
      runs.push(run)
      return run
    }
    const set = await ust(
      ['credentials', 'set', 'ust-ldap', '--username', account, '--stdin', '--json'],
      {},
      `${secret}\n`,
    )
    expect(set.code, set.stderr).toBe(0)
    expect(jsonOf(set)).toEqual({
      backend: 'file',
      chosenBy: 'UST_CREDENTIAL_BACKEND',
      service: 'ust-ldap',
      account,
      references: [],
      warnings: [],
      stored: true,
    })
    const masked = await ust(['credentials', 'get', 'ust-ldap', '--username', account])
    expect(masked.code, masked.stderr).toBe(0)
    expect(masked.stdout).toBe(
      `service "ust-ldap", account "${account}" in the file backend: ******** (use --reveal to print it)\n`,
    )
    const maskedJson = await ust(['credentials', 'get', 'ust-ldap', '--username', account, '--json'])
    expect(jsonOf<{ value: string }>(maskedJson).value).toBe('********')
    const revealed = await ust(['credentials', 'get', 'ust-ldap', '--username', account, '--reveal'])
    expect(revealed.stdout).toBe(`${secret}\n`)

    const wrong = await ust(['credentials', 'get', 'ust-ldap', '--username', account], {
      UST_CREDENTIALS_PASSPHRASE: 'wrong passphrase',
    })
    expect(wrong.code).toBe(3)
    expect(wrong.stderr).toContain(
      `Error: Wrong passphrase for the credentials file ${join(dataDir, 'credentials.enc.json')}`,
    )

    const noInput = await ust(['credentials', 'set', 'ust-ldap', '--username', account])
    expect(noInput.code).toBe(3)
    expect(noInput.stderr).toContain('Error: No terminal to ask for the secret on')

    const del = await ust(['credentials', 'delete', 'ust-ldap', '--username', account])
    expect(del.code, del.stderr).toBe(0)
    const miss = await ust(['credentials', 'get', 'ust-ldap', '--username', account])
    expect(miss.code).toBe(3)
    expect(miss.stderr).toContain(
      `Error: No secret in the credential backend "file" (chosen by UST_CREDENTIAL_BACKEND) for service "ust-ldap", account "${account}"`,
    )
    expect(miss.stderr).toContain(`store it: ust credentials set ust-ldap --username ${account} --backend file`)
    const delAgain = await ust(['credentials', 'delete', 'ust-ldap', '--username', account])
    expect(delAgain.code).toBe(3)

    const unknownKey = await ust(['credentials', 'get', 'not-in-any-config'])
    expect(unknownKey.code).toBe(2)
    expect(unknownKey.stderr).toContain(
      '"not-in-any-config" is not used by any secure_*_key setting (no config file found)',
    )

    const readOnly = await ust(
      ['credentials', 'set', 'ust-ldap', '--username', account, '--stdin', '--backend', 'env'],
      {},
      secret,
    )
    expect(readOnly.code).toBe(3)
    expect(readOnly.stderr).toContain(
      'Error: The credential backend "env" is read-only: ust cannot store secrets in it',
    )

    const fromEnv = await ust(['credentials', 'get', 'ust-ldap', '--username', account, '--backend', 'env', '--json'], {
      UST_SECRET_UST_LDAP__CN_READER_DC_EXAMPLE_DC_COM: secret,
    })
    expect(fromEnv.code, fromEnv.stderr).toBe(0)
    expect(jsonOf(fromEnv)).toMatchObject({ backend: 'env', chosenBy: '--backend', present: true, value: '********' })

    expectNoLeak(
      runs.filter((r) => r !== revealed).flatMap((r) => [r.stdout, r.stderr]),
      [secret, PASSPHRASE],
    )
  }, 180_000)

  it('naming a backend that is not installed is a configuration error (exit 2) listing the installed ones', async () => {
    const run = await runUst(['credentials', 'get', 'x', '--username', 'y', '--backend', 'vault'], {
      env: env(),
      cwd: dataDir,
    })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(
      'Error: The credential backend "vault" (named by --backend) is not installed; installed: env, file, keyring',
    )
  })
})
