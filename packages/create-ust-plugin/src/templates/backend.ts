/** A credential backend keeping secrets in a file under ust's data directory (replace it with your vault). */
export const BACKEND = `import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { CredentialError, defineCredentialBackend, defineRegisterHook } from '@ust-sync/api'

/** service → account → secret. */
«type Store = Record<string, Record<string, string>>
»
const messageOf = (error«: unknown») => (error instanceof Error ? error.message : String(error))
const isMissing = (error«: unknown») =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT'

/**
 * The \`__ID__\` credential backend: \`credentials: {backend: __ID__}\` in the main config. It keeps secrets
 * in \`__ID__-secrets.json\` under ust's data directory, readable by its owner only. Replace the file with
 * your secret store; keep the contract: \`get\` of an absent secret is \`undefined\`, errors never carry a secret.
 */
export const backend = defineCredentialBackend({
  id: '__ID__',
  description: '__DESCRIPTION__',
  // Must not prompt or touch the store yet (ust info calls it).
  create(context) {
    const file = path.join(context.dataDir, '__ID__-secrets.json')
    const load = async ()«: Promise<Store>» => {
      try {
        return JSON.parse(await readFile(file, 'utf8'))
      } catch (error) {
        if (isMissing(error)) return {}
        throw new CredentialError(\`Cannot read \${file}: \${messageOf(error)}\`)
      }
    }
    const save = async (store«: Store») => {
      await mkdir(path.dirname(file), { recursive: true })
      const temp = \`\${file}.\${process.pid}.tmp\`
      await writeFile(temp, JSON.stringify(store), { mode: 0o600 })
      await chmod(temp, 0o600)
      await rename(temp, file)
    }
    return {
      async describe() {
        return { available: true, detail: \`secrets in \${file}\` }
      },
      async get(service, account) {
        return (await load())[service]?.[account]
      },
      async set(service, account, secret) {
        const store = await load()
        store[service] = { ...store[service], [account]: secret }
        await save(store)
      },
      async delete(service, account) {
        const store = await load()
        if (store[service]?.[account] === undefined) return false
        delete store[service][account]
        await save(store)
        return true
      },
      async list(service) {
        return Object.keys((await load())[service] ?? {})
      },
    }
  },
})

export default defineRegisterHook(({ registry }) => registry.register(backend))
`

/** The conformance test of the backend. */
export const BACKEND_TEST = `import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkCredentialBackend, checkPluginPackage } from '@ust-sync/plugin-testkit'
import { afterAll, expect, it } from 'vitest'
import register, { backend } from '__REGISTER__'

const dir = await mkdtemp(path.join(tmpdir(), '__ID__-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

it('keeps the ust plugin contract', async () => {
  await checkPluginPackage(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), { register })
  const report = await checkCredentialBackend(backend, { dataDir: dir })
  expect(report.skipped).toEqual([])
})
`
