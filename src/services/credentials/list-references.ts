import { isUstError } from '@ust-sync/api'
import type { CredentialAdmin, CredentialsRequest } from './credential-admin.js'

/** State of one secret setting. */
export type ReferenceStatus =
  /** `secure_X_key` and the backend has the entry. */
  | 'present'
  /** `secure_X_key`, but the backend has no entry. */
  | 'missing'
  /** Written in plain text in the file (`ust credentials migrate` moves it). */
  | 'plaintext'
  /** The account setting is absent, or the backend failed (see `detail`). */
  | 'error'

/** One secret setting of the configuration, as `ust credentials list` shows it. Never a value. */
export interface ReferenceEntry {
  file: string
  line: number
  /** `umapi`, `umapi (org2)`, `ldap`, `main`, ... */
  connector: string
  /** Dotted key path of the secret, e.g. `enterprise.client_secret`. */
  key: string
  /** The setting as written: `enterprise.secure_client_secret_key` or `enterprise.client_secret`. */
  setting: string
  backend: string | null
  service: string | null
  account: string | null
  status: ReferenceStatus
  detail?: string
}

/** Result of `ust credentials list`. */
export interface ListResult {
  configFile: string
  /** The backend that answers, and how it was chosen; null when it could not be chosen (see `backendError`). */
  backend: { id: string; chosenBy: string; detail: string } | null
  backendError?: string
  references: ReferenceEntry[]
}

/** Every secret setting in the config files with its state in the chosen backend. */
export async function listReferences(admin: CredentialAdmin, request: CredentialsRequest): Promise<ListResult> {
  const loaded = await admin.load(request, false)
  if (!loaded.config) {
    // load() found no file: let the config service say so, with its suggestions.
    await admin.configs.load(request)
  }
  const config = loaded.config!
  let backend: ListResult['backend'] = null
  let backendError: string | undefined
  let choice: Awaited<ReturnType<typeof admin.credentials.choose>> | undefined
  if (loaded.sites.some((s) => s.form === 'secure')) {
    try {
      choice = await admin.credentials.choose(loaded.options)
      backend = { id: choice.id, chosenBy: choice.chosenBy, detail: choice.detail }
    } catch (error) {
      if (!isUstError(error)) throw error
      backendError = error.message
    }
  }
  const references: ReferenceEntry[] = []
  // An identifier in plain text (the UMAPI client_id) is where it belongs: not listed.
  for (const site of loaded.sites.filter((s) => !(s.identifier && s.form === 'plain'))) {
    const leaf = site.key.split('.').pop()!
    const parent = site.key.split('.').slice(0, -1)
    const entry: ReferenceEntry = {
      file: site.file,
      line: site.line,
      connector: site.connector,
      key: site.key,
      setting: [...parent, site.form === 'secure' ? `secure_${leaf}_key` : leaf].join('.'),
      backend: site.form === 'secure' ? (choice?.id ?? null) : null,
      service: site.service ?? null,
      account: site.account ?? null,
      status: 'plaintext',
    }
    if (site.form === 'secure') {
      if (!site.account) Object.assign(entry, { status: 'error', detail: `${site.accountKey} is not set` })
      else if (!choice) Object.assign(entry, { status: 'error', detail: backendError })
      else {
        try {
          const secret = await choice.backend.get(site.service!, site.account)
          if (secret !== undefined) admin.redactor.add(secret)
          entry.status = secret ? 'present' : 'missing'
        } catch (error) {
          if (!isUstError(error)) throw error
          Object.assign(entry, { status: 'error', detail: error.message })
        }
      }
    }
    references.push(entry)
  }
  return { configFile: config.file, backend, ...(backendError ? { backendError } : {}), references }
}
