import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { ValidateResult } from '../../src/commands/config/validate.js'
import { jsonOf, runCli } from './run-cli.js'
import { E2E_FIXTURES, QUICKSTART, freshCopy } from './sync-helpers.js'

const CASES = join(E2E_FIXTURES, 'config-validate')
const copies: string[] = []
afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A copy of the valid base config with the files of `caseName` laid over it. */
async function brokenConfig(caseName: string): Promise<string> {
  const dir = await freshCopy(join(CASES, 'base'), `ust-e2e-validate-${caseName}-`)
  copies.push(dir)
  await cp(join(CASES, caseName), dir, { recursive: true })
  return dir
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

interface BadCase {
  name: string
  /** The file the problem is in. */
  file: string
  /** `line:column` of the problem (a regex fragment). */
  at: string
  /** The key path named. */
  key: string
  /** What the message must also say. */
  says: RegExp
}

const BAD: BadCase[] = [
  {
    name: 'malformed-yaml',
    file: 'user-sync-config.yml',
    at: '(9|10):\\d+',
    key: 'directory_users.groups[0].adobe_groups',
    says: /invalid YAML/,
  },
  {
    name: 'unknown-key',
    file: 'connector-csv.yml',
    at: '1:1',
    key: 'file_pth',
    says: /unknown key "file_pth" \(did you mean "file_path"\?\)/,
  },
  {
    name: 'wrong-type',
    file: 'user-sync-config.yml',
    at: '12:5',
    key: 'directory_users.group_sync_options.auto_create',
    says: /true or false/,
  },
  {
    name: 'missing-required',
    file: 'user-sync-config.yml',
    at: '11:7',
    key: 'directory_users.groups[1].directory_group',
    says: /missing required key "directory_group"/,
  },
  {
    name: 'both-secret',
    file: 'connector-umapi.yml',
    at: '6:3',
    key: 'enterprise.secure_client_secret_key',
    says: /both "client_secret" and "secure_client_secret_key"/,
  },
  {
    name: 'missing-connector-file',
    file: 'user-sync-config.yml',
    at: '3:5',
    key: 'adobe_users.connectors.sandbox',
    says: /connector file not found: .*connector-sandbx\.yml/,
  },
  {
    name: 'shell-execution',
    file: 'user-sync-config.yml',
    at: '6:5',
    key: 'directory_users.connectors.csv',
    says: /Shell execution is no longer supported/,
  },
]

describe.concurrent('ust config validate', () => {
  it('accepts the quickstart configuration (exit 0; --json says valid and lists the files)', async () => {
    const dir = await freshCopy(QUICKSTART, 'ust-e2e-validate-qs-')
    copies.push(dir)
    const configFile = join(dir, 'user-sync-config.yml')
    const [plain, json] = await Promise.all([
      runCli(['config', 'validate', '-c', configFile]),
      runCli(['config', 'validate', '-c', configFile, '--json']),
    ])
    expect(plain.code, plain.stderr).toBe(0)
    expect(plain.stdout).toContain('Configuration is valid')
    expect(json.code, json.stderr).toBe(0)
    const result = jsonOf<ValidateResult>(json)
    expect(result.valid).toBe(true)
    expect(result.files).toEqual(
      expect.arrayContaining([configFile, join(dir, 'connector-csv.yml'), join(dir, 'connector-sandbox.yml')]),
    )
  })

  it.concurrent.each(BAD)(
    'rejects $name with exit 2, naming file:line:column and the key',
    async ({ name, file, at, key, says }) => {
      const dir = await brokenConfig(name)
      const run = await runCli(['config', 'validate', '-c', join(dir, 'user-sync-config.yml')])
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toMatch(new RegExp(`${escapeRegExp(join(dir, file))}:${at}: ${escapeRegExp(key)}: `))
      expect(run.stderr).toMatch(says)
      expect(run.stdout).not.toContain('Configuration is valid')
    },
  )

  it("reports what ust sync would refuse in a connector's settings, without reading any secret (exit 2)", async () => {
    const dir = await freshCopy(join(CASES, 'base'), 'ust-e2e-validate-create-')
    copies.push(dir)
    const main = join(dir, 'user-sync-config.yml')
    await writeFile(
      main,
      (await readFile(main, 'utf8')).replace('sandbox: connector-sandbox.yml', 'umapi: connector-umapi.yml'),
    )
    // The secret is a keyring reference: validate must not read it (no Secret Service runs here).
    const umapi = (host: string) =>
      writeFile(
        join(dir, 'connector-umapi.yml'),
        `server:\n  host: ${host}\nenterprise:\n  org_id: "12345ABCDEF@AdobeOrg"\n  client_id: abc\n  secure_client_secret_key: ust-e2e-umapi\n`,
        { mode: 0o600 },
      )
    const validate = () => runCli(['config', 'validate', '-c', main], { env: { DBUS_SESSION_BUS_ADDRESS: undefined } })

    await umapi('http://usermanagement.adobe.io')
    const plain = await validate()
    expect(plain.code, plain.stderr).toBe(2)
    expect(plain.stderr).toContain(
      `${join(dir, 'connector-umapi.yml')}: umapi (primary) UMAPI: http://usermanagement.adobe.io is plain http://`,
    )
    expect(plain.stderr).toContain('network.allow_insecure_http')
    expect(plain.stdout).not.toContain('Configuration is valid')

    await umapi('ftp://usermanagement.adobe.io')
    const scheme = await validate()
    expect(scheme.code, scheme.stderr).toBe(2)
    expect(scheme.stderr).toContain('server.host: scheme ftp: is not supported')

    await umapi('usermanagement.adobe.io\n  timeout: 1e308')
    const huge = await validate()
    expect(huge.code, huge.stderr).toBe(2)
    expect(huge.stderr).toMatch(/connector-umapi\.yml:3:3: server\.timeout: must be <= 3600/)

    // A connector file that is a directory, or a loop of links, is named as such (not "not found").
    await rm(join(dir, 'connector-umapi.yml'))
    await mkdir(join(dir, 'connector-umapi.yml'))
    expect((await validate()).stderr).toContain(
      `the connector file is a directory: ${join(dir, 'connector-umapi.yml')}`,
    )
    await rm(join(dir, 'connector-umapi.yml'), { recursive: true })
    await symlink(join(dir, 'connector-umapi.yml'), join(dir, 'connector-umapi.yml'))
    expect((await validate()).stderr).toContain(
      `connector file: the path is a loop of symbolic links: ${join(dir, 'connector-umapi.yml')}`,
    )
    await rm(join(dir, 'connector-umapi.yml'))

    await umapi('usermanagement.adobe.io')
    const valid = await validate()
    expect(valid.code, valid.stderr).toBe(0)
    expect(valid.stdout).toContain('Configuration is valid')
  })

  it('never prints the plain client secret it complains about', async () => {
    const dir = await brokenConfig('both-secret')
    const configFile = join(dir, 'user-sync-config.yml')
    const [plain, json] = await Promise.all([
      runCli(['config', 'validate', '-c', configFile]),
      runCli(['config', 'validate', '-c', configFile, '--json']),
    ])
    expect(plain.code).toBe(2)
    expect(json.code).toBe(2)
    for (const text of [plain.stdout, plain.stderr, json.stdout, json.stderr])
      expect(text).not.toContain('p8e-PLAINTEXT-client-secret-4711')
  })
})
