import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, ROOT } from './run-cli.js'

/**
 * `ust init` on a terminal: run under a pseudo-terminal (util-linux `script`), answering each prompt
 * with keys as an administrator would once the prompt is shown.
 */
const DOWN = '\u001b[B'
const ENTER = '\r'

function onTerminal(args: string[], answers: [prompt: string, keys: string][]): Promise<{ code: number; out: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let out = ''
    // Where the output since the last answer starts: a prompt is looked for only in what came after it.
    let from = 0
    const pending = [...answers]
    child.stdout.on('data', (d) => {
      out += d
      const next = pending[0]
      // A prompt is drawn once its reader is listening (inquirer opens readline, then renders).
      if (next && out.indexOf(next[0], from) >= 0) {
        pending.shift()
        from = out.length
        child.stdin.write(next[1])
      }
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, out })
    })
  })
}

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ust-init-tty-'))
}, 120_000)
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('ust init on a terminal', { timeout: 120_000 }, () => {
  it('asks for the source, the target and what they need, then writes the files', async () => {
    const dir = join(work, 'asked')
    const run = await onTerminal(
      ['init', dir],
      [
        ['identity source', `${DOWN}${ENTER}`], // LDAP
        ['target', ENTER], // Adobe organisation
        ['Adobe org ID', `4321@AdobeOrg${ENTER}`],
        ['OAuth client ID', `cid-7${ENTER}`],
        ['LDAP URL', ENTER], // default
        ['Search base DN', `dc=corp,dc=example${ENTER}`],
        ['Bind DN', ENTER],
        ['Identity type', `${DOWN}${ENTER}`], // Enterprise ID
      ],
    )
    expect(run.code, run.out).toBe(0)
    expect((await readdir(dir)).sort()).toEqual(['connector-ldap.yml', 'connector-umapi.yml', 'user-sync-config.yml'])
    const umapi = await readFile(join(dir, 'connector-umapi.yml'), 'utf8')
    expect(umapi).toContain('org_id: "4321@AdobeOrg"')
    expect(umapi).toContain('client_id: "cid-7"')
    const ldap = await readFile(join(dir, 'connector-ldap.yml'), 'utf8')
    expect(ldap).toContain('host: "ldaps://ldap.example.com"')
    expect(ldap).toContain('base_dn: "dc=corp,dc=example"')
    expect(await readFile(join(dir, 'user-sync-config.yml'), 'utf8')).toContain('user_identity_type: enterpriseID')
  })

  it('asks only for what the flags leave open', async () => {
    const dir = join(work, 'flags')
    const run = await onTerminal(['init', dir, '--source', 'csv', '--target', 'sandbox'], [['Identity type', ENTER]])
    expect(run.code, run.out).toBe(0)
    expect(run.out).not.toContain('identity source')
    expect(await readFile(join(dir, 'user-sync-config.yml'), 'utf8')).toContain('user_identity_type: federatedID')
  })
})
