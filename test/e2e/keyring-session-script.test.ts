import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { processesWithHome } from '@ust-sync/test-servers'
import { BIN, ROOT } from './run-cli.js'

/** docs/scheduling/keyring/ust-keyring-session.sh, run as an administrator on a server without a desktop. */
const SCRIPT = join(ROOT, 'docs/scheduling/keyring/ust-keyring-session.sh')
const homes: string[] = []
afterAll(async () => {
  for (const home of homes) {
    for (const pid of await processesWithHome(home)) process.kill(pid, 'SIGKILL')
    await rm(home, { recursive: true, force: true })
  }
})

function session(
  home: string,
  stdin: string,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      NO_COLOR: '1',
    }
    const child = spawn('sh', [SCRIPT, ...argv], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

describe('the headless keyring session script', { timeout: 120_000 }, () => {
  it('unlocks a keyring for one ust command and leaves no daemon running', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ust-keyring-script-'))
    homes.push(home)
    const ust = `"${process.execPath}" "${BIN}"`
    const store = `printf %s 'Kr-Secret-42' | secret-tool store --label ust service ust-script username acct`
    const run = await session(home, 'Keyring-Passw0rd\n', [
      'sh',
      '-c',
      `${store} && ${ust} credentials get ust-script -u acct --backend keyring --reveal`,
    ])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('Kr-Secret-42')
    expect(await processesWithHome(home)).toEqual([])
  })

  it('passes the command exit status through, and refuses to start without a password', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ust-keyring-script-'))
    homes.push(home)
    expect((await session(home, 'pw\n', ['sh', '-c', 'exit 7'])).code).toBe(7)
    const none = await session(home, '', ['true'])
    expect(none.code).toBe(125)
    expect(none.stderr).toContain('no keyring password on stdin')
    expect(await processesWithHome(home)).toEqual([])
  })
})
