import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from './free-port.js'

/** A running tinyproxy on 127.0.0.1, started by {@link startTinyproxy}. */
export interface Tinyproxy {
  port: number
  /** `http://127.0.0.1:PORT` (no credentials). */
  url: string
  /** `http://user:password@127.0.0.1:PORT` when started with auth, else {@link url}. */
  authUrl: string
  pid: number
  /** The proxy's log so far. */
  log(): string
  /** Request lines (`CONNECT host:port`, `GET http://…`) the proxy logged since start (or since `mark`). */
  requests(since?: number): string[]
  /** A mark for {@link requests}: the number of request lines so far. */
  mark(): number
  /** Stops the proxy (by PID) and removes its files. */
  stop(): Promise<void>
}

/**
 * Starts a real tinyproxy (Debian package `tinyproxy`) on a free 127.0.0.1 port, in the foreground (`-d`)
 * so the PID is the proxy's own, optionally with HTTP basic auth. It logs each request at level Connect,
 * which the tests read to prove that traffic went (or did not go) through it.
 */
export async function startTinyproxy(options: { user?: string; password?: string } = {}): Promise<Tinyproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'ust-tinyproxy-'))
  chmodSync(dir, 0o777) // tinyproxy drops to user nobody when started as root
  const port = await freePort()
  const logFile = join(dir, 'tinyproxy.log')
  writeFileSync(logFile, '')
  chmodSync(logFile, 0o666)
  const lines = [
    `Port ${port}`,
    'Listen 127.0.0.1',
    'Allow 127.0.0.1',
    'Timeout 30',
    `LogFile "${logFile}"`,
    'LogLevel Connect',
    'MaxClients 50',
    'DisableViaHeader Yes',
  ]
  if (options.user !== undefined) lines.push(`BasicAuth ${options.user} ${options.password ?? ''}`)
  writeFileSync(join(dir, 'tinyproxy.conf'), `${lines.join('\n')}\n`)
  const child: ChildProcess = spawn('tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const deadline = Date.now() + 10_000
  while (!(await listening(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`tinyproxy did not start on port ${port}: ${stderr}`)
    }
    await sleep(50)
  }
  const url = `http://127.0.0.1:${port}`
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')
  const requestLines = () =>
    log()
      .split('\n')
      .map((l) => /Request \(file descriptor \d+\): (.*)$/.exec(l)?.[1])
      .filter((l): l is string => l !== undefined)
  return {
    port,
    url,
    authUrl:
      options.user === undefined
        ? url
        : `http://${encodeURIComponent(options.user)}:${encodeURIComponent(options.password ?? '')}@127.0.0.1:${port}`,
    pid: child.pid!,
    log,
    requests: (since = 0) => requestLines().slice(since),
    mark: () => requestLines().length,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        process.kill(child.pid!, 'SIGTERM')
        await Promise.race([exited, sleep(3000)])
        if (child.exitCode === null) process.kill(child.pid!, 'SIGKILL')
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
