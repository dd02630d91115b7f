import { randomBytes } from 'node:crypto'
import { appendFile, cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InfoResult } from '../../src/services/info-service.js'
import { createTestCa, type FakeUmapi, startFakeUmapi, type TestCa } from '@ust-sync/test-servers'
import { expectNoLeak, runUst } from './credentials-helpers.js'
import { type CliRun, jsonOf, ROOT } from './run-cli.js'
import { E2E_FIXTURES, freshCopy, summaryOf, writeUmapiConnector } from './sync-helpers.js'

const SECRET = `vault-${randomBytes(12).toString('hex')}`
let ca: TestCa
let fake: FakeUmapi
let home: string
let main: string
let env: NodeJS.ProcessEnv
const runs: CliRun[] = []

async function ust(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const run = await runUst(args, { env: { ...env, ...extra }, cwd: home })
  runs.push(run)
  return run
}

beforeAll(async () => {
  ca = createTestCa()
  fake = await startFakeUmapi({ tls: { key: ca.keyPem, cert: ca.certPem }, clientSecret: SECRET })
  fake.org.addProductProfile('Creative Cloud - Design', { productName: 'Creative Cloud' })
  fake.org.addUserGroup('Design Team')
  home = await mkdtemp(join(tmpdir(), 'ust-e2e-creds-choice-'))
  env = {
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_RUNTIME_DIR: home,
    UST_DATA_DIR: '',
    UST_CREDENTIAL_BACKEND: undefined,
    UST_CREDENTIALS_PASSPHRASE: undefined,
    DBUS_SESSION_BUS_ADDRESS: undefined,
    NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
    HTTPS_PROXY: undefined,
    https_proxy: undefined,
    NO_PROXY: '127.0.0.1,localhost',
  }
  const plugin = join(home, 'vault-backend')
  await cp(join(ROOT, 'test/fixtures/plugins/vault-backend'), plugin, { recursive: true })
  const linked = await runUst(['plugins', 'link', plugin, '--no-install'], { env, cwd: home })
  expect(linked.code, linked.stderr).toBe(0)
  const dataDir = join(home, 'data', 'ust')
  await mkdir(dataDir, { recursive: true })
  await writeFile(join(dataDir, 'vault.json'), JSON.stringify({ [`ust-e2e/${fake.orgId}`]: SECRET }))
  const dir = await freshCopy(join(E2E_FIXTURES, 'sync-umapi'), 'ust-e2e-creds-choice-config-')
  await writeUmapiConnector(dir, fake, 'secure_client_secret_key: ust-e2e')
  main = join(dir, 'user-sync-config.yml')
}, 180_000)
afterAll(async () => {
  await fake.close()
  expectNoLeak(
    runs.map((r) => r.stderr),
    [SECRET],
  )
  await Promise.all([home, ca.dir, join(main, '..')].map((d) => rm(d, { recursive: true, force: true })))
})

describe('choosing the credential backend (a linked third-party backend "vault" holds the secret)', () => {
  it('ust info lists the third-party backend as used only when named; the default order never picks it', async () => {
    const info = await ust(['info', '--json'])
    expect(info.code, info.stderr).toBe(0)
    const result = jsonOf<InfoResult>(info)
    expect(result.credentials.backends).toContainEqual(
      expect.objectContaining({ id: 'vault', plugin: '@ustx/plugin-vault', default: false, available: true }),
    )
    expect(result.credentials.selected).toEqual({
      error: expect.stringMatching(/^No credential backend is usable here/),
    })
    const get = await ust(['credentials', 'get', 'ust-e2e', '-c', main])
    expect(get.code).toBe(3)
    // one reason per line, each backend's steps on its own → line
    expect(get.stderr).toContain('Error: No credential backend is usable here:\n  keyring: No usable OS keyring')
    expect(get.stderr).toMatch(/^ {2}file: encrypted file .* but no passphrase is given$/m)
    expect(get.stderr).toMatch(/^ {2}→ file: set UST_CREDENTIALS_PASSPHRASE in the environment of ust/m)
  })

  it('with the file backend usable, the default order answers with it and a miss does not fall through to vault', async () => {
    const get = await ust(['credentials', 'get', 'ust-e2e', '-c', main], { UST_CREDENTIALS_PASSPHRASE: 'p' })
    expect(get.code).toBe(3)
    expect(get.stderr).toContain(
      `Error: No secret in the credential backend "file" (chosen by the default order (keyring, file); skipped keyring:`,
    )
    expect(get.stderr).toContain(
      `store it: ust credentials set ust-e2e --username ${fake.orgId} --backend file -c ${main}`,
    )
  })

  it('is used when named by --backend, UST_CREDENTIAL_BACKEND or credentials.backend; the flag wins over the env, the env over the config', async () => {
    const byFlag = await ust(['credentials', 'get', 'ust-e2e', '-c', main, '--backend', 'vault', '--json'])
    expect(jsonOf(byFlag)).toMatchObject({
      backend: 'vault',
      chosenBy: '--backend',
      present: true,
      account: fake.orgId,
    })
    const byEnv = await ust(['credentials', 'get', 'ust-e2e', '-c', main, '--json'], {
      UST_CREDENTIAL_BACKEND: 'vault',
    })
    expect(jsonOf(byEnv)).toMatchObject({ backend: 'vault', chosenBy: 'UST_CREDENTIAL_BACKEND' })

    const configured = join(main, '..', 'configured.yml')
    await cp(main, configured)
    await appendFile(configured, '\ncredentials:\n  backend: vault\n')
    const byConfig = await ust(['credentials', 'get', 'ust-e2e', '-c', configured, '--json'])
    expect(jsonOf(byConfig)).toMatchObject({ backend: 'vault', chosenBy: `credentials.backend in ${configured}` })

    // ust sync reads the secret from the configured backend
    const sync = await ust(['sync', '-c', configured, '--process-groups', '-t'])
    expect(sync.code, sync.stderr).toBe(0)
    expect(summaryOf(sync.stdout).get('Number of new Adobe users added')).toBe('4')

    // the env names another backend: its miss is an error, never an answer from vault
    const requests = fake.requests.length
    const overridden = await ust(['sync', '-c', configured, '--process-groups', '-t'], {
      UST_CREDENTIAL_BACKEND: 'file',
      UST_CREDENTIALS_PASSPHRASE: 'p',
    })
    expect(overridden.code).toBe(3)
    expect(overridden.stderr).toContain(
      `Error: No secret for enterprise.client_secret (secure_client_secret_key: ust-e2e at ${join(main, '..', 'connector-umapi.yml')}:14) in the credential backend "file" (chosen by UST_CREDENTIAL_BACKEND): service "ust-e2e", account "${fake.orgId}" has no entry`,
    )
    expect(fake.requests.length).toBe(requests)
    const flagWins = await ust(['credentials', 'get', 'ust-e2e', '-c', configured, '--backend', 'env'], {
      UST_CREDENTIAL_BACKEND: 'vault',
    })
    expect(flagWins.code).toBe(3)
    expect(flagWins.stderr).toContain('No secret in the credential backend "env" (chosen by --backend)')
  }, 120_000)
})
