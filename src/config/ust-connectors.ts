/**
 * UST connectors that ust provides as separately installed plugins (adobe_console is built in: the umapi plugin), by the id UST's config uses, and the
 * package that provides each.
 */
export const UST_CONNECTOR_PACKAGES: Readonly<Record<string, string>> = {
  okta: '@ust-sync/plugin-okta',
  sign: '@ust-sync/plugin-sign',
}

/** `connector not installed: \`ust plugins install …\`` for a UST connector ust ships as a plugin, else undefined. */
export function notInstalled(id: string): string | undefined {
  const pkg = UST_CONNECTOR_PACKAGES[id]
  return pkg === undefined ? undefined : `connector "${id}" not installed: \`ust plugins install ${pkg}\``
}

/** The top-level keys that make a main file a UST Sign Sync config (`sign-sync-config.yml`). */
const SIGN_SYNC_KEYS = ['sign_orgs', 'identity_source', 'user_management']

/** Whether `values` (a main file) is a UST Sign Sync config rather than a user-sync one. */
export function isSignSyncConfig(values: unknown): boolean {
  return (
    typeof values === 'object' &&
    values !== null &&
    !('adobe_users' in values) &&
    SIGN_SYNC_KEYS.some((key) => key in values)
  )
}
