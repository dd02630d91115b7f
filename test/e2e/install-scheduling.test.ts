import { execFile, spawn, spawnSync } from 'node:child_process'
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { EXIT_CODE_CATALOGUE } from '@ust-sync/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { LEASE_MS, lockPathFor } from '../../src/run/lock.js'
import { BIN, ROOT, runCli } from './run-cli.js'

/** The scheduler recipes of docs/scheduling, exercised as far as this machine allows. */
const DOCS = join(ROOT, 'docs/scheduling')
const execFileP = promisify(execFile)
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0
/** Exit codes not to retry (the catalogue's `retry: no`, docs/admin/exit-codes.md): no recipe restarts them. */
const NEEDS_A_PERSON = EXIT_CODE_CATALOGUE.filter((e) => e.retry === 'no').map((e) => e.exitCode)

let work: string
/** An executable `ust` for the recipes: the repo's build on this Node 24. */
let ust: string
/** A working CSV + sandbox configuration written by `ust init`. */
let config: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ust-scheduling-'))
  ust = join(work, 'ust')
  await writeFile(ust, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  await chmod(ust, 0o755)
  config = join(work, 'config')
  const init = await runCli(['init', config, '--source', 'csv', '--target', 'sandbox'])
  expect(init.code, init.stderr).toBe(0)
}, 120_000)
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

/** Runs a shell script file with `env` added; never throws. */
async function sh(script: string, args: string[], env: NodeJS.ProcessEnv) {
  return execFileP('sh', [script, ...args], { env: { ...process.env, NODE_OPTIONS: '', ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  )
}

describe('systemd', { timeout: 120_000 }, () => {
  it.skipIf(!hasSystemdAnalyze)(
    `the service and timer pass systemd-analyze verify without a warning${hasSystemdAnalyze ? '' : ' (skipped: systemd-analyze is not installed)'}`,
    async () => {
      const dir = join(work, 'systemd')
      await execFileP('mkdir', ['-p', dir])
      const unit = await readFile(join(DOCS, 'systemd/ust-sync.service'), 'utf8')
      // verify checks that ExecStart exists and is executable: point it at this machine's ust.
      await writeFile(join(dir, 'ust-sync.service'), unit.replace('/opt/ust/bin/ust', ust))
      await copyFile(join(DOCS, 'systemd/ust-sync.timer'), join(dir, 'ust-sync.timer'))
      const run = spawnSync('systemd-analyze', ['verify', 'ust-sync.service', 'ust-sync.timer'], {
        cwd: dir,
        encoding: 'utf8',
      })
      expect(run.status, run.stderr).toBe(0)
      expect(run.stderr.trim()).toBe('')
      // A broken unit is caught: the check can fail.
      await writeFile(join(dir, 'ust-sync.service'), unit.replace('/opt/ust/bin/ust', ust).replace('15min', 'soon'))
      const broken = spawnSync('systemd-analyze', ['verify', 'ust-sync.service'], { cwd: dir, encoding: 'utf8' })
      expect(broken.stderr).toContain('Failed to parse')
    },
  )

  it('maps exit codes as docs/admin/exit-codes.md says: 10 is success, the codes that need a person are not restarted', async () => {
    const unit = await readFile(join(DOCS, 'systemd/ust-sync.service'), 'utf8')
    expect(unit).toMatch(
      new RegExp(
        `^SuccessExitStatus=${EXIT_CODE_CATALOGUE.filter((e) => e.retry === 'success' && e.exitCode !== 0)
          .map((e) => e.exitCode)
          .join(' ')}$`,
        'm',
      ),
    )
    expect(unit).toMatch(/^Restart=on-failure$/m)
    expect(unit).toContain(`RestartPreventExitStatus=${NEEDS_A_PERSON.join(' ')}\n`)
    expect(unit).toMatch(/^PrivateTmp=yes$/m)
  })
})

describe('cron wrapper', { timeout: 120_000 }, () => {
  const wrapper = join(DOCS, 'cron/run-ust-sync.sh')

  it('is silent and exits 0 when the sync succeeds', async () => {
    const run = await sh(wrapper, [], { UST: ust, UST_CONFIG: join(config, 'user-sync-config.yml') })
    expect(run.code, run.stdout).toBe(0)
    expect(run.stdout).toBe('')
    expect(await readFile(join(config, 'org.json'), 'utf8')).toContain('jane.doe@example.com')
  })

  it('is silent when another sync holds the lock (exit 10)', async () => {
    const dataDir = join(work, 'cron-data')
    const configFile = join(config, 'user-sync-config.yml')
    const lock = await lockPathFor(configFile, dataDir)
    await mkdir(dirname(lock), { recursive: true })
    await writeFile(lock, `${process.pid}\n`) // a live process
    try {
      const direct = await runCli(['sync', '-c', configFile], { env: { UST_DATA_DIR: dataDir } })
      expect(direct.code).toBe(10)
      const run = await sh(wrapper, [], { UST: ust, UST_CONFIG: configFile, UST_DATA_DIR: dataDir })
      expect(run.code).toBe(0)
      expect(run.stdout).toBe('')
    } finally {
      await rm(lock, { force: true })
    }
  })

  it('the cron job runs as cron runs it (bare environment, another HOME, no D-Bus, no terminal); secrets come from the file backend', async () => {
    const cron = await readFile(join(DOCS, 'cron/ust-sync.cron'), 'utf8')
    const root = join(work, 'cron-root') // stands for / on the server
    await mkdir(join(root, 'etc'), { recursive: true })
    const onThisMachine = (text: string) =>
      text
        .replaceAll('/opt/ust/bin/ust', ust)
        .replaceAll('/opt/ust/scheduling/', `${DOCS}/`)
        .replaceAll('/etc/ust/', `${root}/etc/`)
        .replaceAll('/var/lib/ust', join(root, 'data'))
    const lines = onThisMachine(cron)
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    const variables = Object.fromEntries(
      lines.filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    )
    expect(variables).toMatchObject({ UST_CREDENTIAL_BACKEND: 'file' })
    const job = lines.find((l) => /^[\d*]/.test(l))?.split(/\s+/)
    expect(job?.[5], 'the job runs as user ust').toBe('ust')
    const home = join(work, 'cron-home') // not the HOME of whoever set things up
    await mkdir(home)
    const cronEnv = { PATH: '/usr/bin:/bin', HOME: home, LOGNAME: 'ust', SHELL: '/bin/sh', ...variables }

    // The one-time set-up of the cron file's comments: a key file only ust reads, the secret stored with it.
    const secretConfig = join(work, 'cron-umapi')
    const made = await runCli(
      ['init', secretConfig, '--source', 'csv', '--target', 'umapi', '--org-id', 'ORG1@AdobeOrg', '--client-id', 'c1'],
      {},
    )
    expect(made.code, made.stderr).toBe(0)
    const keyFile = variables.UST_CREDENTIALS_KEY_FILE as string
    await writeFile(keyFile, 'a random key of the set-up\n', { mode: 0o600 })
    const setUp = spawnSync(
      process.execPath,
      [
        BIN,
        'credentials',
        'set',
        'ust-umapi-client-secret',
        '-c',
        join(secretConfig, 'user-sync-config.yml'),
        '--stdin',
      ],
      { input: 'cron-secret-42', encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...variables } },
    )
    expect(setUp.status, setUp.stderr).toBe(0)

    // As cron: the variables of the file only, a new session without a terminal, stdin closed.
    const asCron = (command: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn('/bin/sh', ['-c', command], {
          env: cronEnv,
          detached: true,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        let out = ''
        child.stdout.on('data', (d) => (out += d))
        child.stderr.on('data', (d) => (out += d))
        child.on('close', (code) => resolve({ code, out }))
      })
    const secret = await asCron(
      `"$UST" credentials get ust-umapi-client-secret -c ${join(secretConfig, 'user-sync-config.yml')} --reveal`,
    )
    expect(secret.out).toContain('cron-secret-42')
    expect(secret.code, secret.out).toBe(0)
    // `credentials list` fails (exit 3) when an entry cannot be read: here a key file of another passphrase.
    await writeFile(join(root, 'etc', 'other.key'), 'not the passphrase\n', { mode: 0o600 })
    const list = await asCron(
      `UST_CREDENTIALS_KEY_FILE=${join(root, 'etc', 'other.key')} "$UST" credentials list -c ${join(secretConfig, 'user-sync-config.yml')}`,
    )
    expect(list.out).toMatch(
      /enterprise\.secure_client_secret_key service "ust-umapi-client-secret", account "ORG1@AdobeOrg": error/,
    )
    expect(list.out).toContain('1 of 1 secret settings cannot be read')
    expect(list.code).toBe(3)
    // The job line itself (the wrapper, with the config of this machine): silent success.
    const syncRun = await asCron(`UST_CONFIG=${join(config, 'user-sync-config.yml')} ${job?.slice(6).join(' ')}`)
    expect(syncRun.out).toBe('')
    expect(syncRun.code).toBe(0)
  })

  it('says what a failure means, shows ust output, and keeps the exit code', async () => {
    const broken = join(work, 'broken')
    await execFileP('cp', ['-r', config, broken])
    const main = await readFile(join(broken, 'user-sync-config.yml'), 'utf8')
    await writeFile(join(broken, 'user-sync-config.yml'), main.replace('limits:', 'limitz:'))
    const run = await sh(wrapper, ['-t'], { UST: ust, UST_CONFIG: join(broken, 'user-sync-config.yml') })
    expect(run.code).toBe(2)
    expect(run.stdout).toContain(`failed, exit code 2: configuration error`)
    expect(run.stdout).toContain('limitz')
  })
})

describe('Windows Task Scheduler', () => {
  it('the task runs the PowerShell wrapper, which explains every exit code and retries only 4, 6, 7', async () => {
    const xml = await readFile(join(DOCS, 'windows/ust-sync-task.xml'), 'utf8')
    expect(xml).toContain('<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>')
    expect(xml).toMatch(
      /<Arguments>[^<]*-File "C:\\Program Files\\ust\\scheduling\\windows\\run-ust-sync\.ps1"<\/Arguments>/,
    )
    const ps1 = await readFile(join(DOCS, 'windows/run-ust-sync.ps1'), 'utf8')
    const explained = [...ps1.matchAll(/^\s+(\d+) = '/gm)].map((m) => Number(m[1]))
    expect(explained).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
    expect(ps1).toContain('@(4, 6, 7) -notcontains $code')
    expect(ps1).toContain('$code -eq 0 -or $code -eq 10')
  })
})

describe('Kubernetes CronJob per organisation', { timeout: 120_000 }, () => {
  const generate = join(DOCS, 'kubernetes/generate.sh')

  async function manifests(orgs: string) {
    const file = join(work, 'orgs.txt')
    await writeFile(file, orgs)
    return sh(generate, [file], {})
  }

  it('one CronJob per org: no overlap, lock and state on the volume, secret through the env backend', async () => {
    const run = await manifests('emea\napac 30\n# retired: latam\namericas\n')
    expect(run.code, run.stderr).toBe(0)
    const docs = parseAllDocuments(run.stdout).map((d) => d.toJS())
    expect(docs.map((d) => d.metadata.name)).toEqual(['ust-sync-emea', 'ust-sync-apac', 'ust-sync-americas'])
    expect(docs.map((d) => d.spec.schedule)).toEqual(['0 * * * *', '30 * * * *', '14 * * * *'])
    for (const doc of docs) {
      const org = doc.metadata.labels['ust-sync/org']
      expect(doc.spec.concurrencyPolicy).toBe('Forbid')
      const job = doc.spec.jobTemplate.spec
      expect(job.podFailurePolicy.rules[0]).toEqual({
        action: 'FailJob',
        onExitCodes: { containerName: 'ust', operator: 'In', values: NEEDS_A_PERSON },
      })
      const pod = job.template.spec
      expect(pod.restartPolicy).toBe('Never')
      const [container] = pod.containers
      const env = Object.fromEntries(container.env.map((e: { name: string }) => [e.name, e]))
      expect(env.UST_CREDENTIAL_BACKEND.value).toBe('env')
      // `ust init` writes secure_client_secret_key: ust-umapi-client-secret; the env backend reads this.
      expect(env.UST_SECRET_UST_UMAPI_CLIENT_SECRET.valueFrom.secretKeyRef).toEqual({
        name: `ust-${org}`,
        key: 'client-secret',
      })
      expect(env.UST_DATA_DIR.value).toBe(`/state/${org}/data`)
      expect(pod.volumes.find((v: { name: string }) => v.name === 'state').persistentVolumeClaim.claimName).toBe(
        'ust-state',
      )
      expect(pod.volumes.find((v: { name: string }) => v.name === 'config').configMap.name).toBe(`ust-${org}`)
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true)
    }
  })

  it('refuses a name Kubernetes would reject, and an empty list', async () => {
    const bad = await manifests('EMEA_1\n')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(`"EMEA_1" is not a valid name`)
    expect((await manifests('# none\n')).code).toBe(2)
  })

  it("the container's start script syncs from the read-only config into the state volume, taking over a dead pod's lock", async () => {
    const run = await manifests('emea\n')
    const [doc] = parseAllDocuments(run.stdout).map((d) => d.toJS())
    const script: string = doc.spec.jobTemplate.spec.template.spec.containers[0].args[0]
    const state = join(work, 'state')
    // A ConfigMap holds only the files `ust init` wrote (no logs/ from earlier runs).
    const configMap = join(work, 'configmap')
    expect((await runCli(['init', configMap, '--source', 'csv', '--target', 'sandbox'])).code).toBe(0)
    const local = script
      .replaceAll('/state/', `${state}/`)
      .replaceAll('/config/', `${configMap}/`)
      .replaceAll('/opt/ust/bin/ust', ust)
    await execFileP('mkdir', ['-p', join(state, 'emea')])
    // A lock left by a pod that was killed: its PID (alive here) belongs to another PID namespace, and it
    // stopped renewing its lease longer ago than the lease lasts.
    const lock = await lockPathFor(join(state, 'emea/user-sync-config.yml'), join(state, 'emea/data'))
    await mkdir(dirname(lock), { recursive: true })
    await writeFile(lock, JSON.stringify({ pid: process.pid, pidNamespace: 'pid:[4026531999]' }))
    const expired = new Date(Date.now() - LEASE_MS - 1000)
    await utimes(lock, expired, expired)
    // The Job's environment (the template's `env:`): the data dir on the volume.
    const jobEnv = { ...process.env, NODE_OPTIONS: '', UST_DATA_DIR: join(state, 'emea/data') }
    const first = await execFileP('sh', ['-c', local], { env: jobEnv }).then(
      () => 0,
      (e: { code: number; stderr: string }) => e,
    )
    expect(first).toBe(0)
    const org = JSON.parse(await readFile(join(state, 'emea/org.json'), 'utf8'))
    expect(org.users.map((u: { email: string }) => u.email)).toContain('jane.doe@example.com')
    // A lock of a live run (in this PID namespace) is respected: exit 10, retried by the Job.
    await writeFile(lock, `${process.pid}\n`)
    const second = await execFileP('sh', ['-c', local], { env: jobEnv }).then(
      () => 0,
      (e: { code: number }) => e.code,
    )
    expect(second).toBe(10)
  })
})
