import { readFile, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { type CredentialBackendContext, CredentialError } from '@ust-sync/api'

/** Environment variable holding the passphrase itself. */
export const PASSPHRASE_ENV = 'UST_CREDENTIALS_PASSPHRASE'
/** Environment variable naming a key file (its content is the passphrase). */
export const KEY_FILE_ENV = 'UST_CREDENTIALS_KEY_FILE'
/** Environment variable naming the credentials file. */
export const FILE_ENV = 'UST_CREDENTIALS_FILE'

/** Where the file backend keeps its secrets: `UST_CREDENTIALS_FILE`, else `<data dir>/credentials.enc.json`. */
export function credentialsPath(context: CredentialBackendContext): string {
  const given = process.env[FILE_ENV]
  return given ? resolve(given) : join(context.dataDir, 'credentials.enc.json')
}

/** Where the passphrase will come from, without reading it. */
export type PassphraseSource =
  | { kind: 'env' }
  | { kind: 'key-file'; path: string }
  | { kind: 'prompt' }
  | { kind: 'none'; keyFile: string }

/** The key file: `UST_CREDENTIALS_KEY_FILE`, else `credentials.key` next to the credentials file. */
function keyFilePath(file: string): string {
  const given = process.env[KEY_FILE_ENV]
  return given ? resolve(given) : join(dirname(file), 'credentials.key')
}

/** Picks the passphrase source: the environment, else a key file, else the terminal prompt. */
export async function passphraseSource(file: string, context: CredentialBackendContext): Promise<PassphraseSource> {
  if (process.env[PASSPHRASE_ENV]) return { kind: 'env' }
  const keyFile = keyFilePath(file)
  const exists = await stat(keyFile).then(
    (s) => s.isFile(),
    () => false,
  )
  if (exists || process.env[KEY_FILE_ENV]) return { kind: 'key-file', path: keyFile }
  if (context.promptSecret) return { kind: 'prompt' }
  return { kind: 'none', keyFile }
}

/** What to do when there is no passphrase, for messages. */
export function howToGivePassphrase(keyFile: string, fileExists: boolean): string[] {
  return [
    `set ${PASSPHRASE_ENV} in the environment of ust (e.g. from your service manager's secret store)`,
    fileExists
      ? `or write the passphrase of the existing credentials file to a key file only the user running ust can read: ${keyFile} (mode 0600; or set ${KEY_FILE_ENV}); a new random key would not open it`
      : `or create a key file only the user running ust can read: \`(umask 077; openssl rand -base64 32 > ${keyFile})\` (or set ${KEY_FILE_ENV})`,
    'or run the command on a terminal, where ust asks for it',
  ]
}

/** One line for `describe()`: where the passphrase comes from. */
export function describeSource(source: PassphraseSource): string {
  switch (source.kind) {
    case 'env':
      return `passphrase from ${PASSPHRASE_ENV}`
    case 'key-file':
      return `passphrase from the key file ${source.path}`
    case 'prompt':
      return 'passphrase asked on the terminal'
    case 'none':
      return 'no passphrase'
  }
}

/**
 * Reads the passphrase. A key file must be readable by its owner only (mode 0600 or 0400). On a terminal
 * a new file's passphrase is asked twice.
 */
export async function readPassphrase(
  source: PassphraseSource,
  file: string,
  isNew: boolean,
  context: CredentialBackendContext,
): Promise<string> {
  if (source.kind === 'env') return process.env[PASSPHRASE_ENV]!
  if (source.kind === 'key-file') return readKeyFile(source.path, isNew)
  if (source.kind === 'prompt' && context.promptSecret) {
    const first = await context.promptSecret(
      isNew ? `New passphrase for the credentials file ${file}: ` : `Passphrase for the credentials file ${file}: `,
    )
    if (!first) throw new CredentialError('An empty passphrase was given; nothing was changed')
    if (isNew && (await context.promptSecret('Repeat the passphrase: ')) !== first)
      throw new CredentialError('The two passphrases differ; nothing was changed', {
        suggestions: ['run the command again'],
      })
    return first
  }
  throw new CredentialError(`No passphrase for the credentials file ${file}`, {
    suggestions: howToGivePassphrase(source.kind === 'none' ? source.keyFile : keyFilePath(file), !isNew),
  })
}

async function readKeyFile(path: string, isNew: boolean): Promise<string> {
  let mode: number
  try {
    mode = (await stat(path)).mode & 0o777
  } catch {
    throw new CredentialError(`The key file ${path} (${KEY_FILE_ENV}) does not exist`, {
      suggestions: [
        isNew
          ? `create it: \`(umask 077; openssl rand -base64 32 > ${path})\``
          : `create it (mode 0600) holding the passphrase of the existing credentials file`,
        `or unset ${KEY_FILE_ENV}`,
      ],
    })
  }
  if (mode & 0o077) {
    throw new CredentialError(
      `The key file ${path} can be read by other users (mode 0${mode.toString(8)}); it was not used`,
      { suggestions: [`run \`chmod 600 ${path}\``] },
    )
  }
  const text = (await readFile(path, 'utf8')).replace(/\r?\n$/, '')
  if (!text)
    throw new CredentialError(`The key file ${path} is empty`, { suggestions: howToGivePassphrase(path, !isNew) })
  return text
}
