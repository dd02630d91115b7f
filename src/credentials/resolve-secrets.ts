import { CredentialError, isUstError } from '@ust-sync/api'
import { isRecord, parseDottedPath } from '../config/key-path.js'
import type { ConnectorFile, SecretReference } from '../config/types.js'

/** Reads one secret from the chosen credential backend; undefined when there is none. */
export type SecretLookup = (service: string, account: string) => Promise<string | undefined>

/**
 * Returns a connector's values with every `secure_X_key` reference replaced by the secret read through
 * `lookup` (the value goes under the plain key `X`). The connector itself is not modified.
 * A missing or empty secret is a {@link CredentialError} naming the service, account and file:line, never
 * the value of any secret.
 */
export async function resolveSecrets(connector: ConnectorFile, lookup: SecretLookup): Promise<Record<string, unknown>> {
  const values = structuredClone(connector.values)
  for (const ref of connector.secrets) {
    const secret = await read(ref, lookup)
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

async function read(ref: SecretReference, lookup: SecretLookup): Promise<string> {
  const leaf = ref.key.split('.').pop()!
  let secret: string | undefined
  try {
    secret = await lookup(ref.service, ref.account)
  } catch (error) {
    if (isUstError(error)) throw error
    throw new CredentialError(
      `Could not read the secret for "${ref.key}" (service "${ref.service}", account "${ref.account}", secure_${leaf}_key at ${where(ref)}): ${(error as Error).message}`,
      {
        cause: error,
        suggestions: ['check that the credential backend is available (`ust info` lists the installed backends)'],
      },
    )
  }
  if (secret === undefined || secret === '') {
    throw new CredentialError(
      `No secret in the credential store for service "${ref.service}", account "${ref.account}" (secure_${leaf}_key at ${where(ref)})`,
      {
        suggestions: [
          `store it in the credential backend (service "${ref.service}", account "${ref.account}")`,
          `or fix secure_${leaf}_key at ${where(ref)}`,
        ],
      },
    )
  }
  return secret
}
