import { X509Certificate } from 'node:crypto'
import tls from 'node:tls'
import { type ClientCertificateOptions, ConfigError } from '@ust-sync/api'
import { readRegularFileSync, unreadableReason } from '../fs/read-regular-file.js'

/** The largest certificate, key or PKCS#12 file read (a chain of a few certificates is a few KiB). */
const MAX_FILE_BYTES = 1024 * 1024

/** {@link ClientCertificateOptions} as both the contract and `tls.connect` type them. */
export type TlsClientCertificate = Omit<ClientCertificateOptions, 'pfx'> & { pfx?: Buffer }

/** A client certificate (mutual TLS) of `network.client_certificates`, loaded and checked. */
export interface ClientCertificate {
  /** Its name in the config: `network.client_certificates.<name>`. */
  name: string
  /** Host patterns, lower-cased: a host name, or `*.example.com` for every host under example.com. */
  hosts: string[]
  /** What TLS is given. Holds the private key and its passphrase: never logged. */
  tls: TlsClientCertificate
  /** Subject of the certificate (`CN=…`), or the PKCS#12 file when its certificate cannot be shown. */
  subject: string
  /** Expiry (`validTo`), when known. */
  validTo?: string
  /** The file it came from, for messages. */
  file: string
}

const where = (name: string) => `network.client_certificates.${name}`

function problem(name: string, message: string, suggestion: string): ConfigError {
  return new ConfigError(`${where(name)}: ${message}`, {
    code: 'config.network.client-certificate',
    suggestions: [suggestion],
  })
}

function readSetting(name: string, key: string, path: string): Buffer {
  try {
    return readRegularFileSync(path, MAX_FILE_BYTES)
  } catch (error) {
    throw problem(
      name,
      `cannot read ${key} ${path} (${unreadableReason(error)})`,
      `Point ${key} at a file readable by the account ust runs as (and by it only: it holds a private key).`,
    )
  }
}

/** Why OpenSSL refused the certificate and key, in words; never quotes the files. */
function refusal(name: string, files: string, error: unknown): ConfigError {
  const text = String((error as Error).message ?? error)
  const badPassphrase = /bad decrypt|mac verify failure|bad password|maybe wrong password|PKCS12|decrypt/i.test(text)
  if (badPassphrase)
    return problem(
      name,
      `the passphrase does not open ${files}`,
      `Store the right passphrase: ust credentials set <service>, the service secure_passphrase_key names (its account is the key file).`,
    )
  if (/key values mismatch/i.test(text))
    return problem(
      name,
      `the private key in key_file does not belong to the certificate in cert_file (${files})`,
      'Use the key the certificate was issued for.',
    )
  if (/passphrase|PEM_read_bio|no start line|bad base64|unsupported/i.test(text))
    return problem(
      name,
      `${files} cannot be read as PEM or PKCS#12 (${/no start line/.test(text) ? 'no PEM block' : 'unreadable or encrypted without a passphrase'})`,
      'Give cert_file and key_file in PEM (-----BEGIN …-----), or pkcs12_file; set passphrase (or secure_passphrase_key) if the key is encrypted.',
    )
  return problem(name, `${files} cannot be used (${text.split('\n')[0]})`, 'Check the files and the passphrase.')
}

function loadOne(name: string, entry: Record<string, unknown>): ClientCertificate {
  const str = (key: string) =>
    typeof entry[key] === 'string' && entry[key] !== '' ? (entry[key] as string) : undefined
  const hosts = (Array.isArray(entry.hosts) ? entry.hosts : [])
    .filter((h): h is string => typeof h === 'string' && h.trim() !== '')
    .map((h) => h.trim().toLowerCase())
  const [certFile, keyFile, pkcs12File, passphrase] = [
    str('cert_file'),
    str('key_file'),
    str('pkcs12_file'),
    str('passphrase'),
  ]
  if (hosts.length === 0) throw problem(name, 'hosts is empty', 'List the hosts that ask for this certificate.')
  if (pkcs12File !== undefined && (certFile !== undefined || keyFile !== undefined))
    throw problem(name, 'give either pkcs12_file or cert_file with key_file, not both', 'Keep one of the two forms.')
  if (pkcs12File === undefined && (certFile === undefined || keyFile === undefined))
    throw problem(
      name,
      'needs cert_file and key_file (PEM), or pkcs12_file',
      'Add the missing file setting (a .p12/.pfx bundle goes in pkcs12_file).',
    )
  const secret = passphrase === undefined ? {} : { passphrase }
  if (pkcs12File !== undefined) {
    const pfx = readSetting(name, 'pkcs12_file', pkcs12File)
    const options = { pfx, ...secret }
    try {
      tls.createSecureContext(options)
    } catch (error) {
      throw refusal(name, pkcs12File, error)
    }
    return { name, hosts, tls: options, subject: `PKCS#12 ${pkcs12File}`, file: pkcs12File }
  }
  const cert = readSetting(name, 'cert_file', certFile!).toString('utf8')
  const key = readSetting(name, 'key_file', keyFile!).toString('utf8')
  let x509: X509Certificate
  try {
    x509 = new X509Certificate(cert)
  } catch {
    throw problem(name, `${certFile} holds no PEM certificate`, 'Export the client certificate in PEM format.')
  }
  const options = { cert, key, ...secret }
  try {
    tls.createSecureContext(options)
  } catch (error) {
    throw refusal(name, `${certFile} and ${keyFile}`, error)
  }
  const subject = x509.subject.split('\n').join(', ')
  return { name, hosts, tls: options, subject, validTo: x509.validTo, file: certFile! }
}

/**
 * Loads `network.client_certificates` (named entries: `hosts`, `cert_file` + `key_file` or `pkcs12_file`,
 * `passphrase` already resolved from `secure_passphrase_key`). Each is opened once here, so a wrong
 * passphrase, a key that does not match or an unreadable file stops the run before any connection, as a
 * `ConfigError` naming the entry and the file (never its content).
 */
export function loadClientCertificates(section: unknown): ClientCertificate[] {
  if (typeof section !== 'object' || section === null) return []
  return Object.entries(section as Record<string, unknown>).map(([name, entry]) =>
    loadOne(name, typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {}),
  )
}

/** Whether `host` matches `pattern` (`*.example.com` matches any name under example.com, not example.com). */
function matches(pattern: string, host: string): boolean {
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1
  return host === pattern
}

/** The client certificate for `host`: the first entry with an exact match, else the first with a wildcard match. */
export function clientCertificateFor(
  certificates: readonly ClientCertificate[],
  host: string,
): ClientCertificate | undefined {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '')
  return (
    certificates.find((c) => c.hosts.includes(name)) ??
    certificates.find((c) => c.hosts.some((pattern) => matches(pattern, name)))
  )
}
