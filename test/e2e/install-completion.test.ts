import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'

/** Shell completion (@oclif/plugin-autocomplete): the generated bash script completes commands and flags. */
let cache: string

beforeAll(async () => {
  cache = await mkdtemp(join(tmpdir(), 'ust-completion-'))
  const built = await runCli(['autocomplete', '--refresh-cache'], { env: { XDG_CACHE_HOME: cache } })
  expect(built.code, built.stderr).toBe(0)
}, 120_000)
afterAll(async () => {
  await rm(cache, { recursive: true, force: true })
})

/** What bash completes for `line` (the cursor at its end), after sourcing ust's setup script. */
function complete(line: string): string[] {
  const words = line.split(' ')
  const script = [
    `source "${join(cache, 'ust/autocomplete/bash_setup')}"`,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}`,
    `COMP_LINE='${line}'; COMP_POINT=${line.length}`,
    '_ust_autocomplete',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n')
  return execFileSync('bash', ['-c', script], { encoding: 'utf8' }).split('\n').filter(Boolean)
}

describe('ust autocomplete', { timeout: 120_000 }, () => {
  it('prints setup instructions for bash', async () => {
    const run = await runCli(['autocomplete', 'bash'], { env: { XDG_CACHE_HOME: cache } })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('printf "$(ust autocomplete script bash)" >> ~/.bashrc')
    const script = await runCli(['autocomplete', 'script', 'bash'], { env: { XDG_CACHE_HOME: cache } })
    expect(script.stdout).toContain(join(cache, 'ust/autocomplete/bash_setup'))
  })

  it('completes command names and their flags in bash', () => {
    expect(complete('ust sy')).toEqual(['sync'])
    expect(complete('ust sync --process')).toEqual(['--process-groups'])
    expect(complete('ust config va')).toEqual(['validate'])
    expect(complete('ust sync --adobe-only')).toEqual(
      expect.arrayContaining(['--adobe-only-user-action', '--adobe-only-user-list']),
    )
  })

  it('offers each topic and command once, and the commands of a topic', () => {
    expect(complete('ust ')).toEqual([
      'autocomplete',
      'config',
      'credentials',
      'help',
      'history',
      'info',
      'init',
      'net',
      'plan',
      'plugins',
      'sign-sync',
      'sync',
    ])
    expect(complete('ust credentials ')).toEqual(['delete', 'get', 'list', 'migrate', 'set'])
    expect(complete('ust history ')).toEqual(['show'])
    expect(complete('ust credentials set --b')).toEqual(['--backend'])
  })

  it("offers the values of sync's two-token options and of flags with a fixed set of values", () => {
    expect(complete('ust sync --users ')).toEqual(['all', 'mapped', 'file', 'group'])
    expect(complete('ust sync --process-groups --adobe-only-user-action ')).toEqual([
      'preserve',
      'exclude',
      'write-file',
      'remove-adobe-groups',
      'remove',
      'delete',
    ])
    expect(complete('ust sync --adobe-only-user-action rem')).toEqual(['remove-adobe-groups', 'remove'])
    expect(complete('ust sync --users group A,B --adobe-users ')).toEqual(['all', 'mapped', 'group'])
    expect(complete('ust sync --strategy ')).toEqual(['sync', 'push'])
    expect(complete('ust plan show --log-level ')).toEqual(['debug', 'info', 'warn', 'error', 'critical', 'silent'])
  })

  it('gives zsh the same values', async () => {
    const zsh = await readFile(join(cache, 'ust/autocomplete/functions/zsh/_ust'), 'utf8')
    expect(zsh).toContain(':users options:(all mapped file group)"')
    expect(zsh).toContain(
      ':adobe-only-user-action options:(preserve exclude write-file remove-adobe-groups remove delete)"',
    )
  })
})
