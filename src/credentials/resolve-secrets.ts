import { CredentialError, isUstError } from '@ust-sync/api'
import { isRecord, parseDottedPath } from '../config/key-path.js'
import type { ConnectorFile, SecretReference } from '../config/types.js'

/** Reads one secret from the chosen credential backend; undefined when there is none. */
export type SecretLookup = (service: string, account: string) => Promise<string | undefined>

/** The backend answering, and the main config file, for messages. */
export interface LookupSource {
  lookup: SecretLookup
  /** Backend id, e.g. `keyring`. */
  backend: string
  /** How it was chosen (`--backend`, `UST_CREDENTIAL_BACKEND`, `credentials.backend in FILE`, the default order). */
  chosenBy: string
  /** Main config file, for the command that creates the entry. */
  configFile?: string
}

/**
 * Returns a connector's values with every `secure_X_key` reference replaced by the secret read through
 * `source` (the value goes under the plain key `X`). The connector itself is not modified.
 * A missing or empty secret is a {@link CredentialError} naming the key, service, account, file:line,
 * backend and the command that creates the entry, never the value of any secret.
 */
export async function resolveSecrets(connector: ConnectorFile, source: LookupSource): Promise<Record<string, unknown>> {
  const values = structuredClone(connector.values)
  for (const ref of connector.secrets) {
    const secret = await readSecret(ref, source)
    const path = parseDottedPath(ref.key)
    let parent: Record<string, unknown> = values
    for (const segment of path.slice(0, -1)) {
      const next = parent[segment]
      parent = isRecord(next) ? next : (parent[segment] = {})
    }
    parent[path[path.length - 1]!] = secret
  }
  return values
}

function where(ref: SecretReference): string {
  return ref.line === undefined ? ref.file : `${ref.file}:${ref.line}`
}

/** Shell-quotes a word for a suggested command line when it needs it. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`
}

/** The command line that stores the secret of `ref` in `backend`. */
export function setCommand(ref: { service: string; account: string }, backend: string, configFile?: string): string {
  const config = configFile ? ` -c ${shellWord(configFile)}` : ''
  return `ust credentials set ${shellWord(ref.service)} --username ${shellWord(ref.account)} --backend ${backend}${config}`
}

/** Reads the secret of one reference; a miss or an empty secret is a {@link CredentialError}. */
export async function readSecret(ref: SecretReference, source: LookupSource): Promise<string> {
  const leaf = ref.key.split('.').pop()!
  const what = `${ref.key} (secure_${leaf}_key: ${ref.service} at ${where(ref)})`
  let secret: string | undefined
  try {
    secret = await source.lookup(ref.service, ref.account)
  } catch (error) {
    if (isUstError(error)) throw error
    throw new CredentialError(
      `Could not read the secret for ${what} from the credential backend "${source.backend}" (service "${ref.service}", account "${ref.account}"): ${(error as Error).message}`,
      {
        cause: error,
        suggestions: ['check that the credential backend is available (`ust info` lists the backends and why)'],
      },
    )
  }
  if (secret === undefined || secret === '') {
    throw new CredentialError(
      `No secret for ${what} in the credential backend "${source.backend}" (chosen by ${source.chosenBy}): service "${ref.service}", account "${ref.account}"${secret === '' ? ' holds an empty value' : ' has no entry'}`,
      {
        suggestions: [
          `store it: ${setCommand(ref, source.backend, source.configFile)}`,
          `or fix secure_${leaf}_key at ${where(ref)}`,
        ],
      },
    )
  }
  return secret
}
