import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InitWriteResult } from '../../src/services/init-service.js'
import type { FolderCheck } from '../../src/init/check-folder.js'
import type { InfoResult } from '../../src/services/info-service.js'
import { jsonOf, ROOT, runCli } from './run-cli.js'
import { summaryOf } from './sync-helpers.js'

let work: string
let ldapRegistered = false

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ust-init-'))
  const info = jsonOf<InfoResult>(await runCli(['info', '--json']))
  ldapRegistered = info.plugins.some((p) => p.contributes.identitySources.includes('ldap'))
}, 120_000)
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

const init = (args: string[]) => runCli(['init', ...args], { cwd: work })
const validate = (dir: string) => runCli(['config', 'validate', '-c', join(dir, 'user-sync-config.yml')])

describe('ust init writes a configuration that ust accepts', { timeout: 120_000 }, () => {
  for (const source of ['csv', 'ldap', 'entra']) {
    for (const target of ['umapi', 'sandbox']) {
      it(`--source ${source} --target ${target}: commented UST files that pass ust config validate`, async () => {
        const dir = join(work, `${source}-${target}`)
        const run = await init([dir, '--source', source, '--target', target, '--json'])
        expect(run.code, run.stderr).toBe(0)
        const result = jsonOf<InitWriteResult>(run)
        const names = result.files.map((f) => f.path.slice(dir.length + 1))
        expect(names).toEqual(
          expect.arrayContaining(['user-sync-config.yml', `connector-${source}.yml`, `connector-${target}.yml`]),
        )
        expect(result.files.map((f) => f.action)).toEqual(names.map(() => 'created'))
        const main = await readFile(join(dir, 'user-sync-config.yml'), 'utf8')
        expect(main).toContain(`    ${source}: connector-${source}.yml`)
        expect(main).toContain(`    ${target}: connector-${target}.yml`)
        expect(main.split('\n').filter((l) => l.trim().startsWith('#')).length).toBeGreaterThan(10)
        const check = await validate(dir)
        if (source === 'ldap' && !ldapRegistered) {
          // Until the ldap plugin is installed, the only problem is its absence.
          expect(check.code).toBe(2)
          expect(check.stderr).toContain('The configuration is invalid (1 problem)')
          expect(check.stderr).toContain('no identity source "ldap" is registered')
        } else {
          expect(check.code, check.stderr).toBe(0)
        }
      })
    }
  }

  it('puts the Entra tenant and client ids given as flags in connector-entra.yml, and no secret', async () => {
    const dir = join(work, 'entra-flags')
    const run = await init([
      dir,
      '--source=entra',
      '--target=sandbox',
      '--tenant-id=contoso.onmicrosoft.com',
      '--entra-client-id=aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      '--no-interactive',
    ])
    expect(run.code, run.stderr).toBe(0)
    const entra = await readFile(join(dir, 'connector-entra.yml'), 'utf8')
    expect(entra).toContain('tenant_id: "contoso.onmicrosoft.com"')
    expect(entra).toContain('client_id: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"')
    expect(entra).toMatch(/^secure_client_secret_key: ust-entra-client-secret$/m)
    expect(entra).not.toMatch(/^\s*client_secret:/m)
    expect(run.stdout).toContain('ust credentials set ust-entra-client-secret')
  })

  it('puts the UMAPI and LDAP values given as flags in the connector files, and no secret', async () => {
    const dir = join(work, 'flags')
    const run = await init([
      dir,
      '--source=ldap',
      '--target=umapi',
      '--org-id=1234ABCD@AdobeOrg',
      '--client-id=client-42',
      '--ldap-host=ldaps://dc1.corp.example:636',
      '--base-dn=dc=corp,dc=example',
      '--ldap-username=cn=reader,dc=corp,dc=example',
      '--identity-type=enterpriseID',
    ])
    expect(run.code, run.stderr).toBe(0)
    const umapi = await readFile(join(dir, 'connector-umapi.yml'), 'utf8')
    expect(umapi).toContain('org_id: "1234ABCD@AdobeOrg"')
    expect(umapi).toContain('client_id: "client-42"')
    // the service names `ust credentials migrate` gives (serviceNameFor), so both paths agree
    expect(umapi).toMatch(/^ {2}secure_client_secret_key: ust-umapi-client-secret$/m)
    expect(umapi).not.toMatch(/^\s*client_secret:/m)
    const ldap = await readFile(join(dir, 'connector-ldap.yml'), 'utf8')
    expect(ldap).toContain('host: "ldaps://dc1.corp.example:636"')
    expect(ldap).toContain('username: "cn=reader,dc=corp,dc=example"')
    expect(ldap).not.toMatch(/^\s*password:/m)
    expect(ldap).toMatch(/^secure_password_key: ust-ldap-password$/m)
    expect(await readFile(join(dir, 'user-sync-config.yml'), 'utf8')).toContain('user_identity_type: enterpriseID')
    expect(run.stdout).toContain(
      `Store the UMAPI client secret: ust credentials set ust-umapi-client-secret -c ${join(dir, 'user-sync-config.yml')}`,
    )
    // client_id is an identifier, not a secret: plain text draws no permission warning
    const validate = await runCli(['config', 'validate', '-c', join(dir, 'user-sync-config.yml')], { cwd: dir })
    expect(validate.stdout + validate.stderr).not.toMatch(/plain-text secret/)
  })

  it('a CSV + sandbox configuration syncs as written', async () => {
    const dir = join(work, 'sync-me')
    expect((await init([dir])).code).toBe(0) // no terminal, no flags: csv + sandbox
    const sync = await runCli(['sync', '-c', join(dir, 'user-sync-config.yml')], { cwd: dir })
    expect(sync.code, sync.stderr).toBe(0)
    expect(summaryOf(sync.stdout).get('Number of new Adobe users added')).toBe('1')
    const org = JSON.parse(await readFile(join(dir, 'org.json'), 'utf8'))
    expect(org.users[0]).toMatchObject({ email: 'jane.doe@example.com', groups: ['Acrobat Pro Users'] })
  })

  it('never overwrites a file without --force, and says which', async () => {
    const dir = join(work, 'keep')
    expect((await init([dir, '--source', 'csv', '--target', 'umapi'])).code).toBe(0)
    await writeFile(join(dir, 'connector-umapi.yml'), '# mine\n')
    const again = await init([dir, '--source', 'csv', '--target', 'umapi'])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain(`ust init would overwrite files: ${join(dir, 'user-sync-config.yml')}`)
    expect(again.stderr).toContain('--force')
    expect(await readFile(join(dir, 'connector-umapi.yml'), 'utf8')).toBe('# mine\n')

    const forced = await init([dir, '--source', 'csv', '--target', 'umapi', '--force', '--json'])
    expect(forced.code, forced.stderr).toBe(0)
    expect(jsonOf<InitWriteResult>(forced).files.map((f) => f.action)).toEqual(Array(4).fill('overwritten'))
    expect(await readFile(join(dir, 'connector-umapi.yml'), 'utf8')).toContain('secure_client_secret_key')
  })

  it('rejects an unknown source with the allowed values', async () => {
    const run = await init([join(work, 'bad'), '--source', 'okta'])
    expect(run.code).not.toBe(0)
    expect(run.stderr).toMatch(/Expected --source=okta to be one of: csv, ldap/)
  })
})

describe('ust init --from DIR checks an existing UST folder', { timeout: 120_000 }, () => {
  it('the quickstart: valid, and the differences that concern it', async () => {
    const run = await init(['--from', join(ROOT, 'examples/quickstart'), '--json'])
    expect(run.code, run.stderr).toBe(0)
    const check = jsonOf<FolderCheck>(run)
    expect(check).toMatchObject({ mode: 'check', valid: true, problems: [] })
    const ids = check.differences.map((d) => d.id)
    expect(ids).toEqual(expect.arrayContaining(['auto-create-counted', 'group-names', 'csv-rows', 'csv-default-path']))
    expect(ids).not.toContain('jwt-refused')
    expect(ids).not.toContain('push-strategy')
  })

  it('an old UST folder (JWT, extension, push, delete, a secondary org): not valid, every concerned difference listed', async () => {
    const dir = join(work, 'old-ust')
    await rm(dir, { recursive: true, force: true })
    await init([dir, '--source', 'csv', '--target', 'umapi'])
    const main = await readFile(join(dir, 'user-sync-config.yml'), 'utf8')
    await writeFile(
      join(dir, 'user-sync-config.yml'),
      main
        .replace(
          '    umapi: connector-umapi.yml',
          '    umapi:\n      - connector-umapi.yml\n      - org2: connector-umapi.yml',
        )
        .replace('  connectors:\n    csv:', '  extension: extension-config.yml\n  connectors:\n    csv:')
        .replace('  adobe_only_user_action: preserve', '  adobe_only_user_action: delete\n  strategy: push'),
    )
    await writeFile(
      join(dir, 'connector-umapi.yml'),
      'enterprise:\n  org_id: "1@AdobeOrg"\n  api_key: k\n  tech_acct_id: t@techacct.adobe.com\n  priv_key_path: private.key\n  client_secret: s\n',
    )
    const run = await init(['--from', dir])
    expect(run.code).toBe(2)
    expect(run.stdout).toContain('ust config validate: NOT valid as it is')
    expect(run.stdout).toContain('directory_users.extension')
    const json = jsonOf<FolderCheck>(await init(['--from', dir, '--json']))
    expect(json.valid).toBe(false)
    expect(json.differences.map((d) => d.id)).toEqual(
      expect.arrayContaining(['push-strategy', 'delete-adobe-ids', 'secondary-orgs-first', 'jwt-refused', 'extension']),
    )
    expect(json.differences.find((d) => d.id === 'jwt-refused')?.because).toContain('primary, org2')
  })

  it('a folder without a UST configuration is a config error naming what was looked for', async () => {
    const run = await init(['--from', join(work, 'nothing-here')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`No UST configuration found at ${join(work, 'nothing-here')}`)
  })
})
