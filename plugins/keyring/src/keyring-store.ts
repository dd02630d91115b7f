import { AsyncEntry, findCredentialsAsync, type EntryOptions } from '@napi-rs/keyring'

/**
 * On Linux the store is pinned to the Secret Service: UST (python keyring) keeps its secrets there, and
 * the kernel keyutils fallback of the library is not persistent, so a silent fallback would lose secrets.
 */
const OPTIONS: EntryOptions | undefined =
  process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined

/** Where secrets go on this platform, for `describe()`. */
export const STORE_NAME =
  process.platform === 'linux'
    ? 'Secret Service over D-Bus (gnome-keyring, KWallet, ...)'
    : process.platform === 'darwin'
      ? 'macOS Keychain'
      : process.platform === 'win32'
        ? 'Windows Credential Manager'
        : 'the OS keyring'

/** Entry of a secret, addressed like python keyring: service, and username = account. May throw. */
export function entry(service: string, account: string): AsyncEntry {
  return new AsyncEntry(service, account, OPTIONS)
}

/** Accounts stored under `service`, sorted. May throw. */
export async function accountsOf(service: string): Promise<string[]> {
  const credentials = await findCredentialsAsync(service)
  return [...new Set(credentials.map((credential) => credential.account))].sort()
}
