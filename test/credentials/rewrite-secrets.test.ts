import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { permissionWarnings } from '../../src/credentials/config-permissions.js'
import { rewriteFile } from '../../src/credentials/rewrite-secrets.js'
import type { SecretSite } from '../../src/credentials/secret-sites.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ust-rewrite-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const site = (key: string, extra: Partial<SecretSite> = {}) => ({ key, ...extra }) as SecretSite

async function fileWith(text: string): Promise<string> {
  const file = join(dir, 'connector.yml')
  await writeFile(file, text)
  return file
}

describe('rewriteFile', () => {
  it('replaces only key and value, keeping comments, quoting, order, blank lines and flow maps byte for byte', async () => {
    const text = [
      '# UMAPI connection (UST example)',
      'server:',
      '  rate_limits: { action: 10, users: 25 }',
      '',
      'enterprise:',
      '  # the org',
      "  org_id: '1234@AdobeOrg'",
      '  "client_id": abc123   # from the console',
      '  client_secret: "p@ss: wörd"',
      '  # end of enterprise',
      'invented: yes',
      '',
    ].join('\n')
    const file = await fileWith(text)
    const out = await rewriteFile(file, [
      { site: site('enterprise.client_id'), service: 'ust-umapi-client-id' },
      { site: site('enterprise.client_secret'), service: 'ust-umapi-client-secret' },
    ])
    expect(out).toBe(
      text
        .replace('"client_id": abc123   #', 'secure_client_id_key: ust-umapi-client-id   #')
        .replace('client_secret: "p@ss: wörd"', 'secure_client_secret_key: ust-umapi-client-secret'),
    )
  })

  it('replaces a block scalar (a PEM key) and keeps the next key on its own line', async () => {
    const text =
      'enterprise:\n  priv_key_data: |\n    -----BEGIN KEY-----\n    abc\n    -----END KEY-----\n  org_id: x@AdobeOrg\n'
    const out = await rewriteFile(await fileWith(text), [
      { site: site('enterprise.priv_key_data'), service: 'ust-umapi-priv-key-data' },
    ])
    expect(out).toBe('enterprise:\n  secure_priv_key_data_key: ust-umapi-priv-key-data\n  org_id: x@AdobeOrg\n')
  })

  it('quotes a service name YAML would read as something else', async () => {
    const out = await rewriteFile(await fileWith('password: secret\nusername: u\n'), [
      { site: site('password'), service: 'yes' },
    ])
    expect(out).toBe('secure_password_key: "yes"\nusername: u\n')
    expect(parse(out)).toEqual({ secure_password_key: 'yes', username: 'u' })
  })

  it('refuses a file whose key is no longer there (changed meanwhile), leaving it as it was', async () => {
    await expect(
      rewriteFile(await fileWith('username: u\n'), [{ site: site('password'), service: 'ust-ldap-password' }]),
    ).rejects.toThrow(/Could not rewrite .*connector\.yml safely/)
  })
})

describe('permissionWarnings', () => {
  it('warns for a plain secret readable by the group or others, naming the file, mode, chmod and migrate', async () => {
    const file = await fileWith('password: x\n')
    const sites = [site('password', { file, form: 'plain' }), site('client_id', { file, form: 'plain' })]
    await chmod(file, 0o640)
    expect(await permissionWarnings(sites, '/etc/ust/main.yml')).toEqual([
      `${file} holds a plain-text secret (password, client_id) and can be read by its group (mode 0640): run \`chmod 600 ${file}\`, or better move the secret to a credential backend with \`ust credentials migrate -c /etc/ust/main.yml\``,
    ])
    await chmod(file, 0o604)
    expect((await permissionWarnings(sites, '/m.yml'))[0]).toContain(
      'can be read by every user of this machine (mode 0604)',
    )
    await chmod(file, 0o600)
    expect(await permissionWarnings(sites, '/m.yml')).toEqual([])
  })

  it('does not warn for secret references (secure_X_key) in a readable file', async () => {
    const file = await fileWith('secure_password_key: ust-ldap\n')
    await chmod(file, 0o644)
    expect(await permissionWarnings([site('password', { file, form: 'secure' })], '/m.yml')).toEqual([])
  })
})
