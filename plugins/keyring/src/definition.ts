import { randomBytes } from 'node:crypto'
import { defineCredentialBackend, type BackendAvailability, type CredentialBackend } from '@ust-sync/api'
import { diagnose, keyringError } from './keyring-errors.js'

/** The OS keyring binding (@napi-rs/keyring, a native module), loaded on first use, not at registration. */
const store = () => import('./keyring-store.js')

/** Entry used to probe the store. Only read, except when a lookup found nothing (see {@link checkWritable}). */
const PROBE_SERVICE = 'ust-sync-probe'
const PROBE_ACCOUNT = 'availability'

/**
 * Whether the store answers: a read of the probe entry and, on Linux, a write and removal of it, because a
 * Secret Service with a locked keyring or without a login keyring answers reads with "nothing" (a desktop
 * may show its unlock prompt here; when it is dismissed the keyring is reported as locked).
 */
async function describe(): Promise<BackendAvailability> {
  try {
    const { entry, STORE_NAME } = await store()
    await entry(PROBE_SERVICE, PROBE_ACCOUNT).getPassword()
    await checkWritable(PROBE_SERVICE, PROBE_ACCOUNT)
    return { available: true, detail: STORE_NAME }
  } catch (error) {
    const { reason, suggestions } = diagnose((error as Error).cause ?? error)
    return { available: false, detail: reason, suggestions }
  }
}

/**
 * A Secret Service without a default keyring, or with a locked one, answers "nothing" to reads; only a
 * write tells. Called when a secret is absent, so a missing secret is reported as such only when the
 * store really works. The probe entry is removed at once.
 */
async function checkWritable(service: string, account: string): Promise<void> {
  if (process.platform !== 'linux') return
  const { entry } = await store()
  const probe = entry(PROBE_SERVICE, PROBE_ACCOUNT)
  try {
    await probe.setPassword(randomBytes(9).toString('base64url'))
    await probe.deletePassword()
  } catch (error) {
    const failure = keyringError('read the secret', service, account, error)
    failure.cause = error
    throw failure
  }
}

/**
 * The `keyring` credential backend: the OS keyring through @napi-rs/keyring, addressed like UST's python
 * keyring (`keyring.get_password(service, username)`), so secrets UST admins stored with `keyring set` or
 * `secret-tool store ... service S username U` are found as they are.
 */
export const keyringBackendDefinition = defineCredentialBackend({
  id: 'keyring',
  description: 'The OS keyring (Secret Service, Keychain, Credential Manager), as used by UST',
  create: () => keyringBackend,
})

const keyringBackend: CredentialBackend = {
  describe,
  async get(service, account) {
    let secret: string | null
    try {
      secret = await (await store()).entry(service, account).getPassword()
    } catch (error) {
      throw keyringError('read the secret', service, account, error)
    }
    if (secret === null) await checkWritable(service, account)
    return secret ?? undefined
  },
  async set(service, account, secret) {
    try {
      await (await store()).entry(service, account).setPassword(secret)
    } catch (error) {
      throw keyringError('store the secret', service, account, error, secret)
    }
  },
  async delete(service, account) {
    try {
      return await (await store()).entry(service, account).deletePassword()
    } catch (error) {
      throw keyringError('delete the secret', service, account, error)
    }
  },
  async list(service) {
    try {
      return await (await store()).accountsOf(service)
    } catch (error) {
      throw keyringError('list the accounts', service, undefined, error)
    }
  },
}
