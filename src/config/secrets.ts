import type { ConfigIssue, SecretSpec } from '@ust-sync/api'
import { getAt, isRecord, parseDottedPath, type KeyPath } from './key-path.js'
import type { SecretReference } from './types.js'

/** Stands in for a secret kept in the credential store while the file is validated. */
const PLACEHOLDER = '(secret from the credential store)'

/** Result of {@link extractSecrets}. */
export interface ExtractedSecrets {
  /** Values without `secure_X_key` settings; secrets kept there are absent until resolved. */
  values: Record<string, unknown>
  /** Values to validate against the schema: secure secrets appear under their plain key as a placeholder. */
  forValidation: Record<string, unknown>
  secrets: SecretReference[]
  issues: ConfigIssue[]
}

/** Where a key path was written: file and position, for issues and references. */
export type Locate = (path: KeyPath) => { file: string; line: number; column: number }

/**
 * Applies UST's secret rule to a connector's values: each secret `X` is written either as `X` or as
 * `secure_X_key: <service>`; both is an error ("cannot contain setting for both"), neither is an error
 * when required. Secure ones become {@link SecretReference}s whose account is the value at `spec.account`.
 */
export function extractSecrets(
  input: Record<string, unknown>,
  specs: readonly SecretSpec[],
  locate: Locate,
): ExtractedSecrets {
  const values = structuredClone(input)
  const forValidation = structuredClone(input)
  const secrets: SecretReference[] = []
  const issues: ConfigIssue[] = []
  const issue = (path: KeyPath, shown: string, message: string, suggestion?: string) =>
    issues.push({ ...locate(path), path: shown, message, ...(suggestion ? { suggestion } : {}) })

  for (const spec of specs) {
    const path = parseDottedPath(spec.key)
    const parentPath = path.slice(0, -1)
    const leaf = path[path.length - 1]!
    const secureKey = `secure_${leaf}_key`
    const securePath = [...parentPath, secureKey]
    const shownSecure = [...parentPath, secureKey].join('.')
    const parent = getAt(values, parentPath)
    const plain = isRecord(parent) ? parent[leaf] : undefined
    const secure = isRecord(parent) ? parent[secureKey] : undefined
    const hasPlain = plain !== undefined && plain !== null && plain !== ''
    const hasSecure = secure !== undefined && secure !== null && secure !== ''
    if (hasPlain && hasSecure) {
      issue(
        securePath,
        shownSecure,
        `cannot contain setting for both "${leaf}" and "${secureKey}"`,
        `keep only "${secureKey}" and remove the plain "${leaf}"`,
      )
      deleteAt(forValidation, parentPath, secureKey)
      continue
    }
    if (!hasPlain && !hasSecure) {
      if (spec.required)
        issue(
          path,
          spec.key,
          `must contain setting for "${leaf}" or "${secureKey}"`,
          `add "${secureKey}: <service name>" and store the secret in the credential backend`,
        )
      continue
    }
    if (!hasSecure) continue
    if (typeof secure !== 'string') {
      issue(securePath, shownSecure, 'must be a string: the service name of the secret in the credential store')
      continue
    }
    const account = getAt(values, parseDottedPath(spec.account))
    if (typeof account !== 'string' && typeof account !== 'number') {
      issue(
        securePath,
        shownSecure,
        `"${spec.account}" must be set: it is the account of the secret in the credential store`,
      )
      continue
    }
    const { file, line } = locate(securePath)
    secrets.push({ key: spec.key, service: secure, account: String(account), file, line })
    deleteAt(values, parentPath, secureKey)
    deleteAt(forValidation, parentPath, secureKey)
    const validationParent = getAt(forValidation, parentPath)
    if (isRecord(validationParent)) validationParent[leaf] = PLACEHOLDER
  }
  return { values, forValidation, secrets, issues }
}

function deleteAt(root: unknown, parentPath: KeyPath, key: string): void {
  const parent = getAt(root, parentPath)
  if (isRecord(parent)) delete parent[key]
}
