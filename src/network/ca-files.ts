import { X509Certificate } from 'node:crypto'
import { ConfigError } from '@ust-sync/api'
import { readRegularFileSync, unreadableReason } from '../fs/read-regular-file.js'

/** The largest CA bundle read (the whole Mozilla bundle is about 220 KiB). */
const MAX_CA_FILE_BYTES = 16 * 1024 * 1024
import type { CaFileSetting } from './settings.js'

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** A CA certificate read from a `ca_file`. */
export interface LoadedCa {
  pem: string
  /** Subject common name (or the whole subject). */
  subject: string
  file: string
}

/**
 * Reads every certificate of the configured CA files (a file may be a bundle). Throws a `ConfigError`
 * naming the setting and the file when one cannot be read or holds no valid PEM certificate.
 */
export function loadCaFiles(files: readonly CaFileSetting[]): LoadedCa[] {
  const loaded: LoadedCa[] = []
  for (const { path, source } of files) {
    let text: string
    try {
      text = readRegularFileSync(path, MAX_CA_FILE_BYTES).toString('utf8')
    } catch (error) {
      throw new ConfigError(`${source}: cannot read the CA file ${path} (${unreadableReason(error)})`, {
        code: 'config.network.ca-file',
        suggestions: [`Point ${source} at a readable PEM file holding your proxy's or organisation's root CA.`],
      })
    }
    const blocks = text.match(PEM) ?? []
    if (blocks.length === 0) {
      throw new ConfigError(`${source}: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, {
        code: 'config.network.ca-file',
        suggestions: ['Export the CA certificate in PEM (Base-64) format, not DER, and point the setting at it.'],
      })
    }
    for (const pem of blocks) {
      let cert: X509Certificate
      try {
        cert = new X509Certificate(pem)
      } catch (error) {
        throw new ConfigError(
          `${source}: ${path} holds a certificate that cannot be parsed (${(error as Error).message})`,
          {
            code: 'config.network.ca-file',
            suggestions: ['Export the CA certificate again in PEM format.'],
          },
        )
      }
      const cn = /CN=([^\n]+)/.exec(cert.subject)?.[1] ?? cert.subject.replace(/\n/g, ', ')
      loaded.push({ pem: `${pem}\n`, subject: cn, file: path })
    }
  }
  return loaded
}
