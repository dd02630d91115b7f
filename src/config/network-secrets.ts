import type { SecretSpec } from '@ust-sync/api'
import { isRecord } from './key-path.js'

/**
 * The secrets of the main file's `network:` section, relative to that section, each written either as `X`
 * or as `secure_X_key: <service>`: the proxy password (account: the proxy user) and the passphrase of each
 * client certificate's key (account: its key or PKCS#12 file). Certificates are named
 * (`client_certificates.<name>`), so each passphrase has a dotted path of its own.
 */
export function networkSecretSpecs(section: Record<string, unknown>): SecretSpec[] {
  const specs: SecretSpec[] = [{ key: 'proxy_password', account: 'proxy_user', required: false }]
  const certificates = section.client_certificates
  if (!isRecord(certificates)) return specs
  for (const [name, entry] of Object.entries(certificates)) {
    if (name.includes('.') || !isRecord(entry)) continue
    const file = entry.pkcs12_file !== undefined ? 'pkcs12_file' : 'key_file'
    specs.push({
      key: `client_certificates.${name}.passphrase`,
      account: `client_certificates.${name}.${file}`,
      required: false,
    })
  }
  return specs
}
