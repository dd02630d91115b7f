import {
  ConfigError,
  type CredentialBackend,
  type CredentialBackendContext,
  type CredentialBackendDefinition,
  CredentialError,
} from '@ust-sync/api'
import type { Registered } from '../plugins/plugin-registry.js'

/** Environment variable naming the credential backend. */
export const BACKEND_ENV = 'UST_CREDENTIAL_BACKEND'

/**
 * ust's own backends, in the default order used when none is named, with the plugin that must provide
 * each (an id registered by any other plugin is never picked by default). `env` is not in it: a read-only
 * backend is used only when named.
 */
export const DEFAULT_ORDER: readonly { id: string; plugin: string }[] = [
  { id: 'keyring', plugin: '@ust-sync/plugin-keyring' },
  { id: 'file', plugin: '@ust-sync/plugin-file' },
]

/** Where the backend is named, strongest first. */
export interface BackendSettings {
  /** `--backend` on the command line (the flag as parsed: undefined when not given). */
  flag?: string | undefined
  /** `credentials.backend` of the main config file (undefined when it names none). */
  configured?: string | undefined
  /** The main config file, for messages. */
  configFile?: string | undefined
}

/** The one backend answering this run, and why it was chosen. */
export interface BackendChoice {
  id: string
  /** Plugin that registered it. */
  plugin: string
  readOnly: boolean
  /** How it was chosen, e.g. `--backend`, `UST_CREDENTIAL_BACKEND`, `credentials.backend in /etc/ust/user-sync-config.yml`. */
  chosenBy: string
  /** Where its secrets are (its `describe()` detail). */
  detail: string
  backend: CredentialBackend
}

/** Which backend is named, and by what; undefined when none is. */
export function namedBackend(settings: BackendSettings): { id: string; chosenBy: string } | undefined {
  if (settings.flag) return { id: settings.flag, chosenBy: '--backend' }
  const env = process.env[BACKEND_ENV]
  if (env) return { id: env, chosenBy: BACKEND_ENV }
  if (settings.configured)
    return {
      id: settings.configured,
      chosenBy: `credentials.backend${settings.configFile ? ` in ${settings.configFile}` : ''}`,
    }
  return undefined
}

/**
 * Chooses exactly one backend: the one named (`--backend`, else `UST_CREDENTIAL_BACKEND`, else
 * `credentials.backend`), which must be registered and available; else the first available of
 * {@link DEFAULT_ORDER}. Never falls through from a named backend to another, and never picks a
 * third-party backend that was not named.
 */
export async function chooseBackend(
  backends: readonly Registered<CredentialBackendDefinition>[],
  settings: BackendSettings,
  context: CredentialBackendContext,
): Promise<BackendChoice> {
  const named = namedBackend(settings)
  if (named) {
    const found = backends.find((b) => b.definition.id === named.id)
    if (!found) {
      throw new ConfigError(
        `The credential backend "${named.id}" (named by ${named.chosenBy}) is not installed; installed: ${
          backends
            .map((b) => b.definition.id)
            .sort()
            .join(', ') || 'none'
        }`,
        {
          suggestions: [
            `name one of the installed backends, or install the plugin that provides "${named.id}" (ust plugins install <package>)`,
          ],
        },
      )
    }
    return open(found, named.chosenBy, context)
  }
  const reasons: string[] = []
  const steps: string[] = []
  for (const { id, plugin } of DEFAULT_ORDER) {
    const found = backends.find((b) => b.definition.id === id && b.plugin === plugin)
    if (!found) {
      reasons.push(`${id}: not installed`)
      continue
    }
    const backend = found.definition.create(context)
    const availability = await backend.describe()
    if (availability.available)
      return choice(
        found,
        `the default order (${DEFAULT_ORDER.map((d) => d.id).join(', ')})${reasons.length ? `; skipped ${reasons.join('; ')}` : ''}`,
        availability.detail,
        backend,
      )
    reasons.push(`${id}: ${availability.detail}`)
    for (const step of availability.suggestions ?? []) steps.push(`${id}: ${step}`)
  }
  throw new CredentialError(`No credential backend is usable here:\n${reasons.map((r) => `  ${r}`).join('\n')}`, {
    suggestions: [
      ...steps,
      'name the backend to use with `credentials.backend: <id>` in the main config or UST_CREDENTIAL_BACKEND=<id>; `ust info` shows which are usable',
    ],
  })
}

async function open(
  found: Registered<CredentialBackendDefinition>,
  chosenBy: string,
  context: CredentialBackendContext,
): Promise<BackendChoice> {
  const backend = found.definition.create(context)
  const availability = await backend.describe()
  if (!availability.available) {
    throw new CredentialError(
      `The credential backend "${found.definition.id}" (named by ${chosenBy}) cannot be used here: ${availability.detail}`,
      {
        suggestions: [
          ...(availability.suggestions ?? []),
          'or name another backend (`ust info` shows which are usable); ust never switches backends on its own',
        ],
      },
    )
  }
  return choice(found, chosenBy, availability.detail, backend)
}

function choice(
  found: Registered<CredentialBackendDefinition>,
  chosenBy: string,
  detail: string,
  backend: CredentialBackend,
): BackendChoice {
  return {
    id: found.definition.id,
    plugin: found.plugin,
    readOnly: found.definition.readOnly === true,
    chosenBy,
    detail,
    backend,
  }
}
