import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type CredentialBackend, CredentialError, defineCredentialBackend } from '@ust-sync/api'
import { PREFIX, normalise, systemdCredentialName, variableNames } from './naming.js'

/**
 * The `env` credential backend, read-only: a secret comes from `UST_SECRET_<SERVICE>__<ACCOUNT>`, else
 * `UST_SECRET_<SERVICE>`, else the systemd credential file `$CREDENTIALS_DIRECTORY/<service>` (see
 * naming.ts). Made for containers, CI and systemd services, where the platform injects secrets.
 */
export const envBackendDefinition = defineCredentialBackend({
  id: 'env',
  description: 'Read-only: environment variables UST_SECRET_<SERVICE>[__<ACCOUNT>] and systemd credentials',
  readOnly: true,
  create: () => envBackend,
})

function readOnly(action: string, service: string, account: string): CredentialError {
  const [specific, shared] = variableNames(service, account)
  const systemd = systemdCredentialName(service)
  return new CredentialError(
    `The env credential backend is read-only: ust cannot ${action} the secret of service "${service}", account "${account}"`,
    {
      suggestions: [
        `provide it in ust's environment as ${specific} (or ${shared} for every account of the service)`,
        ...(systemd ? [`or, under systemd, with LoadCredential=${systemd}:/path/to/secret`] : []),
        'or choose a writable backend with --backend keyring|file',
      ],
    },
  )
}

async function fromCredentialsDirectory(service: string): Promise<string | undefined> {
  const dir = process.env.CREDENTIALS_DIRECTORY
  const name = systemdCredentialName(service)
  if (!dir || !name) return undefined
  try {
    return (await readFile(join(dir, name), 'utf8')).replace(/\r?\n$/, '')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CredentialError(
      `Cannot read the systemd credential ${join(dir, name)} (service "${service}"): ${(error as Error).message}`,
    )
  }
}

const envBackend: CredentialBackend = {
  async describe() {
    const count = Object.keys(process.env).filter((name) => name.startsWith(PREFIX)).length
    const dir = process.env.CREDENTIALS_DIRECTORY
    return {
      available: true,
      detail: `environment variables ${PREFIX}<SERVICE>[__<ACCOUNT>] (${count} set)${dir ? `, systemd credentials in ${dir}` : ''}; read-only`,
    }
  },
  async get(service, account) {
    for (const name of variableNames(service, account)) {
      const value = process.env[name]
      if (value !== undefined && value !== '') return value
    }
    return fromCredentialsDirectory(service)
  },
  async set(service, account) {
    throw readOnly('store', service, account)
  },
  async delete(service, account) {
    throw readOnly('delete', service, account)
  },
  async list(service) {
    const prefix = `${PREFIX}${normalise(service)}__`
    return Object.keys(process.env)
      .filter((name) => name.startsWith(prefix) && process.env[name])
      .map((name) => name.slice(prefix.length))
      .sort()
  },
}
