import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Config } from '@oclif/core'
import { bashCompletion, type CompletionCommand } from './bash-completion.js'
import { completionValues } from './flag-values.js'

/** The visible commands (aliases included) with their visible flags and the values each flag takes. */
export function completionCommands(config: Pick<Config, 'commands'>): CompletionCommand[] {
  const extra = completionValues()
  const out: CompletionCommand[] = []
  for (const command of config.commands) {
    if (command.hidden) continue
    const flags = Object.entries(command.flags ?? {})
      .filter(([, flag]) => !flag.hidden)
      .map(([name, flag]) => {
        const values = extra[command.id]?.[name] ?? ('options' in flag ? flag.options : undefined)
        return { name, ...(values?.length ? { values } : {}) }
      })
    for (const id of [command.id, ...(command.aliases ?? [])]) out.push({ id, flags })
  }
  return out
}

/**
 * Replaces the bash completion function @oclif/plugin-autocomplete wrote (it offers a topic once per
 * command under it, and no flag values) with ust's own, and gives the zsh function the values of the flags
 * whose values it cannot know (see {@link completionValues}). Runs after `autocomplete:create`.
 */
export async function writeCompletion(config: Pick<Config, 'bin' | 'cacheDir' | 'commands'>): Promise<void> {
  const dir = join(config.cacheDir, 'autocomplete', 'functions')
  const commands = completionCommands(config)
  await writeFile(join(dir, 'bash', `${config.bin}.bash`), bashCompletion(config.bin, commands))
  const zshFile = join(dir, 'zsh', `_${config.bin}`)
  const zsh = await readFile(zshFile, 'utf8').catch(() => undefined)
  if (zsh === undefined) return
  let patched = zsh
  for (const [, flags] of Object.entries(completionValues()))
    for (const [flag, values] of Object.entries(flags))
      patched = patched.replaceAll(
        new RegExp(`(--${flag}"\\[[^\\n]*?\\]:)file:_files"`, 'g'),
        `$1${flag} options:(${values.join(' ')})"`,
      )
  if (patched !== zsh) await writeFile(zshFile, patched)
}
