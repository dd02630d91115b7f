import { resolve } from 'node:path'
import { ConfigError, type ConfigIssue } from '@ust-sync/api'
import { isKnownEncoding } from './decode.js'
import { CONFIG_SEARCH_PLACES, discoverConfigFile } from './discover.js'
import { isYamlFailure, readYamlFile, type YamlFile } from './read-yaml.js'

/** Where the main config file is: `-c/--config` (relative to `cwd`), else discovered from `cwd`. */
export interface MainFileLocation {
  configFile?: string | undefined
  cwd: string
  /** `--config-file-encoding`, default `utf8`. */
  encoding?: string | undefined
}

/**
 * The one read of the main config file that every part of a command uses (the plugin allow-list and the
 * full load alike): none found, read and parsed, or a {@link ConfigError} saying why it cannot be used.
 */
export type MainFile =
  | { kind: 'none'; error: ConfigError }
  | { kind: 'read'; file: string; yaml: YamlFile }
  | { kind: 'failed'; file?: string; error: ConfigError }

/** Finds, reads and parses the main config file; never throws for a bad file (see {@link MainFile}). */
export async function readMainFile(location: MainFileLocation): Promise<MainFile> {
  const { encoding } = location
  if (encoding !== undefined && !isKnownEncoding(encoding)) {
    const error = new ConfigError(`Unknown config file encoding "${encoding}"`, {
      suggestions: ['use an encoding name such as utf8, latin1, cp1252 or utf-16'],
    })
    return { kind: 'failed', error }
  }
  let file: string
  if (location.configFile !== undefined) file = resolve(location.cwd, location.configFile)
  else {
    const found = await discoverConfigFile(location.cwd)
    if (!found) return { kind: 'none', error: notFound(location.cwd) }
    file = found
  }
  const yaml = await readYamlFile(file, encoding)
  if (!isYamlFailure(yaml)) return { kind: 'read', file, yaml }
  const [first] = yaml.issues
  if (location.configFile !== undefined && yaml.issues.length === 1 && first?.line === undefined) {
    // The file itself cannot be read: say so about -c, as the administrator typed it.
    const missing = first?.message.startsWith('no such file')
    const error = new ConfigError(
      missing ? `Config file not found: ${file}` : `Cannot use the config file ${file}: ${first?.message}`,
      {
        issues: [{ file: 'command line', path: '--config', message: first?.message ?? 'cannot be read' }],
        suggestions: [
          'check the path given to -c/--config (relative paths are resolved against the working directory)',
        ],
      },
    )
    return { kind: 'failed', file, error }
  }
  return { kind: 'failed', file, error: invalidConfig(yaml.issues) }
}

/** The main file as parsed, or the error that stops the command (fail closed). */
export function requireMainFile(main: MainFile): { file: string; yaml: YamlFile } {
  if (main.kind !== 'read') throw main.error
  return main
}

/** A {@link ConfigError} listing every problem (file:line:column: key: message). */
export function invalidConfig(issues: ConfigIssue[]): ConfigError {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
  return new ConfigError(`The configuration is invalid (${count}):`, {
    issues,
    suggestions: ['fix the problems listed (file:line:column: key: message), then run `ust config validate`'],
  })
}

function notFound(cwd: string): ConfigError {
  return new ConfigError(
    `No config file found: searched ${CONFIG_SEARCH_PLACES.join(', ')} in ${cwd} and its parent directories up to the project root`,
    {
      suggestions: [
        'pass the config file with -c/--config FILE',
        'or write a new configuration with `ust init` (or check an existing UST folder with `ust init --from DIR`)',
      ],
    },
  )
}
