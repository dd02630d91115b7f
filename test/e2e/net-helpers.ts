import { appendFile, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createAuthority, type FakeUmapi, startFakeUmapi, type TestAuthority } from '@ust-sync/test-servers'
import { E2E_FIXTURES, freshCopy, writeUmapiConnector } from './sync-helpers.js'

/** Variables that change proxy or trust; the network tests set them explicitly, never inherit them. */
const NETWORK_VARS = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy',
  'REQUESTS_CA_BUNDLE',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_USE_ENV_PROXY',
  'NODE_TLS_REJECT_UNAUTHORIZED',
]

/** An environment for `runCli` with every proxy/CA variable of this machine removed, plus `extra`. */
export function netEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const name of NETWORK_VARS) env[name] = undefined
  return { ...env, ...extra }
}

/** A fake UMAPI + IMS over HTTPS with a certificate from `authority` (default: localhost, 127.0.0.1). */
export async function startHttpsFake(
  authority: TestAuthority,
  options: { clientSecret?: string; commonName?: string; altNames?: string[]; expired?: boolean } = {},
): Promise<FakeUmapi> {
  const { keyPem, certPem } = authority.issue({
    commonName: options.commonName ?? 'localhost',
    ...(options.altNames ? { altNames: options.altNames } : {}),
    ...(options.expired ? { expired: true } : {}),
  })
  const fake = await startFakeUmapi({
    tls: { key: keyPem, cert: certPem },
    ...(options.clientSecret ? { clientSecret: options.clientSecret } : {}),
  })
  fake.org.addUserGroup('Design Team')
  fake.org.addUserGroup('Marketing Team')
  fake.org.addProductProfile('Creative Cloud - Design', { productName: 'Creative Cloud' })
  return fake
}

/**
 * A copy of the sync-umapi fixture (CSV → UMAPI) pointing at `fake` (or at `url` instead of the fake's
 * own URL, e.g. through a host alias), with `network` appended to the main config as YAML lines.
 */
export async function umapiConfigDir(
  fake: FakeUmapi,
  options: {
    network?: string[]
    url?: string
    serverExtra?: string[]
    authUrl?: string
    retries?: number
    timeout?: number
    secret?: string
    mainExtra?: string[]
  } = {},
): Promise<string> {
  const dir = await freshCopy(join(E2E_FIXTURES, 'sync-umapi'), 'ust-net-e2e-')
  await writeUmapiConnector(
    dir,
    { ...fake, url: options.url ?? fake.url },
    `client_secret: ${JSON.stringify(options.secret ?? fake.clientSecret)}`,
  )
  {
    const file = join(dir, 'connector-umapi.yml')
    let text = await readFile(file, 'utf8')
    if (options.retries !== undefined) text = text.replace(/retries: \d+/, `retries: ${options.retries}`)
    if (options.timeout !== undefined) text = text.replace(/timeout: \d+/, `timeout: ${options.timeout}`)
    if (options.authUrl) text = text.replace(/auth_host: .*/, `auth_host: ${options.authUrl}`)
    if (options.serverExtra)
      text = text.replace('server:\n', `server:\n${options.serverExtra.map((l) => `  ${l}\n`).join('')}`)
    await (await import('node:fs/promises')).writeFile(file, text)
  }
  if (options.mainExtra) await appendFile(join(dir, 'user-sync-config.yml'), `\n${options.mainExtra.join('\n')}\n`)
  if (options.network)
    await appendFile(
      join(dir, 'user-sync-config.yml'),
      `\nnetwork:\n${options.network.map((l) => `  ${l}`).join('\n')}\n`,
    )
  return dir
}

/** Removes directories made by the tests. */
export async function removeAll(dirs: string[]): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
}

export { createAuthority, type TestAuthority }
