import { readFile, stat } from 'node:fs/promises'
import { ConfigError, CredentialError, isUstError, type UstError } from '@ust-sync/api'
import type { BackendChoice } from '../../credentials/choose-backend.js'
import { replaceFileAtomic, writePrivateFile } from '../../fs/private-file.js'
import type { CredentialAdmin, CredentialsRequest } from './credential-admin.js'
import { type Replacement, rewriteFile } from '../../credentials/rewrite-secrets.js'
import type { SecretSite } from '../../credentials/secret-sites.js'
import { setBackendSetting } from '../../credentials/set-backend-setting.js'

/** One plain-text secret found by `migrate`. */
export interface MigrationItem {
  file: string
  line: number
  connector: string
  key: string
  /** The service name of the new `secure_X_key`. */
  service: string
  account: string | null
  status: 'stored' | 'would-store' | 'skipped'
  /** Why it was skipped. */
  reason?: string
}

/** Result of `ust credentials migrate`. */
export interface MigrateResult {
  dryRun: boolean
  backend: { id: string; chosenBy: string } | null
  items: MigrationItem[]
  /**
   * A dry run only: why no backend can take the secrets here (the error a real run would stop with, then
   * what to do, one line each). The items and files are listed all the same.
   */
  backendProblem?: string[]
  /** Files rewritten (or that would be), each with the backup of its previous content. */
  files: { file: string; backup: string | null }[]
  /**
   * `credentials.backend` written into the main config file (or that would be): the backend named by
   * `--backend` now holds the secrets, so every later run must use it too.
   */
  backendSetting?: { file: string; from: string | null; to: string }
}

/** The service name given to a migrated secret: `ust-<connector>-<key>`, e.g. `ust-umapi-client-secret`. */
export function serviceNameFor(site: SecretSite): string {
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
  const leaf = slug(site.key.split('.').pop()!)
  return site.connector === 'main' ? `ust-${leaf}` : `ust-${slug(site.connector)}-${leaf}`
}

/**
 * Moves every plain-text secret of the config files into the chosen backend and rewrites each file to
 * `secure_X_key: <service>` (comments, order and formatting kept), after a 0600 backup of it. Every secret
 * is stored and read back before any file is touched; a file is replaced atomically. Nothing to do (the
 * second run) changes nothing.
 */
export async function migrateSecrets(
  admin: CredentialAdmin,
  request: CredentialsRequest & { dryRun: boolean; now: Date },
): Promise<MigrateResult> {
  if (request.encoding && !/^utf-?8$/i.test(request.encoding))
    throw new ConfigError(`migrate rewrites UTF-8 files only; the files are read as ${request.encoding}`, {
      suggestions: ['convert the files to UTF-8 first (e.g. with iconv), or move the secrets by hand'],
    })
  const loaded = await admin.load(request, false)
  if (!loaded.config) await admin.configs.load(request)
  // Identifiers (the UMAPI client_id) are no secrets: they stay where they are, in plain text.
  const plain = loaded.sites.filter((s) => s.form === 'plain' && !s.identifier)
  const items: MigrationItem[] = plain.map((site) => ({
    file: site.file,
    line: site.line,
    connector: site.connector,
    key: site.key,
    service: serviceNameFor(site),
    account: site.account ?? null,
    status: site.account ? (request.dryRun ? 'would-store' : 'stored') : 'skipped',
    ...(site.account ? {} : { reason: `${site.accountKey} is not set: it is the account of the secret` }),
  }))
  const todo = plain.map((site, i) => ({ site, item: items[i]! })).filter(({ item }) => item.status !== 'skipped')
  if (todo.length === 0) return { dryRun: request.dryRun, backend: null, items, files: [] }

  const byFile = new Map<string, Replacement[]>()
  for (const { site, item } of todo)
    byFile.set(site.file, [...(byFile.get(site.file) ?? []), { site, service: item.service }])
  // Rewrite in memory first: a file that cannot be rewritten safely stops the run before anything is stored.
  const rewritten = new Map<string, string>()
  for (const [file, replacements] of byFile) rewritten.set(file, await rewriteFile(file, replacements))
  const wouldRewrite = [...byFile.keys()].map((file) => ({ file, backup: null }))

  // A dry run lists what would move even where no backend can be used yet (that is what it is for).
  const chosen = await admin.credentials.choose(loaded.options).then(
    (choice) => (choice.readOnly ? readOnlyError(choice) : choice),
    (error: unknown) => {
      if (request.dryRun && isUstError(error)) return error
      throw error
    },
  )
  if (isUstError(chosen)) {
    if (request.dryRun)
      return { dryRun: true, backend: null, backendProblem: problemOf(chosen), items, files: wouldRewrite }
    throw chosen
  }
  const choice = chosen
  const backend = { id: choice.id, chosenBy: choice.chosenBy }
  const configured = loaded.options.configured ?? null
  const mainFile = loaded.config?.file
  const backendSetting =
    choice.chosenBy === '--backend' && configured !== choice.id && mainFile
      ? { file: mainFile, from: configured, to: choice.id }
      : undefined
  if (backendSetting) {
    const text = rewritten.get(backendSetting.file) ?? (await readFile(backendSetting.file, 'utf8'))
    rewritten.set(backendSetting.file, setBackendSetting(backendSetting.file, text, backendSetting.to))
    if (!byFile.has(backendSetting.file)) wouldRewrite.push({ file: backendSetting.file, backup: null })
  }
  const setting = backendSetting ? { backendSetting } : {}
  if (request.dryRun) return { dryRun: true, backend, items, files: wouldRewrite, ...setting }

  for (const { site, item } of todo) {
    const secret = String((site.pair.value as { value: unknown }).value)
    admin.redactor.add(secret)
    await choice.backend.set(item.service, item.account!, secret)
    if ((await choice.backend.get(item.service, item.account!)) !== secret)
      throw new CredentialError(
        `The credential backend "${choice.id}" did not return the secret just stored for ${item.key} (service "${item.service}", account "${item.account}"); no file was changed`,
      )
  }
  const files: MigrateResult['files'] = []
  for (const [file, text] of rewritten) {
    const backup = backupName(file, request.now)
    const original = await readFile(file)
    await writePrivateFile(backup, original, 'the backup')
    await replaceFileAtomic(file, text, (await stat(file)).mode & 0o777)
    files.push({ file, backup })
  }
  return { dryRun: false, backend, items, files, ...setting }
}

function readOnlyError(choice: BackendChoice): CredentialError {
  return new CredentialError(
    `The credential backend "${choice.id}" (chosen by ${choice.chosenBy}) is read-only: migrate cannot store secrets in it`,
    { suggestions: ['name a writable backend: `ust credentials migrate --backend keyring` or `--backend file`'] },
  )
}

/** Why the backend cannot take the secrets, with what to do: the lines a dry run shows. */
function problemOf(error: UstError): string[] {
  return [error.message, ...error.suggestions.map((s) => `→ ${s}`)]
}

/** `<file>.<YYYYMMDD-HHMMSS>.bak` (UTC). */
function backupName(file: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${file}.${stamp}.bak`
}
