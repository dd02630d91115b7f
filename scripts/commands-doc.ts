/**
 * Renders docs/commands.md from oclif.manifest.json (written by `npm run build`): every command of ust,
 * its description, arguments, flags (type, default, choices) and examples.
 *
 *   npm run docs:commands            rewrites docs/commands.md
 *
 * The text is formatted by Biome, as `npm run lint` wants it. test/docs/commands-doc.test.ts renders it
 * again in memory and fails when the committed file differs.
 * Self-contained (node: modules only) so that the test can import it.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A flag as oclif's manifest records it. */
export interface ManifestFlag {
  name: string
  type: 'boolean' | 'option'
  char?: string
  aliases?: string[]
  description?: string
  default?: unknown
  options?: string[]
  allowNo?: boolean
  multiple?: boolean
  exclusive?: string[]
  hidden?: boolean
  helpGroup?: string
}

/** An argument as oclif's manifest records it. */
export interface ManifestArg {
  name: string
  description?: string
  required?: boolean
  default?: unknown
  options?: string[]
}

/** A command as oclif's manifest records it. */
export interface ManifestCommand {
  id: string
  summary?: string
  description?: string
  hidden?: boolean
  aliases?: string[]
  args: Record<string, ManifestArg>
  flags: Record<string, ManifestFlag>
  examples?: Array<string | { command: string; description?: string }>
}

/** The parts of oclif.manifest.json this script reads. */
export interface Manifest {
  version: string
  commands: Record<string, ManifestCommand>
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const MANIFEST_PATH = join(ROOT, 'oclif.manifest.json')
export const COMMANDS_DOC_PATH = join(ROOT, 'docs/commands.md')

/** A table cell: pipes escaped, line breaks as spaces. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\s*\n\s*/g, ' ')
}

/** `ust config validate` for the id `config:validate`. */
function commandLine(id: string): string {
  return `ust ${id.replaceAll(':', ' ')}`
}

function flagName(flag: ManifestFlag): string {
  const long = flag.allowNo ? `--[no-]${flag.name}` : `--${flag.name}`
  const names = [flag.char ? `-${flag.char}` : undefined, long, ...(flag.aliases ?? []).map((a) => `--${a}`)]
  const value = flag.type === 'option' ? ' VALUE' : ''
  return `\`${names.filter(Boolean).join(', ')}${value}\``
}

function flagNotes(flag: ManifestFlag): string {
  const notes: string[] = []
  if (flag.description) notes.push(flag.description)
  if (flag.options?.length) notes.push(`one of: ${flag.options.map((o) => `\`${o}\``).join(', ')}`)
  if (flag.default !== undefined && flag.default !== false) notes.push(`default: \`${String(flag.default)}\``)
  if (flag.multiple) notes.push('may be repeated')
  if (flag.exclusive?.length) notes.push(`not with ${flag.exclusive.map((f) => `\`--${f}\``).join(', ')}`)
  return cell(notes.join('; '))
}

function usage(command: ManifestCommand): string {
  const args = Object.values(command.args).map((a) => (a.required ? a.name.toUpperCase() : `[${a.name.toUpperCase()}]`))
  return [commandLine(command.id), ...args, '[FLAGS]'].join(' ')
}

function example(entry: string | { command: string; description?: string }): string {
  const text = typeof entry === 'string' ? entry : entry.command
  return text.replaceAll('<%= config.bin %>', 'ust')
}

function renderCommand(command: ManifestCommand): string[] {
  const [summary = '', ...rest] = (command.summary ?? command.description ?? '').split('\n')
  const description = command.summary ? (command.description ?? '') : rest.join('\n').trim()
  const lines = [`## \`${commandLine(command.id)}\``, '', summary, '']
  if (description) lines.push(description, '')
  lines.push('```', usage(command), '```', '')
  if (command.aliases?.length)
    lines.push(`Aliases: ${command.aliases.map((a) => `\`${commandLine(a)}\``).join(', ')}`, '')
  const args = Object.values(command.args)
  if (args.length > 0) {
    lines.push('| argument | description |', '| --- | --- |')
    for (const arg of args) {
      const notes = [arg.description ?? '', arg.required ? 'required' : '']
      if (arg.default !== undefined) notes.push(`default: \`${String(arg.default)}\``)
      lines.push(`| \`${arg.name.toUpperCase()}\` | ${cell(notes.filter(Boolean).join('; '))} |`)
    }
    lines.push('')
  }
  const flags = Object.values(command.flags).filter((f) => !f.hidden)
  if (flags.length > 0) {
    lines.push('| flag | type | description |', '| --- | --- | --- |')
    for (const flag of flags) lines.push(`| ${flagName(flag)} | ${flag.type} | ${flagNotes(flag)} |`)
    lines.push('')
  }
  const examples = command.examples ?? []
  if (examples.length > 0) lines.push('Examples:', '', '```sh', ...examples.map(example), '```', '')
  return lines
}

/** Markdown as Biome formats it (aligned tables), so that `npm run lint` accepts the generated file. */
function formatMarkdown(text: string): string {
  const biome = join(ROOT, 'node_modules/@biomejs/biome/bin/biome')
  return execFileSync(process.execPath, [biome, 'format', `--stdin-file-path=${COMMANDS_DOC_PATH}`], {
    cwd: ROOT,
    input: text,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  })
}

/** docs/commands.md for this manifest. */
export function renderCommandsDoc(manifest: Manifest): string {
  const commands = Object.values(manifest.commands)
    .filter((c) => !c.hidden)
    .sort((a, b) => a.id.localeCompare(b.id))
  const lines = [
    '# Command reference',
    '',
    '<!-- Generated from oclif.manifest.json by `npm run docs:commands`; do not edit by hand. -->',
    '',
    "Every command of ust itself, with every flag. `ust COMMAND --help` prints the same. `ust sync` is the default command: `ust --process-groups -t` runs `ust sync --process-groups -t`. The plugin management commands (`ust plugins …`), `ust autocomplete` and `ust help` come from oclif's own plugins; see their `--help`.",
    '',
    ...commands.map((c) => `- [\`${commandLine(c.id)}\`](#${commandLine(c.id).replaceAll(' ', '-')})`),
    '',
    ...commands.flatMap(renderCommand),
  ]
  return formatMarkdown(`${lines.join('\n').trimEnd()}\n`)
}

/** The manifest `npm run build` wrote. */
export function readManifest(path = MANIFEST_PATH): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest
}

if (import.meta.main) {
  writeFileSync(COMMANDS_DOC_PATH, renderCommandsDoc(readManifest()))
  console.log(`wrote ${COMMANDS_DOC_PATH}`)
}
