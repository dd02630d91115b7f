import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type FakeUmapi, startFakeUmapi } from '@ust-sync/test-servers'

/** Where a source-to-target e2e run writes: the fake UMAPI (connector-umapi.yml) or a sandbox org file. */
export type TargetChoice = { kind: 'umapi'; fake: FakeUmapi; secret: string } | { kind: 'sandbox' }

/** The org file a sandbox target starts from: `Design Team` exists, `Marketing Team` is created by the run. */
const SANDBOX_ORG = {
  users: [
    {
      identityType: 'federatedID',
      email: 'gone@example.com',
      username: 'gone@example.com',
      domain: 'example.com',
      firstname: 'Gone',
      lastname: 'Away',
      country: 'US',
      groups: ['Design Team'],
    },
  ],
  groups: [{ name: 'Design Team', type: 'userGroup' }],
}

/**
 * A temp directory holding a UST-style config: `user-sync-config.yml` mapping the directory groups Design
 * and Marketing to the Adobe user groups `Design Team` and `Marketing Team`, the source's connector file
 * (`connectorFile` with `connectorText`), and the target's files. `network` lines go under `network:`.
 */
export async function sourceSyncDir(options: {
  sourceId: string
  connectorFile: string
  connectorText: string
  target: TargetChoice
  network?: string[]
  groups?: { directory: string; adobe: string }[]
  /** More lines at the end of the main file. */
  mainExtra?: string[]
}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `ust-e2e-${options.sourceId}-`))
  const targetId = options.target.kind
  const groups = options.groups ?? [
    { directory: 'Design', adobe: 'Design Team' },
    { directory: 'Marketing', adobe: 'Marketing Team' },
  ]
  const main = [
    'adobe_users:',
    '  exclude_identity_types: [adobeID]',
    '  exclude_adobe_groups: [_org_admin]',
    '  connectors:',
    `    ${targetId}: connector-${targetId}.yml`,
    '  update_attributes: [firstname, lastname]',
    'directory_users:',
    '  user_identity_type: federatedID',
    '  default_country_code: US',
    '  connectors:',
    `    ${options.sourceId}: ${options.connectorFile}`,
    '  groups:',
    ...groups.flatMap((g) => [
      `    - directory_group: ${g.directory}`,
      `      adobe_groups: [${JSON.stringify(g.adobe)}]`,
    ]),
    '  group_sync_options:',
    '    auto_create: True',
    'limits:',
    '  max_adobe_only_users: 10',
    '  first_run_removal_percent: 100',
    'logging:',
    '  log_to_file: False',
    ...(options.network ? ['network:', ...options.network.map((l) => `  ${l}`)] : []),
    ...(options.mainExtra ?? []),
    '',
  ]
  await writeFile(join(dir, 'user-sync-config.yml'), main.join('\n'))
  await writeFile(join(dir, options.connectorFile), options.connectorText, { mode: 0o600 })
  if (options.target.kind === 'umapi') {
    const { fake, secret } = options.target
    const umapi = [
      'authentication_method: oauth',
      'server:',
      `  host: ${fake.url}`,
      `  auth_host: ${fake.url}`,
      '  timeout: 10',
      '  retries: 2',
      '  rate_limits: { action: 10, users: 25, users_in_group: 25, groups: 5 }',
      '  rate_window_seconds: 2',
      'enterprise:',
      `  org_id: ${JSON.stringify(fake.orgId)}`,
      `  client_id: ${fake.clientId}`,
      `  client_secret: ${JSON.stringify(secret)}`,
      '',
    ]
    await writeFile(join(dir, 'connector-umapi.yml'), umapi.join('\n'), { mode: 0o600 })
  } else {
    await writeFile(join(dir, 'connector-sandbox.yml'), 'org_file: org.json\nname: e2e sandbox\n')
    await writeFile(join(dir, 'org.json'), `${JSON.stringify(SANDBOX_ORG, null, 2)}\n`)
  }
  return dir
}

/** Every form a planted secret could leak in: raw, URL-encoded, form-encoded, base64, base64url. */
export function secretForms(secret: string): string[] {
  const b64 = Buffer.from(secret).toString('base64')
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    b64,
    b64.replace(/=+$/, ''),
    Buffer.from(secret).toString('base64url'),
  ]
}

/**
 * The target org of the source e2e tests, a fake UMAPI over HTTPS: Bob with an outdated first name, Zed no
 * longer in the directory, an excluded admin. Tight per-client limits, so pacing is exercised.
 */
export async function startTargetOrg(tls: { key: string; cert: string }, clientSecret: string): Promise<FakeUmapi> {
  const fake = await startFakeUmapi({
    tls,
    clientSecret,
    limits: { action: 10, users: 25, usersInGroup: 25, groups: 5 },
    windowMs: 2000,
  })
  fake.org.addUserGroup('Design Team')
  fake.org.addUser({
    email: 'bob.stone@example.com',
    firstname: 'Robert',
    lastname: 'Stone',
    country: 'GB',
    groups: ['Design Team'],
  })
  fake.org.addUser({
    email: 'zed.old@example.com',
    firstname: 'Zed',
    lastname: 'Old',
    country: 'US',
    groups: ['Design Team'],
  })
  fake.org.addUser({ email: 'it.admin@example.com', type: 'enterpriseID', groups: ['_org_admin'] })
  return fake
}
