import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type FakeSign, startFakeSign, type TestCa } from '@ust-sync/test-servers'
import { E2E_FIXTURES, freshCopy } from './sync-helpers.js'
import { type CliRun, runCli } from './run-cli.js'

/** The Sign Sync fixture: UST's sign-sync-config.yml layout over a CSV directory. */
export const SIGN_FIXTURE = join(E2E_FIXTURES, 'sign-sync')

/**
 * A fake Sign account over HTTPS (test CA) before the sync: Ann in the Default Group, Bob in Group 1 not
 * admin, Carl not account admin, Ivy inactive, Zed (not in the directory) group admin of Group 1, and the
 * integration key's owner. `Group 2` does not exist.
 */
export async function fakeSign(ca: TestCa, key: string, pageSize?: number): Promise<FakeSign> {
  const fake = await startFakeSign({
    tls: { key: ca.keyPem, cert: ca.certPem },
    integrationKey: key,
    ...(pageSize ? { pageSize } : {}),
  })
  const a = fake.account
  a.addGroup('Group 1')
  a.addUser({ email: 'sign.owner@example.com', isAccountAdmin: true })
  a.addUser({ email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee' })
  a.addUser({ email: 'bob.stone@example.com', groups: ['Group 1'] })
  a.addUser({ email: 'carl.gray@example.com' })
  a.addUser({ email: 'ivy.hall@example.com', status: 'INACTIVE' })
  a.addUser({ email: 'zed.cole@example.com', groups: ['Group 1'], adminOf: ['Group 1'] })
  return fake
}

/** A copy of the fixture whose connector points at `fake` with `key`; `edit` may change the files' text. */
export async function signConfig(
  fake: FakeSign,
  key: string,
  edit: { main?: (text: string) => string; connector?: (text: string) => string } = {},
): Promise<string> {
  const dir = await freshCopy(SIGN_FIXTURE, 'ust-e2e-sign-')
  const template = await readFile(join(dir, 'connector-sign.yml.template'), 'utf8')
  const connector = template.replace('HOST', fake.host).replace('KEY', key)
  await writeFile(join(dir, 'connector-sign.yml'), edit.connector ? edit.connector(connector) : connector, {
    mode: 0o600,
  })
  if (edit.main) {
    const main = join(dir, 'sign-sync-config.yml')
    await writeFile(main, edit.main(await readFile(main, 'utf8')))
  }
  return dir
}

/** `ust sign-sync` in `dir`, trusting the test CA, with its own data dir. */
export function signSync(dir: string, args: string[] = []): Promise<CliRun> {
  // The first run acts on more than 10% of these small accounts: allowed here, refused by default.
  return runCli(['sign-sync', '-c', join(dir, 'sign-sync-config.yml'), '--allow-directory-drop', ...args], {
    cwd: dir,
    env: {
      NODE_EXTRA_CA_CERTS: join(process.env.UST_TEST_CA_DIR ?? '', 'ca.crt'),
      UST_DATA_DIR: join(dir, 'data'),
      HTTPS_PROXY: undefined,
      https_proxy: undefined,
      NO_PROXY: '127.0.0.1,localhost',
    },
  })
}

/** The summary lines of a Sign run, by label. */
export function signSummary(stdout: string): Map<string, string> {
  const lines = new Map<string, string>()
  for (const match of stdout.matchAll(/ {2}( *)(Number of [^:]+): (\d+)$/gm)) lines.set(match[2] ?? '', match[3] ?? '')
  return lines
}
