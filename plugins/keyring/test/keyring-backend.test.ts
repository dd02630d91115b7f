import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ExitCode } from '@ust-sync/api'
import { runInKeyringSession, type SessionOptions } from '@ust-sync/test-servers'

const HERE = path.dirname(fileURLToPath(import.meta.url))
/** Node running drive-backend.mjs on the TypeScript sources (no build needed). */
const DRIVER = ['--import', path.join(HERE, 'ts-resolve.mjs'), path.join(HERE, 'drive-backend.mjs')]

/** Result of one backend operation run by drive-backend.mjs. */
type OpResult =
  | { value: unknown; error?: undefined }
  | { error: { name: string; message: string; exitCode: number; suggestions: string[] } }

type Op = [string, ...string[]]

/** Runs backend operations in a keyring session (or, with `outside`, with no D-Bus at all). */
async function drive(ops: Op[], options: SessionOptions & { before?: string } = {}): Promise<OpResult[]> {
  const node = [process.execPath, ...DRIVER, JSON.stringify(ops)]
  const argv = options.before ? ['sh', '-c', `${options.before} && exec "$@"`, 'sh', ...node] : node
  const run = await runInKeyringSession(argv, options)
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as OpResult[]
}

/** Runs backend operations with no D-Bus session and an empty HOME. */
async function driveOutside(ops: Op[]): Promise<OpResult[]> {
  const home = await mkdtemp(path.join(tmpdir(), 'ust-keyring-nobus-'))
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_RUNTIME_DIR: home }
    delete env.DBUS_SESSION_BUS_ADDRESS
    const { stdout } = await promisify(execFile)(process.execPath, [...DRIVER, JSON.stringify(ops)], { env })
    return JSON.parse(stdout) as OpResult[]
  } finally {
    await rm(home, { recursive: true, force: true })
  }
}

describe('keyring credential backend against a real Secret Service (gnome-keyring)', () => {
  it('stores, reads, lists and deletes secrets by (service, account)', async () => {
    const results = await drive([
      ['describe'],
      ['get', 'ust-test', '4566206088344794932@AdobeOrg'],
      ['set', 'ust-test', '4566206088344794932@AdobeOrg', 's3cret-one'],
      ['set', 'ust-test', 'ldap-reader', 's3cret-two'],
      ['set', 'other-service', 'x', 'unrelated'],
      ['get', 'ust-test', '4566206088344794932@AdobeOrg'],
      ['list', 'ust-test'],
      ['set', 'ust-test', 'ldap-reader', 's3cret-three'],
      ['get', 'ust-test', 'ldap-reader'],
      ['delete', 'ust-test', 'ldap-reader'],
      ['delete', 'ust-test', 'ldap-reader'],
      ['get', 'ust-test', 'ldap-reader'],
      ['list', 'ust-test'],
      ['list', 'ust-sync-probe'],
    ])
    expect(results).toEqual([
      { value: { available: true, detail: expect.stringContaining('Secret Service') } },
      { value: null },
      { value: null },
      { value: null },
      { value: null },
      { value: 's3cret-one' },
      { value: ['4566206088344794932@AdobeOrg', 'ldap-reader'] },
      { value: null },
      { value: 's3cret-three' },
      { value: true },
      { value: false },
      { value: null },
      { value: ['4566206088344794932@AdobeOrg'] },
      // probing leaves nothing behind
      { value: [] },
    ])
  })

  it('reads a secret stored the way UST admins did (secret-tool / python keyring: service + username)', async () => {
    const before =
      "printf %s 'from-secret-tool' | secret-tool store --label 'UST umapi' service ust-umapi username 1234@AdobeOrg"
    const results = await drive(
      [
        ['get', 'ust-umapi', '1234@AdobeOrg'],
        ['list', 'ust-umapi'],
        ['get', 'ust-umapi', 'someone-else'],
      ],
      { before },
    )
    expect(results).toEqual([{ value: 'from-secret-tool' }, { value: ['1234@AdobeOrg'] }, { value: null }])
  })

  it('stores secrets that secret-tool (and so python keyring) finds under service and username', async () => {
    const node = [process.execPath, ...DRIVER, JSON.stringify([['set', 'ust-ldap', 'cn=reader', 'written-by-ust']])]
    const run = await runInKeyringSession([
      'sh',
      '-c',
      '"$@" >/dev/null && secret-tool lookup service ust-ldap username cn=reader',
      'sh',
      ...node,
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toBe('written-by-ust')
  })

  it('reports a Secret Service without a usable login keyring as unavailable, and never as "no secret"', async () => {
    const results = await drive(
      [['describe'], ['get', 'ust-test', 'org@AdobeOrg'], ['set', 'ust-test', 'org@AdobeOrg', 'never-shown-value']],
      { unlock: false },
    )
    expect(results[0]).toEqual({
      value: {
        available: false,
        detail: expect.stringMatching(/^No usable OS keyring .*no default \(login\) keyring/),
        suggestions: expect.arrayContaining([expect.stringContaining('gnome-keyring-daemon --unlock')]),
      },
    })
    for (const result of results.slice(1)) {
      expect(result.error).toMatchObject({ name: 'CredentialError', exitCode: ExitCode.credential })
      expect(result.error?.message).toMatch(
        /service "ust-test", account "org@AdobeOrg"\).*no default \(login\) keyring/,
      )
      expect(result.error?.suggestions.join('\n')).toContain('gnome-keyring-daemon --unlock')
      expect(JSON.stringify(result)).not.toContain('never-shown-value')
    }
  })
})

describe('keyring credential backend without any D-Bus session', () => {
  it('says it is unavailable, why, and what to do; every operation fails with a CredentialError', async () => {
    const results = await driveOutside([
      ['describe'],
      ['get', 'ust-test', 'org@AdobeOrg'],
      ['set', 'ust-test', 'org@AdobeOrg', 'never-shown-value'],
      ['delete', 'ust-test', 'org@AdobeOrg'],
      ['list', 'ust-test'],
    ])
    const [describeResult, ...operations] = results
    // the reason in detail (one line); the steps apart, naming no command-line flag
    expect(describeResult).toEqual({
      value: {
        available: false,
        detail: expect.stringMatching(/^No usable OS keyring \(Secret Service over D-Bus\)/),
        suggestions: [
          'on a desktop, log in to a graphical session (it starts and unlocks gnome-keyring or KWallet)',
          'on a server (cron, systemd: no desktop session) use the file or env backend: `credentials.backend: file` in the main config, or UST_CREDENTIAL_BACKEND=file (docs/scheduling)',
        ],
      },
    })
    for (const result of operations) {
      expect(result.error).toMatchObject({ name: 'CredentialError', exitCode: ExitCode.credential })
      expect(result.error?.message).toMatch(/service "ust-test".*No usable OS keyring \(Secret Service over D-Bus\)/)
      expect(JSON.stringify(result)).not.toContain('never-shown-value')
    }
  })
})
