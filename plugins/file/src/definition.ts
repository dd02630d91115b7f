import { type CredentialBackend, defineCredentialBackend } from '@ust-sync/api'
import type { FileBackend } from './file-backend.js'

/**
 * The `file` credential backend: secrets in one JSON file, each value sealed with AES-256-GCM under a key
 * derived with scrypt from a passphrase (environment, key file or terminal prompt); the whole file is
 * authenticated, written atomically with mode 0600, under a lock so concurrent writers never lose a change.
 * Its implementation (file-backend.ts) loads on first use, not when the plugin registers.
 */
export const fileBackendDefinition = defineCredentialBackend({
  id: 'file',
  description: 'An encrypted file (scrypt + AES-256-GCM) for servers without an OS keyring',
  create: (context): CredentialBackend => {
    let backend: Promise<FileBackend> | undefined
    const open = () => (backend ??= import('./file-backend.js').then(({ FileBackend }) => new FileBackend(context)))
    return {
      describe: async () => (await open()).describe(),
      get: async (service, account) => (await open()).get(service, account),
      list: async (service) => (await open()).list(service),
      set: async (service, account, secret) => (await open()).set(service, account, secret),
      delete: async (service, account) => (await open()).delete(service, account),
    }
  },
})
