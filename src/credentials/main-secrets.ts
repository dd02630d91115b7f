import type { SecretSpec } from '@ust-sync/api'

/**
 * Secrets the main config file may hold, with the same two forms as a connector's (`X` or
 * `secure_X_key: <service>`): the proxy password of the `network:` section, whose account is the proxy
 * user. `ust credentials list` and `migrate` handle them like a connector's secrets; the network layer
 * resolves its section with `CredentialService.resolve`, passing the config's backend settings.
 */
export const MAIN_FILE_SECRETS: readonly SecretSpec[] = [
  { key: 'network.proxy_password', account: 'network.proxy_user', required: false },
]
