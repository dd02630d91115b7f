import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/** A command of an oclif manifest: its id (`credentials:set`) and every flag spelling it accepts. */
export interface ManifestCommand {
  id: string
  flags: Set<string>
}

interface ManifestFlag {
  name: string
  aliases?: string[]
  allowNo?: boolean
}

/** The commands of oclif manifests, each with its flags, aliases and `--no-` forms. */
export function commandsOf(manifestFiles: string[]): ManifestCommand[] {
  const out: ManifestCommand[] = []
  for (const file of manifestFiles) {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
      commands: Record<string, { id: string; aliases?: string[]; flags: Record<string, ManifestFlag> }>
    }
    for (const command of Object.values(manifest.commands)) {
      const flags = new Set<string>(['help'])
      for (const flag of Object.values(command.flags)) {
        flags.add(flag.name)
        for (const alias of flag.aliases ?? []) flags.add(alias)
        if (flag.allowNo) flags.add(`no-${flag.name}`)
      }
      for (const id of [command.id, ...(command.aliases ?? [])]) out.push({ id, flags })
    }
  }
  return out
}

/** The text of every string and template literal of a TypeScript file (`${…}` as `X`), with its line. */
export function literalsOf(file: string): { line: number; text: string }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const out: { line: number; text: string }[] = []
  const visit = (node: ts.Node): void => {
    let text: string | undefined
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) text = node.text
    else if (ts.isTemplateExpression(node))
      text = node.head.text + node.templateSpans.map((span) => `X${span.literal.text}`).join('')
    if (text !== undefined) {
      out.push({ line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, text })
      if (ts.isTemplateExpression(node)) for (const span of node.templateSpans) visit(span.expression)
      return
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

/** A flag a hint names that the command it names (or every command) does not have. */
export interface HintProblem {
  where: string
  flag: string
  command?: string
  text: string
}

/**
 * Checks one literal: a flag after `ust <command …>` (or oclif's `<%= config.bin %> <command …>`) must be a
 * flag of that command; a flag named without a command must be a flag of `shownBy` (the command whose file
 * it is in) or, in shared code, of some command. A flag inside a code span of another program
 * (`` `gnome-keyring-daemon --unlock` ``) is not ust's.
 */
export function checkLiteral(
  raw: string,
  commands: readonly ManifestCommand[],
  where: string,
  shownBy?: string,
): HintProblem[] {
  const text = raw.replaceAll('<%= config.bin %>', 'ust')
  const problems: HintProblem[] = []
  const ids = new Map(commands.map((c) => [c.id, c]))
  const anywhere = new Set(commands.flatMap((c) => [...c.flags]))
  for (const match of text.matchAll(/(?<=^|[\s`'"(|])--([a-z][a-z0-9-]*)/g)) {
    const flag = match[1] as string
    const before = text.slice(0, match.index)
    // The program the flag belongs to: the nearest preceding `ust …` or code-span start.
    const ust = before.lastIndexOf('ust ')
    const span = before.split('`').length % 2 === 0 ? before.lastIndexOf('`') : -1
    if (span > ust) {
      const program = before.slice(span + 1).split(/\s/)[0] ?? ''
      if (program !== '' && !program.startsWith('-') && program !== 'ust') continue
    }
    let command: ManifestCommand | undefined
    if (ust >= 0 && (ust === 0 || /[\s`'"(]/.test(before[ust - 1] as string))) {
      const words = before.slice(ust + 4).split(/[\s`'"]+/)
      for (let n = words.length; n > 0 && !command; n--) command = ids.get(words.slice(0, n).join(':'))
    }
    command ??= shownBy === undefined ? undefined : ids.get(shownBy)
    const ok = command ? command.flags.has(flag) : anywhere.has(flag)
    if (!ok) problems.push({ where, flag, ...(command ? { command: command.id } : {}), text: raw })
  }
  return problems
}

/** The command a file of src/commands/ defines (`credentials/set.ts` → `credentials:set`, `history/index.ts` → `history`). */
export function commandOfFile(file: string): string | undefined {
  const match = /^src\/commands\/(.+)\.ts$/.exec(file.replaceAll('\\', '/'))
  return match ? (match[1] as string).replace(/\/index$/, '').replaceAll('/', ':') : undefined
}

/** Every `.ts` file under `dir`. */
export function sourceFiles(dir: string, root: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
}
