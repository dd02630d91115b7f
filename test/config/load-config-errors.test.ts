import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config/load-config.js'
import { configErrorOf, expectIssue } from './expect-config-error.js'
import { fakeSchemas } from './fake-schemas.js'

const fixture = (name: string) => resolve(import.meta.dirname, '../fixtures/config', name)
const load = (name: string) => loadConfig({ cwd: fixture(name), schemas: fakeSchemas })
const MAIN = 'user-sync-config.yml'
const UMAPI = 'connector-umapi.yml'

describe('loadConfig reports bad input with file, line:column and key path', () => {
  it('malformed YAML', async () => {
    const error = await configErrorOf(load('malformed-yaml'))
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]).toMatchObject({
      line: 6,
      column: 1,
      path: 'limits.max_adobe_only_users',
      message: expect.stringMatching(/^invalid YAML: Flow sequence/),
    })
    expect(error.message).toContain(`malformed-yaml/${MAIN}:6:1:`)
  })

  it('unknown key, with a did-you-mean suggestion', async () => {
    const error = await configErrorOf(load('unknown-key'))
    expectIssue(error, {
      file: MAIN,
      line: 7,
      column: 3,
      path: 'directory_users.user_identiy_type',
      message: 'unknown key "user_identiy_type"',
      suggestion: 'did you mean "user_identity_type"?',
    })
    expect(error.message).toContain('did you mean "user_identity_type"?')
  })

  it('a key and a value written together (no space after the colon) are cut, never quoted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ust-key-value-'))
    await writeFile(join(dir, MAIN), 'adobe_users:\n  connectors:\n    umapi: connector-umapi.yml\n')
    await writeFile(
      join(dir, UMAPI),
      "server:\n  host: usermanagement.adobe.io\nenterprise:\n  org_id: ORG@AdobeOrg\n  client_id: id\n  secure_client_secret_key: k\n  client_secret:'S3cretValue':\n",
    )
    const error = await configErrorOf(loadConfig({ cwd: dir, schemas: fakeSchemas }))
    expectIssue(error, {
      file: UMAPI,
      line: 7,
      column: 3,
      path: 'enterprise.client_secret…',
      message: 'unknown key "client_secret…" (cut: it looks like a key and its value written together)',
      suggestion: 'did you mean "client_secret"?; write a space after the colon (key: value)',
    })
    expect(JSON.stringify(error)).not.toContain('S3cretValue')
    expect(error.message).not.toContain('S3cretValue')
  })

  it('wrong type in a connector file', async () => {
    const error = await configErrorOf(load('wrong-type'))
    expectIssue(error, {
      file: `wrong-type/${UMAPI}`,
      line: 3,
      column: 3,
      path: 'server.timeout',
      message: 'must be a whole number, not a string',
    })
  })

  it('missing required key in a connector file', async () => {
    const error = await configErrorOf(load('missing-required'))
    expectIssue(error, {
      file: `missing-required/${UMAPI}`,
      line: 2,
      column: 1,
      path: 'enterprise.org_id',
      message: 'missing required key "org_id"',
    })
  })

  it('both a secret and its secure_X_key, without revealing the secret', async () => {
    const error = await configErrorOf(load('both-secret'))
    expect(error.issues).toHaveLength(1)
    expectIssue(error, {
      file: `both-secret/${UMAPI}`,
      line: 6,
      column: 3,
      path: 'enterprise.secure_client_secret_key',
      message: 'cannot contain setting for both "client_secret" and "secure_client_secret_key"',
    })
    expect(error.message).not.toContain('plain-secret-value')
  })

  it('missing connector file, at the key that names it, with the resolved path', async () => {
    const error = await configErrorOf(load('missing-connector-file'))
    expectIssue(error, {
      file: `missing-connector-file/${MAIN}`,
      line: 3,
      column: 5,
      path: 'adobe_users.connectors.umapi',
      message: `connector file not found: ${fixture('missing-connector-file')}/conf/connector-umapi.yml`,
    })
  })

  it('$(...) shell execution', async () => {
    const error = await configErrorOf(load('shell-execution'))
    expectIssue(error, {
      file: MAIN,
      line: 3,
      column: 5,
      path: 'adobe_users.connectors.umapi',
      message: 'Shell execution is no longer supported',
    })
  })

  it('a bad regex in additional_groups, at its line', async () => {
    const error = await configErrorOf(load('bad-regex'))
    expect(error.issues).toHaveLength(1)
    expectIssue(error, {
      file: MAIN,
      line: 10,
      column: 7,
      path: 'directory_users.additional_groups[1].source',
      message: 'invalid regular expression "Team-(.+": missing closing ): `Team-(.+`',
    })
  })

  it('max_adobe_only_users over 100%', async () => {
    const error = await configErrorOf(load('bad-limit'))
    expectIssue(error, {
      file: MAIN,
      line: 5,
      column: 3,
      path: 'limits.max_adobe_only_users',
      message: /"150%": a percentage must be between 0% and 100%/,
    })
  })

  it('a v1 config, with UST advice and nothing else', async () => {
    const error = await configErrorOf(load('v1-config'))
    expect(error.issues.map((i) => i.path)).toEqual(['dashboard', 'directory'])
    expectIssue(error, {
      file: MAIN,
      line: 1,
      column: 1,
      path: 'dashboard',
      message: /User Sync v1 configuration/,
      suggestion: /convert it to the v2 format/,
    })
  })

  it('several problems across the main file and a list of merged files, all at once, each in its own file', async () => {
    const error = await configErrorOf(load('multiple-problems'))
    expect(error.issues).toHaveLength(5)
    expect(error.message).toContain('(5 problems)')
    expectIssue(error, {
      file: `multiple-problems/${MAIN}`,
      line: 2,
      column: 37,
      path: 'adobe_users.exclude_identity_types[1]',
      message: 'must be one of "adobeID", "enterpriseID", "federatedID"',
    })
    expectIssue(error, {
      file: MAIN,
      line: 6,
      column: 3,
      path: 'directory_users.conectors',
      message: 'unknown key "conectors"',
      suggestion: 'did you mean "connectors"?',
    })
    expectIssue(error, {
      file: MAIN,
      line: 8,
      column: 1,
      path: 'limits.max_adobe_only_users',
      message: 'missing required key "max_adobe_only_users"',
    })
    expectIssue(error, {
      file: 'connector-umapi-site.yml',
      line: 3,
      column: 3,
      path: 'server.timeout',
      message: 'must be a whole number, not a string',
    })
    expectIssue(error, {
      file: 'connector-umapi-site.yml',
      line: 4,
      column: 3,
      path: 'server.proxy_host',
      message: 'unknown key "proxy_host"',
    })
  })
})

describe('loadConfig: other rules of UST layout', () => {
  async function project(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'ust-config-'))
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text)
    return dir
  }
  const base = 'limits:\n  max_adobe_only_users: 10\n'

  it('an unknown target id lists the registered ones and how to install a plugin', async () => {
    const cwd = await project({ [MAIN]: `adobe_users:\n  connectors:\n    scim: scim.yml\n${base}` })
    const error = await configErrorOf(loadConfig({ cwd, schemas: fakeSchemas }))
    const issue = expectIssue(error, {
      file: MAIN,
      line: 3,
      column: 5,
      path: 'adobe_users.connectors.scim',
      message: 'unknown target "scim"; registered targets: umapi, sandbox',
    })
    expect(issue.suggestion).toContain('ust plugins install')
  })

  it('a primary file after a secondary {name: file} entry is an error', async () => {
    const cwd = await project({
      [MAIN]: `adobe_users:\n  connectors:\n    umapi:\n      - a.yml\n      - org2: b.yml\n      - c.yml\n${base}`,
      'a.yml': 'enterprise: {org_id: o, client_id: i, client_secret: s}\n',
      'b.yml': 'enterprise: {org_id: o2, client_id: i, client_secret: s}\n',
    })
    const error = await configErrorOf(loadConfig({ cwd, schemas: fakeSchemas }))
    expectIssue(error, {
      file: MAIN,
      line: 6,
      column: 9,
      path: 'adobe_users.connectors.umapi[2]',
      message: /cannot follow a secondary/,
    })
  })

  it('a group naming an org that is not configured is an error', async () => {
    const cwd = await project({
      [MAIN]: `adobe_users:\n  connectors:\n    sandbox: s.yml\ndirectory_users:\n  groups:\n    - directory_group: G\n      adobe_groups: [ok, org9::X]\n${base}`,
      's.yml': '',
    })
    const error = await configErrorOf(loadConfig({ cwd, schemas: fakeSchemas }))
    expectIssue(error, {
      file: MAIN,
      line: 7,
      column: 26,
      path: 'directory_users.groups[0].adobe_groups[1]',
      message: 'org "org9" is not defined under adobe_users.connectors',
    })
  })

  it('exclude_adobe_groups accepts primary-org groups only; post_sync is refused with migration advice', async () => {
    const cwd = await project({
      [MAIN]: `adobe_users:\n  exclude_adobe_groups: [org2::Admins]\n  connectors:\n    sandbox: s.yml\npost_sync:\n  modules: [sign_sync]\n${base}`,
      's.yml': '',
    })
    const error = await configErrorOf(loadConfig({ cwd, schemas: fakeSchemas }))
    expectIssue(error, {
      file: MAIN,
      line: 2,
      column: 26,
      path: 'adobe_users.exclude_adobe_groups[0]',
      message: /primary org only/,
    })
    expectIssue(error, {
      file: MAIN,
      line: 5,
      column: 1,
      path: 'post_sync',
      message: /no longer supported/,
      suggestion: /migrate-post-sync/,
    })
  })

  it('invocation_defaults: names, types and keywords are checked', async () => {
    const cwd = await project({
      [MAIN]: `adobe_users:\n  connectors:\n    sandbox: s.yml\ninvocation_defaults:\n  users: mappd\n  test_mode: maybe\n  conector: ldap\n  connector: okta\n${base}`,
      's.yml': '',
    })
    const error = await configErrorOf(loadConfig({ cwd, schemas: fakeSchemas }))
    expectIssue(error, {
      file: MAIN,
      line: 5,
      column: 3,
      path: 'invocation_defaults.users',
      message: /unknown value "mappd"/,
      suggestion: 'did you mean "mapped"?',
    })
    expectIssue(error, {
      file: MAIN,
      line: 6,
      column: 3,
      path: 'invocation_defaults.test_mode',
      message: 'must be true or false, not a string',
    })
    expectIssue(error, {
      file: MAIN,
      line: 7,
      column: 3,
      path: 'invocation_defaults.conector',
      message: 'unknown key "conector"',
      suggestion: 'did you mean "connector"?',
    })
    expectIssue(error, {
      file: MAIN,
      line: 8,
      column: 3,
      path: 'invocation_defaults.connector',
      message: 'connector "okta" not installed: `ust plugins install @ust-sync/plugin-okta`',
      suggestion: 'install it, or choose another connector',
    })
  })

  it('a file whose top level is not a mapping, and an empty main file', async () => {
    const listDir = await project({ [MAIN]: '- just\n- a list\n' })
    const listError = await configErrorOf(loadConfig({ cwd: listDir, schemas: fakeSchemas }))
    expect(listError.issues[0]!.message).toMatch(/does not contain settings/)
    const emptyDir = await project({ [MAIN]: '' })
    const emptyError = await configErrorOf(loadConfig({ cwd: emptyDir, schemas: fakeSchemas }))
    expect(emptyError.issues.map((i) => i.path)).toEqual(['adobe_users', 'limits'])
  })

  it('invalid UTF-8 and an unknown encoding are configuration errors', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'ust-config-'))
    await writeFile(join(cwd, MAIN), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]))
    const badBytes = await configErrorOf(loadConfig({ cwd, schemas: fakeSchemas }))
    expect(badBytes.issues[0]).toMatchObject({
      message: 'the file is not valid utf8',
      suggestion: 'pass the right --config-file-encoding',
    })
    const badName = await configErrorOf(loadConfig({ cwd, schemas: fakeSchemas, encoding: 'klingon-8' }))
    expect(badName.message).toContain('Unknown config file encoding "klingon-8"')
  })

  it('an empty value is "not set"; a key UST users put in the wrong place gets a "did you mean" to where it is read', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'ust-config-'))
    await writeFile(
      join(cwd, MAIN),
      [
        'adobe_users:',
        '  connectors:',
        '    sandbox: sandbox.yml',
        'limits:',
        '  max_adobe_only_users: 200',
        'invocation_defaults:',
        '  user_filter: ~',
        '  adobe_only_user_list:',
        'ssl_cert_verify: False',
        '',
      ].join('\n'),
    )
    await writeFile(join(cwd, 'sandbox.yml'), 'state_file: state.json\n')
    const error = await configErrorOf(loadConfig({ cwd, schemas: fakeSchemas }))
    expect(error.issues).toHaveLength(1)
    expectIssue(error, {
      file: MAIN,
      line: 9,
      column: 1,
      path: 'ssl_cert_verify',
      message: 'unknown key "ssl_cert_verify"',
      suggestion:
        'did you mean invocation_defaults.ssl_cert_verify (main file) or server.ssl_verify (connector-umapi.yml)?',
    })
  })
})
