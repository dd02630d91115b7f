import { isUstError } from '@ust-sync/api'
import type { BackendChoice } from '../../credentials/choose-backend.js'
import type { SecretSite } from '../../credentials/secret-sites.js'
import type { CredentialAdmin, CredentialsRequest, LoadedForCredentials } from './credential-admin.js'

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
  const chosen = await chooseForList(admin, loaded)
  const references: ReferenceEntry[] = []
  // An identifier in plain text (the UMAPI client_id) is where it belongs: not listed.
  for (const site of loaded.sites.filter((s) => !(s.identifier && s.form === 'plain')))
    references.push(await referenceOf(admin, site, chosen))
  const { backend, backendError } = chosen
  return { configFile: config.file, backend, ...(backendError ? { backendError } : {}), references }
}

/** The backend the references are looked up in: chosen only when a setting is a `secure_X_key` reference. */
interface ListBackend {
  choice: BackendChoice | undefined
  backend: ListResult['backend']
  /** Why no backend could be chosen. */
  backendError: string | undefined
}

async function chooseForList(admin: CredentialAdmin, loaded: LoadedForCredentials): Promise<ListBackend> {
  if (!loaded.sites.some((s) => s.form === 'secure'))
    return { choice: undefined, backend: null, backendError: undefined }
  try {
    const choice = await admin.credentials.choose(loaded.options)
    return {
      choice,
      backend: { id: choice.id, chosenBy: choice.chosenBy, detail: choice.detail },
      backendError: undefined,
    }
  } catch (error) {
    if (!isUstError(error)) throw error
    return { choice: undefined, backend: null, backendError: error.message }
  }
}

/** One setting as listed: a reference with whether the backend has its entry, or plain text. */
async function referenceOf(admin: CredentialAdmin, site: SecretSite, chosen: ListBackend): Promise<ReferenceEntry> {
  const leaf = site.key.split('.').pop()!
  const parent = site.key.split('.').slice(0, -1)
  const entry: ReferenceEntry = {
    file: site.file,
    line: site.line,
    connector: site.connector,
    key: site.key,
    setting: [...parent, site.form === 'secure' ? `secure_${leaf}_key` : leaf].join('.'),
    backend: site.form === 'secure' ? (chosen.choice?.id ?? null) : null,
    service: site.service ?? null,
    account: site.account ?? null,
    status: 'plaintext',
  }
  if (site.form === 'secure') Object.assign(entry, await referenceStatus(admin, site, chosen))
  return entry
}

/** Whether the backend has the entry of a `secure_X_key` reference, or why that cannot be known. */
async function referenceStatus(
  admin: CredentialAdmin,
  site: SecretSite,
  { choice, backendError }: ListBackend,
): Promise<Pick<ReferenceEntry, 'status' | 'detail'>> {
  if (!site.account) return { status: 'error', detail: `${site.accountKey} is not set` }
  if (!choice) return { status: 'error', ...(backendError === undefined ? {} : { detail: backendError }) }
  try {
    const secret = await choice.backend.get(site.service!, site.account)
    if (secret !== undefined) admin.redactor.add(secret)
    return { status: secret ? 'present' : 'missing' }
  } catch (error) {
    if (!isUstError(error)) throw error
    return { status: 'error', detail: error.message }
  }
}
