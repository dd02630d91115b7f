// The `vaultjs` credential backend: secrets in a JSON file ({"<service>": {"<account>": "<secret>"}})
// readable only by its owner. An example of the contract, not a secure store. Plain ESM, no build step.
// File: UST_EXAMPLE_VAULT_FILE, else ~/.config/ust-example-vault.json. Chosen only when named:
// UST_CREDENTIAL_BACKEND=vaultjs or `credentials: {backend: vaultjs}`.
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import path from 'node:path'
import { CredentialError, defineCredentialBackend, defineRegisterHook } from '@ust-sync/api'

const vaultFile = () => process.env.UST_EXAMPLE_VAULT_FILE || path.join(homedir(), '.config', 'ust-example-vault.json')

async function load() {
  try {
    return JSON.parse(await readFile(vaultFile(), 'utf8'))
  } catch (error) {
    if (error.code === 'ENOENT') return {}
    throw new CredentialError(`Cannot read the vault ${vaultFile()}: ${error.code ?? 'invalid JSON'}`, {
      suggestions: ['Check the file (a JSON object of services) and its permissions'],
    })
  }
}

async function save(vault) {
  const file = vaultFile()
  await mkdir(path.dirname(file), { recursive: true })
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(temp, `${JSON.stringify(vault, null, 2)}\n`, { mode: 0o600 })
  await rename(temp, file)
}

export const vaultBackend = defineCredentialBackend({
  id: 'vaultjs',
  description: 'Example: secrets in a JSON file readable only by its owner (JavaScript)',
  // One backend per command run; the context (logger, data dir, clock) is the same one sources and targets get.
  create: (_context) => ({
  describe: async () => ({ available: true, detail: `JSON file ${vaultFile()} (example backend, plain text)` }),
  get: async (service, account) => (await load())[service]?.[account],
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
  list: async (service) => Object.keys((await load())[service] ?? {}),
  }),
})

export default defineRegisterHook(({ registry }) => registry.register(vaultBackend))
