import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './free-port.js'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
/** Where an installed package lives (verdaccio and npm are run as scripts of their own). */
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`))

/** A throwaway npm registry (verdaccio) on 127.0.0.1, with a logged-in publisher. */
export interface LocalRegistry {
  url: string
  /** An npmrc (`--userconfig`) that publishes to this registry as the logged-in publisher. */
  userconfig: string
  /** Publishes the package in `dir` (its package.json must be complete). */
  publish(dir: string): Promise<void>
  /** Stops the server by PID and removes its storage. */
  stop(): Promise<void>
}

/** Options of {@link startRegistry}. */
export interface RegistryOptions {
  /**
   * Registry (e.g. the npm registry) proxied for every package except ust's own (`ust-sync`, `@ust-sync/*`,
   * which only this registry serves). Without it the registry is fully offline.
   */
  uplink?: string
}

/** Starts verdaccio with an empty storage (no uplinks unless given), and creates a publisher account. */
export async function startRegistry(options: RegistryOptions = {}): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'ust-verdaccio-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/`
  await writeFile(
    join(dir, 'config.yaml'),
    [
      'storage: ./storage',
      'auth: { htpasswd: { file: ./htpasswd, max_users: 100 } }',
      ...(options.uplink
        ? [
            `uplinks: { upstream: { url: ${JSON.stringify(options.uplink)}, timeout: 60s, maxage: 30m } }`,
            'packages:',
            "  'ust-sync': { access: $all, publish: $authenticated }",
            "  '@ust-sync/*': { access: $all, publish: $authenticated }",
            "  '**': { access: $all, publish: $authenticated, proxy: upstream }",
          ]
        : ['uplinks: {}', "packages: { '**': { access: $all, publish: $authenticated } }"]),
      `listen: 127.0.0.1:${port}`,
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  )
  const child: ChildProcess = spawn(
    process.execPath,
    [join(packageDir('verdaccio'), 'bin/verdaccio'), '--config', join(dir, 'config.yaml')],
    {
      cwd: dir,
      stdio: 'ignore',
    },
  )
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await waitForPing(url, 20_000)
    const res = await fetch(`${url}-/user/org.couchdb.user:ci`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'ci', password: 'ci-pass-123', type: 'user' }),
    })
    const { token } = (await res.json()) as { token: string }
    const npmrc = join(dir, 'publish.npmrc')
    await writeFile(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`)
    return {
      url,
      userconfig: npmrc,
      async publish(pkgDir) {
        await run(
          process.execPath,
          [join(packageDir('npm'), 'bin/npm-cli.js'), 'publish', '--userconfig', npmrc, '--registry', url],
          { cwd: pkgDir },
        )
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      if ((await fetch(`${url}-/ping`)).ok) return
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`verdaccio did not answer on ${url} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 200))
  }
}
