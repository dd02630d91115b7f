/**
 * Sign Sync benchmark: `npm run build && npm run bench:sign -- N`.
 *
 * Generates a CSV directory of N users and a fake Acrobat Sign account (@ust-sync/test-servers, HTTPS with
 * a throw-away CA, pages of 1000) holding the same people — 90% right, 5% in the wrong group, 5% missing
 * (to create) — plus 2% Sign-only users, then runs the built CLI twice as a user would
 * (`ust sign-sync --allow-directory-drop`): a first run (no cache: every user's details and groups are
 * read) and a cached run (the 24-hour cache: only the lists and the users written to are read). Prints:
 *
 *   run=first users=N seconds=S requests=R peakRSS=MiB
 *   run=cached users=N seconds=S requests=R peakRSS=MiB
 *
 * Peak RSS is the CLI's (GNU time's %M); requests are those the fake answered. Exit 1 when a run fails or
 * the cached run still finds changes.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createTestCa, startFakeSign } from '@ust-sync/test-servers'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = process.env.UST_BENCH_BIN ?? join(ROOT, 'bin/run.js')
const n = Number(process.argv[2] ?? 1000)
if (!Number.isInteger(n) || n < 20) {
  console.error('usage: npm run bench:sign -- N   (N ≥ 20 users)')
  process.exit(2)
}
const GROUPS = 10

const ca = createTestCa()
const key = 'bench-sign-key'
const fake = await startFakeSign({ tls: { key: ca.keyPem, cert: ca.certPem }, integrationKey: key, pageSize: 1000 })
const dir = await mkdtemp(join(tmpdir(), 'ust-bench-sign-'))
const rows = ['firstname,lastname,email,country,groups']
for (let g = 0; g < GROUPS; g++) fake.account.addGroup(`Group ${g}`)
for (let i = 0; i < n; i++) {
  const email = `user${i}@example.com`
  const group = i % GROUPS
  rows.push(`U${i},Bench,${email},US,Dir ${group}`)
  if (i % 20 === 19) continue
  fake.account.addUser({ email, groups: [`Group ${i % 20 === 18 ? (group + 1) % GROUPS : group}`] })
}
for (let i = 0; i < Math.ceil(n / 50); i++)
  fake.account.addUser({ email: `signonly${i}@example.com`, groups: ['Group 0'] })
fake.account.addUser({ email: 'owner@example.com', isAccountAdmin: true })
const mappings = Array.from(
  { length: GROUPS },
  (_, g) =>
    `  - directory_group: Dir ${g}\n    sign_group: Group ${g}\n    group_admin: False\n    account_admin: False`,
)
await writeFile(join(dir, 'users.csv'), `${rows.join('\n')}\n`)
await writeFile(join(dir, 'connector-csv.yml'), 'file_path: users.csv\n')
await writeFile(
  join(dir, 'connector-sign.yml'),
  `host: ${fake.host}\nintegration_key: ${key}\nadmin_email: owner@example.com\ncreate_users: True\ndeactivate_users: False\n`,
  { mode: 0o600 },
)
await writeFile(
  join(dir, 'sign-sync-config.yml'),
  `sign_orgs:\n  primary: connector-sign.yml\nidentity_source:\n  type: csv\n  connector: connector-csv.yml\nuser_sync:\n  sign_only_limit: 100%\n  sign_only_user_action: reset\ncache:\n  path: cache/sign\nuser_management:\n${mappings.join('\n')}\n`,
)

/** Runs the CLI under GNU time: wall seconds, peak RSS (KiB), exit code, stdout. */
function runCli(): Promise<{ seconds: number; rssKiB: number; code: number; stdout: string }> {
  const timeFile = join(dir, 'time.out')
  const started = performance.now()
  const child = spawn(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      '-o',
      timeFile,
      process.execPath,
      BIN,
      'sign-sync',
      '-c',
      join(dir, 'sign-sync-config.yml'),
      '--allow-directory-drop',
    ],
    {
      cwd: dir,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        NODE_EXTRA_CA_CERTS: join(ca.dir, 'ca.crt'),
        UST_DATA_DIR: join(dir, 'data'),
        NO_PROXY: '127.0.0.1',
        HTTPS_PROXY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stdout = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stdout += d))
  return new Promise((resolve) => {
    child.on('close', async (code) => {
      const seconds = (performance.now() - started) / 1000
      const rssKiB = Number((await readFile(timeFile, 'utf8')).trim().split('\n').pop())
      resolve({ seconds, rssKiB, code: code ?? -1, stdout })
    })
  })
}

let failed = false
for (const run of ['first', 'cached']) {
  fake.resetCounts()
  const result = await runCli()
  const updated = /Number of Sign users updated: (\d+)/.exec(result.stdout)?.[1]
  console.log(
    `run=${run} users=${n} seconds=${result.seconds.toFixed(2)} requests=${fake.total()} peakRSS=${(result.rssKiB / 1024).toFixed(0)}`,
  )
  if (result.code !== 0 || (run === 'cached' && updated !== '0')) {
    failed = true
    console.error(`run ${run} failed (exit ${result.code}, updated ${updated}):\n${result.stdout.slice(-3000)}`)
  }
}
await fake.close()
await rm(dir, { recursive: true, force: true })
await rm(ca.dir, { recursive: true, force: true })
process.exit(failed ? 1 : 0)
