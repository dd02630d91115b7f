import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkLiteral, commandOfFile, commandsOf, literalsOf, sourceFiles } from './hint-flags.js'

const ROOT = resolve(import.meta.dirname, '../..')
const MANIFESTS = [
  'oclif.manifest.json',
  'node_modules/@oclif/plugin-plugins/oclif.manifest.json',
  'node_modules/@oclif/plugin-autocomplete/oclif.manifest.json',
].map((f) => join(ROOT, f))
const commands = commandsOf(MANIFESTS.filter((f) => existsSync(f)))

describe('hints name only flags that exist', () => {
  it('checks a flag against the command the hint names, else the command whose file it is in, else any command', () => {
    const check = (text: string, shownBy?: string) =>
      checkLiteral(text, commands, 'test', shownBy).map((p) => [p.flag, p.command])
    expect(check('store it with `ust credentials set KEY --backend file`')).toEqual([])
    expect(check('run `ust sync --backend file`')).toEqual([['backend', 'sync']])
    expect(check('use `--backend file`', 'sync')).toEqual([['backend', 'sync']])
    expect(check('use `--backend file`', 'credentials:set')).toEqual([])
    expect(check('use `--backend-name file`')).toEqual([['backend-name', undefined]])
    expect(check('<%= config.bin %> sync --users group "A,B" --process-groups; add --json')).toEqual([])
    expect(check('<%= config.bin %> net check --reveal')).toEqual([['reveal', 'net:check']])
    expect(check('pipe it to `gnome-keyring-daemon --unlock`')).toEqual([])
    expect(check('same as `ust sync --no-exclude-unmapped-users`')).toEqual([])
    expect(check('same as `ust sync --no-users`')).toEqual([['no-users', 'sync']])
    expect(commandOfFile('src/commands/credentials/set.ts')).toBe('credentials:set')
    expect(commandOfFile('src/commands/history/index.ts')).toBe('history')
    expect(commandOfFile('src/services/sync-service.ts')).toBeUndefined()
  })

  it('every literal in src/ and plugins/*/src that names a --flag names one its command has', () => {
    const dirs = [join(ROOT, 'src'), ...readdirSync(join(ROOT, 'plugins')).map((p) => join(ROOT, 'plugins', p, 'src'))]
    const files = dirs.filter((d) => existsSync(d)).flatMap((d) => sourceFiles(d, ROOT))
    expect(files.length).toBeGreaterThan(100)
    const problems = files.flatMap((file) =>
      literalsOf(join(ROOT, file)).flatMap(({ line, text }) =>
        checkLiteral(text, commands, `${file}:${line}`, commandOfFile(file)),
      ),
    )
    expect(problems).toEqual([])
  })
})
