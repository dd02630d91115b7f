import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import type { InfoResult } from '../../src/services/info-service.js'
import { type LocalRegistry, startRegistry } from '@ust-sync/test-servers'
import { jsonOf, ROOT, runCli } from './run-cli.js'

const exec = promisify(execFile)
const EXAMPLES = join(ROOT, 'examples/plugins')
const KINDS = ['source', 'target', 'backend'] as const
const TOKEN = 'Scim-T0ken/with+chars='

const PACKAGES = {
  'source-ts': '@ust-example/plugin-people-ts',
  'source-js': '@ust-example/plugin-people-js',
  'target-ts': '@ust-example/plugin-scimfile-ts',
  'target-js': '@ust-example/plugin-scimfile-js',
  'backend-ts': '@ust-example/plugin-vault-ts',
  'backend-js': '@ust-example/plugin-vault-js',
}

/** A directory with a main config (people source → SCIM-file target, token from the vault), people and an org. */
async function syncDir(source: string, target: string) {
  const dir = await mkdtemp(join(tmpdir(), 'ust-examples-'))
  await writeFile(
    join(dir, 'user-sync-config.yml'),
    [
      'adobe_users:',
      '  connectors:',
      `    ${target}: connector-scim.yml`,
      'directory_users:',
      '  user_identity_type: federatedID',
      '  connectors:',
      `    ${source}: connector-people.yml`,
      '  groups:',
      '    - directory_group: Design',
      '      adobe_groups: [Design Team]',
      '  group_sync_options:',
      '    auto_create: True',
      'limits:',
      '  max_adobe_only_users: 10',
      '',
    ].join('\n'),
  )
  await writeFile(join(dir, 'connector-people.yml'), 'file: people.json\n')
  await writeFile(
    join(dir, 'connector-scim.yml'),
    'file: scim.json\naccount: ops@example.com\nsecure_token_key: example-scim\n',
  )
  await writeFile(
    join(dir, 'people.json'),
    JSON.stringify([
      { email: 'ann@example.com', firstname: 'Ann', lastname: 'Lee', country: 'us', groups: ['Design'] },
      { email: 'bob@example.com', firstname: 'Bob', lastname: 'Ray', country: 'US', groups: ['Design', 'Web'] },
      { email: 'cy@example.com', firstname: 'Cy', groups: ['Marketing'] },
    ]),
  )
  await writeFile(join(dir, 'scim.json'), JSON.stringify({ token: TOKEN, groups: [], users: [] }))
  return dir
}

describe('the example plugins (TypeScript and JavaScript) built, published, installed and used in a sync', () => {
  let registry: LocalRegistry
  let home: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ust-home-'))
    const vault = join(home, 'vault.json')
    await writeFile(vault, JSON.stringify({ 'example-scim': { 'ops@example.com': TOKEN } }), { mode: 0o600 })
    env = {
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      UST_DATA_DIR: '',
      UST_EXAMPLE_VAULT_FILE: vault,
      // No Secret Service here: the keyring backend is unavailable, as on a headless server.
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
    }
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
    for (const kind of KINDS) await exec(process.execPath, [tsc, '-p', join(EXAMPLES, `${kind}-ts`)])
    registry = await startRegistry()
    await registry.publish(join(ROOT, 'packages/api'))
    for (const dir of Object.keys(PACKAGES)) await registry.publish(join(EXAMPLES, dir))
  }, 180_000)
  afterAll(async () => {
    await registry?.stop()
    await rm(home, { recursive: true, force: true })
  })

  it('ust plugins install installs all six from the registry; ust info lists what each contributes', async () => {
    const installed = await runCli(['plugins', 'install', ...Object.values(PACKAGES)], {
      env: { ...env, UST_NPM_REGISTRY: registry.url },
      timeoutMs: 400_000,
    })
    expect(installed.code, installed.stderr).toBe(0)
    const info = jsonOf<InfoResult>(await runCli(['info', '--json'], { env }))
    expect(info.failures).toEqual([])
    const of = (name: string) => info.plugins.find((p) => p.name === name)
    expect(of(PACKAGES['source-ts'])).toMatchObject({ type: 'user', contributes: { identitySources: ['people'] } })
    expect(of(PACKAGES['source-js'])).toMatchObject({ type: 'user', contributes: { identitySources: ['peoplejs'] } })
    expect(of(PACKAGES['target-ts'])).toMatchObject({ contributes: { targets: ['scimfile'] } })
    expect(of(PACKAGES['target-js'])).toMatchObject({ contributes: { targets: ['scimfilejs'] } })
    expect(of(PACKAGES['backend-ts'])).toMatchObject({ contributes: { credentialBackends: ['vault'] } })
    expect(of(PACKAGES['backend-js'])).toMatchObject({ contributes: { credentialBackends: ['vaultjs'] } })
  }, 420_000)

  for (const [source, target, backend] of [
    ['people', 'scimfile', 'vaultjs'],
    ['peoplejs', 'scimfilejs', 'vault'],
  ] as const) {
    it(`ust sync: ${source} → ${target}, token from the ${backend} backend; -t first changes nothing`, async () => {
      const dir = await syncDir(source, target)
      const runEnv = { ...env, UST_CREDENTIAL_BACKEND: backend }
      const args = ['sync', '-c', join(dir, 'user-sync-config.yml'), '--connector', source, '--process-groups']
      const before = await readFile(join(dir, 'scim.json'), 'utf8')
      // Cy has no country: a Federated ID cannot be created without one. Not everything asked was done: exit 8.
      const noCountry = 'User cannot be added without a specified country code: federatedid,cy@example.com'
      const test = await runCli([...args, '-t'], { env: runEnv, cwd: dir })
      expect(test.code, test.stderr).toBe(ExitCode.partial)
      expect(test.stdout).toContain(noCountry)
      expect(await readFile(join(dir, 'scim.json'), 'utf8')).toBe(before)

      const live = await runCli(args, { env: runEnv, cwd: dir })
      expect(live.code, live.stderr).toBe(ExitCode.partial)
      expect(live.stdout).toContain(noCountry)
      const scim = JSON.parse(await readFile(join(dir, 'scim.json'), 'utf8'))
      expect(scim.groups).toEqual(['Design Team'])
      expect(scim.users).toEqual([
        { userName: 'ann@example.com', givenName: 'Ann', familyName: 'Lee', country: 'US', groups: ['Design Team'] },
        { userName: 'bob@example.com', givenName: 'Bob', familyName: 'Ray', country: 'US', groups: ['Design Team'] },
      ])
      for (const output of [test.stdout, test.stderr, live.stdout, live.stderr]) {
        expect(output).not.toContain(TOKEN)
        expect(output).not.toContain(encodeURIComponent(TOKEN))
        expect(output).not.toContain(Buffer.from(TOKEN).toString('base64'))
      }
      await rm(dir, { recursive: true, force: true })
    })
  }
})
