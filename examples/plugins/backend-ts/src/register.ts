import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import path from 'node:path'
import { CredentialError, defineCredentialBackend, defineRegisterHook } from '@ust-sync/api'

/** `{ "<service>": { "<account>": "<secret>" } }` */
type Vault = Record<string, Record<string, string>>

/** The vault file: `UST_EXAMPLE_VAULT_FILE`, else `~/.config/ust-example-vault.json`. */
function vaultFile(): string {
  return process.env.UST_EXAMPLE_VAULT_FILE || path.join(homedir(), '.config', 'ust-example-vault.json')
}

async function load(): Promise<Vault> {
  try {
    return JSON.parse(await readFile(vaultFile(), 'utf8')) as Vault
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    // Say where and what, never a value from the file.
    throw new CredentialError(`Cannot read the vault ${vaultFile()}: ${(error as NodeJS.ErrnoException).code ?? 'invalid JSON'}`, {
      suggestions: ['Check the file (a JSON object of services) and its permissions'],
    })
  }
}

async function save(vault: Vault): Promise<void> {
  const file = vaultFile()
  await mkdir(path.dirname(file), { recursive: true })
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(temp, `${JSON.stringify(vault, null, 2)}\n`, { mode: 0o600 })
  await rename(temp, file)
}

/**
 * The `vault` credential backend: secrets in a JSON file readable only by its owner (mode 0600). An
 * example of the contract, not a secure store. Chosen with `UST_CREDENTIAL_BACKEND=vault` or
 * `credentials: {backend: vault}`; ust never falls through to it on its own.
 */
export const vaultBackend = defineCredentialBackend({
  id: 'vault',
  description: 'Example: secrets in a JSON file readable only by its owner (TypeScript)',
  // One backend per command run; the context (logger, data dir, clock) is the same one sources and targets get.
  create: (_context) => ({
  async describe() {
    return { available: true, detail: `JSON file ${vaultFile()} (example backend, plain text)` }
  },
  async get(service, account) {
    return (await load())[service]?.[account]
  },
  async set(service, account, secret) {
    const vault = await load()
    vault[service] = { ...vault[service], [account]: secret }
    await save(vault)
  },
  async delete(service, account) {
    const vault = await load()
    if (vault[service]?.[account] === undefined) return false
    delete vault[service][account]
    await save(vault)
    return true
  },
  async list(service) {
    return Object.keys((await load())[service] ?? {})
  },
  }),
})

export default defineRegisterHook(({ registry }) => registry.register(vaultBackend))
