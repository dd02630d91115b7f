import { randomBytes } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { offlineLdif, onlineLdif } from '../../plugins/ldap/test/fixture-directory.js'
import { ADMIN_PASSWORD, createTestCa, type Slapd, startSlapd, type TestCa } from '@ust-sync/test-servers'
import { fakeSign, signConfig, signSummary, signSync } from './sign-helpers.js'
import { E2E_FIXTURES } from './sync-helpers.js'

const KEY = `e2e-SignKey-${randomBytes(12).toString('hex')}`
let ca: TestCa
let slapd: Slapd
const dirs: string[] = []

beforeAll(async () => {
  ca = createTestCa()
  process.env.UST_TEST_CA_DIR = ca.dir
  slapd = await startSlapd({ ca, offline: offlineLdif(0), online: onlineLdif(0) })
}, 60_000)
afterAll(async () => {
  await slapd?.dispose()
  await Promise.all([...dirs, ca.dir].map((d) => rm(d, { recursive: true, force: true })))
})

describe('ust sign-sync over LDAP', () => {
  it("reads UST's sign-sync files with an ldap identity source (OpenLDAP over StartTLS) into the fake Sign account", async () => {
    const fake = await fakeSign(ca, KEY)
    try {
      const dir = await signConfig(fake, KEY, {
        main: (t) =>
          t
            .replace('type: csv', 'type: ldap')
            .replace('connector: connector-csv.yml', 'connector: connector-ldap.yml')
            .replace('directory_group: Sign Users 1', 'directory_group: staff')
            .replace('directory_group: Sign Account Admins', 'directory_group: admins'),
      })
      dirs.push(dir)
      const template = join(E2E_FIXTURES, 'sync-ldap/connector-ldap.yml.template')
      const text = await readFile(template, 'utf8')
      await writeFile(
        join(dir, 'connector-ldap.yml'),
        text.replace('__HOST__', slapd.url).replace('__PASSWORD__', ADMIN_PASSWORD),
        { mode: 0o600 },
      )
      const run = await signSync(dir)
      expect(run.code, run.stderr + run.stdout).toBe(0)
      const summary = signSummary(run.stdout)
      expect(summary.get('Number of directory users read')).toBe('4')
      for (const email of ['alice@example.test', 'bob@example.test', 'zoe@example.test'])
        expect(fake.account.describe(email).primary).toBe('Group 1')
      expect(fake.account.describe('alice@example.test').accountAdmin).toBe(true)
      expect(`${run.stdout}${run.stderr}`).not.toContain(ADMIN_PASSWORD)
      const again = await signSync(dir)
      expect(signSummary(again.stdout).get('Number of Sign users updated')).toBe('0')
      expect(signSummary(again.stdout).get('Number of Sign users created')).toBe('0')
    } finally {
      await fake.close()
    }
  })
})
