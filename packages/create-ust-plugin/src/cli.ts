import path from 'node:path'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { ConfigError, isUstError } from '@ust-sync/api'
import { generate } from './generate.js'
import {
  checkName,
  idFromName,
  KINDS,
  type Kind,
  LANGUAGES,
  type Language,
  oneOf,
  type PluginOptions,
} from './options.js'

const USAGE = `Usage: npm create ust-plugin -- [--kind source|target|backend|mapping-hook] [--lang ts|js] [--name NAME] [--id ID] [--dir DIR]

Writes a ust plugin that builds, passes the conformance kit and installs with ust plugins install / link.
On a terminal, asks for what the flags leave out; otherwise --kind, --lang and --name are required.`

/** Asks one question on the terminal; an empty answer takes the default. */
type Ask = (question: string, fallback?: string) => Promise<string>

/** Fills in what the flags left out: by asking on a terminal, else a ConfigError naming the flags. */
async function complete(values: Record<string, string | undefined>, ask: Ask | undefined): Promise<PluginOptions> {
  const missing = ['kind', 'lang', 'name'].filter((k) => !values[k])
  if (missing.length && !ask)
    throw new ConfigError(`Not on a terminal: give ${missing.map((m) => `--${m}`).join(', ')}`, {
      suggestions: ['e.g. npm create ust-plugin -- --kind target --lang ts --name ust-plugin-acme'],
    })
  const kind: Kind = oneOf('kind', values.kind ?? (await ask!(`Kind (${KINDS.join(', ')})`, 'source')), KINDS)
  const lang: Language = oneOf('lang', values.lang ?? (await ask!('Language (ts, js)', 'ts')), LANGUAGES)
  const name = checkName(
    values.name ?? (await ask!('npm package name', `ust-plugin-${kind === 'mapping-hook' ? 'hook' : kind}`)),
  )
  const id = values.id ?? idFromName(name)
  const dir = path.resolve(values.dir ?? name.replace(/^@[^/]+\//, ''))
  return { kind, lang, name, id, dir }
}

/**
 * `create-ust-plugin [flags]`: writes the plugin and says what to do next. Returns the exit code (0, or
 * the UstError's: 2 for a wrong flag or a directory in the way).
 */
export async function main(
  argv: string[],
  io: {
    interactive?: boolean
    out?: (line: string) => void
    err?: (line: string) => void
    /** Where prompts read and write (default: the process's terminal). */
    input?: NodeJS.ReadableStream
    output?: NodeJS.WritableStream
  } = {},
): Promise<number> {
  const out = io.out ?? ((line: string) => process.stdout.write(`${line}\n`))
  const err = io.err ?? ((line: string) => process.stderr.write(`${line}\n`))
  const interactive = io.interactive ?? Boolean(process.stdin.isTTY && process.stdout.isTTY)
  let rl: ReturnType<typeof createInterface> | undefined
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        kind: { type: 'string' },
        lang: { type: 'string' },
        name: { type: 'string' },
        id: { type: 'string' },
        dir: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    })
    const { help, ...flags } = values
    if (help) {
      out(USAGE)
      return 0
    }
    if (interactive) rl = createInterface({ input: io.input ?? process.stdin, output: io.output ?? process.stdout })
    const ask: Ask | undefined = rl
      ? async (question, fallback) =>
          (await rl!.question(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim() || (fallback ?? '')
      : undefined
    const options = await complete(flags, ask)
    const files = await generate(options)
    const rel = path.relative(process.cwd(), options.dir) || '.'
    out(
      `Wrote ${options.name} (${options.kind} "${options.id}", ${options.lang === 'ts' ? 'TypeScript' : 'JavaScript'}) in ${rel}:`,
    )
    for (const file of files) out(`  ${file}`)
    out('Next:')
    out(`  cd ${rel} && npm install${options.lang === 'ts' ? ' && npm run build' : ''} && npm test`)
    out(`  ust plugins link .   # then ust info lists "${options.id}"`)
    return 0
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    err(`create-ust-plugin: ${message}`)
    if (isUstError(error)) for (const s of error.suggestions ?? []) err(`  → ${s}`)
    else err(USAGE)
    return isUstError(error) ? error.exitCode : 2
  } finally {
    rl?.close()
  }
}
