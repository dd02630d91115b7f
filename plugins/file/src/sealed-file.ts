import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import { CredentialError } from '@ust-sync/api'

/** scrypt cost of new files: N = 2^15, r = 8, p = 1 (about 32 MiB and 0.1 s per derivation). */
const NEW_KDF = { name: 'scrypt', N: 2 ** 15, r: 8, p: 1 } as const
/** Plain text sealed in every file: decrypting it tells a wrong passphrase from a tampered file. */
const CHECK_TEXT = 'ust-credentials-check'
const FORMAT = 'ust-credentials'

/** One AES-256-GCM sealed value, base64 fields. */
interface Sealed {
  iv: string
  tag: string
  data: string
}

/** An entry as stored: service and account in clear (needed to list), the secret sealed. */
interface StoredEntry extends Sealed {
  service: string
  account: string
}

/** The file's JSON. `mac` is an HMAC-SHA256 over everything else, so no entry can be added, removed or swapped. */
export interface SealedFileJson {
  format: typeof FORMAT
  version: 1
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string }
  check: Sealed
  entries: StoredEntry[]
  mac: string
}

/** Keys derived from the passphrase: one encrypts values, the other authenticates the whole file. */
export interface FileKeys {
  kdf: SealedFileJson['kdf']
  encryption: Buffer
  mac: Buffer
}

/** Derives the keys for `kdf` (a new random salt when absent). */
export async function deriveKeys(passphrase: string, kdf?: SealedFileJson['kdf']): Promise<FileKeys> {
  const params = kdf ?? { ...NEW_KDF, salt: randomBytes(16).toString('base64') }
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      passphrase.normalize('NFC'),
      Buffer.from(params.salt, 'base64'),
      64,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (error, derived) => (error ? reject(error) : resolve(derived)),
    ),
  )
  return { kdf: params, encryption: key.subarray(0, 32), mac: key.subarray(32) }
}

function seal(keys: FileKeys, plain: string, aad: string): Sealed {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keys.encryption, iv)
  cipher.setAAD(Buffer.from(aad))
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') }
}

/** Decrypts a sealed value; undefined when it does not authenticate (wrong key or changed bytes). */
function unseal(keys: FileKeys, sealed: Sealed, aad: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.encryption, Buffer.from(sealed.iv, 'base64'))
    decipher.setAAD(Buffer.from(aad))
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'))
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}

/** Binds a value to its address, so a sealed value moved to another entry no longer decrypts. */
const entryAad = (service: string, account: string) => JSON.stringify([service, account])

function macOf(keys: FileKeys, file: Omit<SealedFileJson, 'mac'>): string {
  const body = JSON.stringify([file.format, file.version, file.kdf, file.check, file.entries])
  return createHmac('sha256', keys.mac).update(body).digest('base64')
}

/** The decrypted contents of a credentials file: secrets by (service, account). */
export class SecretMap {
  private readonly map = new Map<string, { service: string; account: string; secret: string }>()

  get(service: string, account: string): string | undefined {
    return this.map.get(entryAad(service, account))?.secret
  }

  set(service: string, account: string, secret: string): void {
    this.map.set(entryAad(service, account), { service, account, secret })
  }

  delete(service: string, account: string): boolean {
    return this.map.delete(entryAad(service, account))
  }

  accounts(service: string): string[] {
    return [...this.map.values()]
      .filter((e) => e.service === service)
      .map((e) => e.account)
      .sort()
  }

  get size(): number {
    return this.map.size
  }

  entries() {
    return [...this.map.values()].sort(
      (a, b) => a.service.localeCompare(b.service) || a.account.localeCompare(b.account),
    )
  }
}

/** Seals every secret of `secrets` into the file's JSON text. */
export function sealFile(keys: FileKeys, secrets: SecretMap): string {
  const body: Omit<SealedFileJson, 'mac'> = {
    format: FORMAT,
    version: 1,
    kdf: keys.kdf,
    check: seal(keys, CHECK_TEXT, 'check'),
    entries: secrets.entries().map((e) => ({
      service: e.service,
      account: e.account,
      ...seal(keys, e.secret, entryAad(e.service, e.account)),
    })),
  }
  return `${JSON.stringify({ ...body, mac: macOf(keys, body) }, null, 2)}\n`
}

/** Parses the file's text far enough to know its key derivation; a damaged file is a CredentialError. */
export function parseFile(text: string, path: string): SealedFileJson {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw damaged(path, 'it is not valid JSON')
  }
  const file = json as SealedFileJson
  const kdf = file?.kdf
  if (file?.format !== FORMAT || file.version !== 1) throw damaged(path, 'it is not a ust credentials file (version 1)')
  if (
    kdf?.name !== 'scrypt' ||
    typeof kdf.salt !== 'string' ||
    ![kdf.N, kdf.r, kdf.p].every(Number.isInteger) ||
    kdf.N < 2 ** 14 ||
    kdf.N > 2 ** 20 ||
    kdf.r < 1 ||
    kdf.r > 32 ||
    kdf.p < 1 ||
    kdf.p > 16 ||
    !Array.isArray(file.entries) ||
    typeof file.mac !== 'string'
  ) {
    throw damaged(path, 'its key derivation settings or structure were changed')
  }
  return file
}

/**
 * Opens a parsed file with its keys: a check value that does not decrypt means a wrong passphrase; a file
 * whose MAC or any entry does not authenticate was changed outside ust.
 */
export function openFile(keys: FileKeys, file: SealedFileJson, path: string): SecretMap {
  if (unseal(keys, file.check, 'check') !== CHECK_TEXT) {
    throw new CredentialError(`Wrong passphrase for the credentials file ${path}`, {
      suggestions: [
        'give the passphrase the file was created with (UST_CREDENTIALS_PASSPHRASE, the key file, or the prompt)',
        'a lost passphrase cannot be recovered: move the file away and store the secrets again with `ust credentials set`',
      ],
    })
  }
  const { mac, ...body } = file
  const expected = Buffer.from(macOf(keys, body), 'base64')
  const given = Buffer.from(mac, 'base64')
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw damaged(path, 'its entries were changed, added or removed outside ust (integrity check failed)')
  const secrets = new SecretMap()
  for (const entry of file.entries) {
    const secret = unseal(keys, entry, entryAad(entry.service, entry.account))
    if (secret === undefined) throw damaged(path, `the entry for service "${entry.service}" does not decrypt`)
    secrets.set(entry.service, entry.account, secret)
  }
  return secrets
}

function damaged(path: string, why: string): CredentialError {
  return new CredentialError(`The credentials file ${path} has been tampered with or damaged: ${why}`, {
    suggestions: [
      'restore the file from a backup',
      'or move it away and store the secrets again with `ust credentials set` (or `ust credentials migrate`)',
    ],
  })
}
