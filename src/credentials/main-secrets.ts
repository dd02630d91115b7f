import type { SecretSpec } from '@ust-sync/api'
import { isRecord } from '../config/key-path.js'
import { networkSecretSpecs } from '../config/network-secrets.js'

/**
 * Secrets the main config file `value` may hold, with the same two forms as a connector's (`X` or
 * `secure_X_key: <service>`): those of the `network:` section (the proxy password, whose account is the
 * proxy user, and each client certificate's passphrase). `ust credentials list` and `migrate` handle them
 * like a connector's secrets; the network layer resolves its section with `CredentialService.resolve`,
 * passing the config's backend settings.
 */
export function mainFileSecrets(value: unknown): SecretSpec[] {
  const network = isRecord(value) && isRecord(value.network) ? value.network : {}
  return networkSecretSpecs(network).map((spec) => ({
    ...spec,
    key: `network.${spec.key}`,
    account: `network.${spec.account}`,
  }))
}
