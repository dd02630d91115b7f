import {
  type BackendAvailability,
  type CredentialBackend,
  type CredentialBackendContext,
  CredentialError,
  isUstError,
} from '@ust-sync/api'
import { modeOf, readIfExists, withLock, writeAtomic } from './file-io.js'
import { credentialsPath, describeSource, howToGivePassphrase, passphraseSource, readPassphrase } from './passphrase.js'
import { deriveKeys, type FileKeys, openFile, parseFile, SecretMap, sealFile } from './sealed-file.js'

/** The `file` credential backend's implementation (see definition.ts). */
export class FileBackend implements CredentialBackend {
  private readonly path: string
  /** Keys by salt, so scrypt runs once per process (the passphrase is asked once). */
  private keys: FileKeys | undefined

  private readonly context: CredentialBackendContext

  constructor(context: CredentialBackendContext) {
    this.context = context
    this.path = credentialsPath(context)
  }

  async describe(): Promise<BackendAvailability> {
    const source = await passphraseSource(this.path, this.context)
    const mode = await modeOf(this.path)
    const where =
      mode === undefined
        ? `${this.path} (not created yet)`
        : `${this.path} (mode 0${mode.toString(8).padStart(3, '0')})`
    if (source.kind === 'none')
      return {
        available: false,
        detail: `encrypted file ${where}, but no passphrase is given`,
        suggestions: howToGivePassphrase(source.keyFile, mode !== undefined),
      }
    return { available: true, detail: `encrypted file ${where}, ${describeSource(source)}` }
  }

  async get(service: string, account: string): Promise<string | undefined> {
    const secrets = await this.read()
    return secrets?.get(service, account)
  }

  async list(service: string): Promise<string[]> {
    return (await this.read())?.accounts(service) ?? []
  }

  async set(service: string, account: string, secret: string): Promise<void> {
    await this.update((secrets) => {
      secrets.set(service, account, secret)
      return true
    })
  }

  async delete(service: string, account: string): Promise<boolean> {
    let found = false
    await this.update((secrets) => (found = secrets.delete(service, account)))
    return found
  }

  /** The decrypted file, or undefined when it does not exist. */
  private async read(): Promise<SecretMap | undefined> {
    const text = await readIfExists(this.path)
    if (text === undefined) return undefined
    const mode = await modeOf(this.path)
    if (mode !== undefined && mode & 0o077)
      this.context.logger.warn(
        `The credentials file ${this.path} can be read by other users (mode 0${mode.toString(8)}): run \`chmod 600 ${this.path}\``,
      )
    const file = parseFile(text, this.path)
    const keys = await this.keysFor(file.kdf, false)
    try {
      return openFile(keys, file, this.path)
    } catch (error) {
      this.keys = undefined
      throw error
    }
  }

  /** Re-reads the file under the lock, applies `change`, and writes it back when something changed. */
  private async update(change: (secrets: SecretMap) => boolean): Promise<void> {
    await withLock(this.path, this.context.clock, async () => {
      const existing = await this.read()
      const secrets = existing ?? new SecretMap()
      if (!change(secrets)) return
      const keys = existing ? this.keys! : await this.keysFor(undefined, true)
      try {
        await writeAtomic(this.path, sealFile(keys, secrets))
      } catch (error) {
        if (isUstError(error)) throw error
        throw new CredentialError(`Cannot write the credentials file ${this.path}: ${(error as Error).message}`, {
          suggestions: ['check that its directory exists and is writable by the user running ust'],
        })
      }
    })
  }

  private async keysFor(kdf: FileKeys['kdf'] | undefined, isNew: boolean): Promise<FileKeys> {
    if (this.keys && (kdf === undefined || this.keys.kdf.salt === kdf.salt)) return this.keys
    const source = await passphraseSource(this.path, this.context)
    const passphrase = await readPassphrase(source, this.path, isNew, this.context)
    this.keys = await deriveKeys(passphrase, kdf)
    return this.keys
  }
}
