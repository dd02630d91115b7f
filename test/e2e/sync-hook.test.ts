import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import type { InfoResult } from '../../src/services/info-service.js'
import { jsonOf, ROOT, runCli } from './run-cli.js'
import { freshCopy, QUICKSTART, readOrg, userOf } from './sync-helpers.js'

const HOOK = join(ROOT, 'examples/plugins/hook-js')
const PLUGIN = '@ust-example/plugin-company-hook-js'

/**
 * UST's examples/csv inputs - user and remove lists/users-file-with-custom-attributes-and-mappings.csv
 * (its rows, same columns), appended to the quickstart's people (who get empty bc/subco cells).
 */
const HOOK_ROWS = [
  'Hook1,User,hook1@example.net,US,,JP1234567,"Company 1",federatedID',
  'Hook2,User,hook2@example.net,US,,GB0070008,"Company 2",federatedID',
  'Hook3,User,hook3@example.net,US,,FR4444444,"Company 3",federatedID',
]

/** UST's example extension-config.yml, in its shape (keys, block scalar, comments). */
const UST_EXTENSION = `# This is a sample configuration file for a user extension.
extended_attributes:
  - bc
  - subco
extended_adobe_groups:
  - Company 1 Users
  - Company 2 Users
# (required) after_mapping_hook
after_mapping_hook: |
  bc = source_attributes.get('bc')
  subco = source_attributes.get('subco')
  if bc is not None:
    target_attributes['country'] = bc[0:2]
  if subco == 'Company 1':
    target_groups.add('Company 1 Users')
  elif subco == 'Company 2':
    target_groups.add('Company 2 Users')
`

/** A quickstart copy whose users.csv has UST's hook rows and whose config names `extension`. */
async function quickstart(extension: string): Promise<string> {
  const dir = await freshCopy(QUICKSTART, 'ust-hook-')
  const csv = (await readFile(join(dir, 'users.csv'), 'utf8')).trimEnd().split('\n')
  const [header, ...rows] = csv
  await writeFile(
    join(dir, 'users.csv'),
    [`${header},bc,subco,type`, ...rows.map((r) => `${r},,,`), ...HOOK_ROWS, ''].join('\n'),
  )
  const config = await readFile(join(dir, 'user-sync-config.yml'), 'utf8')
  await writeFile(
    join(dir, 'user-sync-config.yml'),
    config.replace('directory_users:\n', `directory_users:\n  extension:\n${extension}`),
  )
  return dir
}

describe('a mapping hook plugin (UST extension in JavaScript) against the built ust', () => {
  let home: string
  let env: NodeJS.ProcessEnv

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ust-home-'))
    env = {
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      UST_DATA_DIR: '',
    }
    const linked = await runCli(['plugins', 'link', HOOK, '--no-install'], { env })
    expect(linked.code, linked.stderr).toBe(0)
  }, 60_000)
  afterAll(async () => {
    await rm(home, { recursive: true, force: true })
  })

  it('ust info lists the linked plugin and its mapping hook', async () => {
    const info = await runCli(['info', '--json'], { env })
    expect(info.code, info.stderr).toBe(0)
    const plugin = jsonOf<InfoResult>(info).plugins.find((p) => p.name === PLUGIN)
    expect(plugin).toMatchObject({
      type: 'link',
      contributes: { identitySources: [], targets: [], credentialBackends: [], mappingHooks: ['company-groups'] },
    })
  })

  it("syncs the quickstart with the example hook: the groups and countries UST's example describes", async () => {
    const dir = await quickstart('    plugin: company-groups\n')
    const run = await runCli(
      ['sync', '-c', join(dir, 'user-sync-config.yml'), '--users', 'all', '--process-groups', '--json'],
      { env },
    )
    expect(run.code, run.stderr).toBe(ExitCode.ok)
    const org = await readOrg(dir)
    const hooked = ['hook1@example.net', 'hook2@example.net', 'hook3@example.net'].map((email) => {
      const { country, groups } = userOf(org, email)
      return { email, country, groups }
    })
    expect(hooked).toEqual([
      { email: 'hook1@example.net', country: 'JP', groups: ['Company 1 Users'] },
      { email: 'hook2@example.net', country: 'GB', groups: ['Company 2 Users'] },
      { email: 'hook3@example.net', country: 'FR', groups: [] },
    ])
    // The extended groups are managed groups: created (auto_create) although no mapping names them.
    expect(org.groups.filter((g) => g.name.startsWith('Company')).map((g) => g.name)).toEqual([
      'Company 1 Users',
      'Company 2 Users',
    ])
    // Everyone else keeps the groups the mapping gives them (Olivia: Design and Marketing rows).
    expect(userOf(org, 'olivia.bennett@northwind.example')).toMatchObject({
      country: 'US',
      groups: ['Design Team', 'Creative Cloud - Design', 'Marketing Team', 'Acrobat Pro - Marketing'],
    })
  })

  it('ust config validate creates the hook: a known one is valid, an unknown id is a config error', async () => {
    const good = await quickstart('    plugin: company-groups\n')
    const valid = await runCli(['config', 'validate', '-c', join(good, 'user-sync-config.yml')], { env })
    expect(valid.code, valid.stderr).toBe(ExitCode.ok)
    const bad = await quickstart('    plugin: no-such-hook\n    extended_adobe_groups: [Company 9 Users]\n')
    const invalid = await runCli(['config', 'validate', '-c', join(bad, 'user-sync-config.yml')], { env })
    expect(invalid.code).toBe(ExitCode.config)
    expect(invalid.stderr).toContain(
      'directory_users.extension: No mapping hook "no-such-hook" is registered (directory_users.extension.plugin; available: company-groups)',
    )
  })

  it('a hook that throws stops the run before any write (exit 5), naming the plugin and the user', async () => {
    const dir = await quickstart('    plugin: company-groups\n    fail_on: hook2@example.net\n')
    const before = await readFile(join(dir, 'org.json'), 'utf8')
    const run = await runCli(['sync', '-c', join(dir, 'user-sync-config.yml'), '--users', 'all', '--process-groups'], {
      env,
    })
    expect(run.code).toBe(ExitCode.plugin)
    const csv = (await readFile(join(dir, 'users.csv'), 'utf8')).split('\n')
    const line = csv.findIndex((row) => row.includes('hook2@example.net')) + 1
    expect(run.stderr.replace(/\s*›\s*/g, ' ')).toContain(
      `Plugin ${PLUGIN}@1.0.0: mapping hook "company-groups" failed for user hook2@example.net (${join(dir, 'users.csv')}:${line}): fail_on asked for this user`,
    )
    expect(await readFile(join(dir, 'org.json'), 'utf8')).toBe(before)
  })

  it('a UST extension file (Python) is refused (exit 2) with the equivalent JavaScript hook', async () => {
    const dir = await freshCopy(QUICKSTART, 'ust-hook-')
    await writeFile(join(dir, 'extension-config.yml'), UST_EXTENSION)
    const config = await readFile(join(dir, 'user-sync-config.yml'), 'utf8')
    await writeFile(
      join(dir, 'user-sync-config.yml'),
      config.replace('directory_users:\n', 'directory_users:\n  extension: extension-config.yml\n'),
    )
    const before = await readFile(join(dir, 'org.json'), 'utf8')
    for (const args of [['config', 'validate'], ['sync']]) {
      const run = await runCli([...args, '-c', join(dir, 'user-sync-config.yml')], { env })
      expect(run.code, run.stderr).toBe(ExitCode.config)
      const out = run.stderr
      expect(out).toContain(
        `directory_users.extension: ${join(dir, 'extension-config.yml')} is a UST extension: its after_mapping_hook is Python code, which ust does not run.`,
      )
      for (const line of [
        "import { defineMappingHook, defineRegisterHook } from '@ust-sync/api'",
        '        extendedAttributes: ["bc", "subco"],',
        '        extendedAdobeGroups: ["Company 1 Users", "Company 2 Users"],',
        '        afterMapping({ sourceAttributes, sourceGroups, targetAttributes, targetGroups, storage, logger }) {',
        "          //   bc = source_attributes.get('bc')",
        "          //     target_groups.add('Company 2 Users')",
        '      plugin: my-mapping-hook',
      ])
        expect(out).toContain(line)
    }
    expect(await readFile(join(dir, 'org.json'), 'utf8')).toBe(before)
  })
})
