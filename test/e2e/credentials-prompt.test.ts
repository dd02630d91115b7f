import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, ROOT } from './run-cli.js'

const PTY = join(ROOT, 'test/e2e/pty-run.py')
const SECRET = `typed-${randomBytes(9).toString('hex')}`
const PASSPHRASE = `pp-${randomBytes(6).toString('hex')}`
let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ust-e2e-creds-prompt-'))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

/** Runs ust on a pseudo-terminal, answering `steps` ([prompt, typed answer]) in order. */
async function onTerminal(args: string[], steps: [string, string][]): Promise<{ code: number; screen: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: '',
    UST_DATA_DIR: dataDir,
    UST_CREDENTIALS_PASSPHRASE: '',
    UST_CREDENTIAL_BACKEND: 'file',
  }
  try {
    const { stdout } = await promisify(execFile)(
      'python3',
      [PTY, JSON.stringify(steps), process.execPath, BIN, ...args],
      {
        env,
        cwd: dataDir,
      },
    )
    return { code: 0, screen: stdout }
  } catch (error) {
    const failed = error as { code: number; stdout: string }
    return { code: failed.code, screen: failed.stdout }
  }
}

describe('ust credentials on a terminal', () => {
  it('asks the new passphrase twice and the secret without echoing them, then finds it again with the passphrase', async () => {
    const set = await onTerminal(
      ['credentials', 'set', 'ust-ldap', '--username', 'cn=reader'],
      [
        ['Secret for service "ust-ldap", account "cn=reader":', SECRET],
        ['Repeat the secret:', SECRET],
        [`New passphrase for the credentials file ${join(dataDir, 'credentials.enc.json')}:`, PASSPHRASE],
        ['Repeat the passphrase:', PASSPHRASE],
      ],
    )
    expect(set.code, set.screen).toBe(0)
    expect(set.screen).toContain('Stored the secret for service "ust-ldap", account "cn=reader" in the file backend')
    expect(set.screen).not.toContain(SECRET)
    expect(set.screen).not.toContain(PASSPHRASE)

    const get = await onTerminal(
      ['credentials', 'get', 'ust-ldap', '--username', 'cn=reader', '--reveal'],
      [[`Passphrase for the credentials file ${join(dataDir, 'credentials.enc.json')}:`, PASSPHRASE]],
    )
    expect(get.code, get.screen).toBe(0)
    expect(get.screen.trim().split(/\r?\n/).pop()).toBe(SECRET)
    expect(get.screen).not.toContain(PASSPHRASE)
  }, 120_000)

  it('asks the secret twice and stores nothing when the two differ', async () => {
    const set = await onTerminal(
      ['credentials', 'set', 'ust-umapi-client-secret', '--username', 'typo'],
      [
        ['Secret for service "ust-umapi-client-secret", account "typo":', SECRET],
        ['Repeat the secret:', `${SECRET}x`],
      ],
    )
    expect(set.code, set.screen).toBe(3)
    expect(set.screen).toContain('The two secrets typed differ; nothing was stored')
    expect(set.screen).toContain('run the command again and type the same secret twice')
    expect(set.screen).not.toContain('New passphrase')
    expect(set.screen).not.toContain(SECRET)
    const get = await onTerminal(
      ['credentials', 'get', 'ust-umapi-client-secret', '--username', 'typo'],
      [[`Passphrase for the credentials file ${join(dataDir, 'credentials.enc.json')}:`, PASSPHRASE]],
    )
    expect(get.code, get.screen).toBe(3)
  }, 120_000)
})
