import { dirname } from 'node:path'
import { inject, injectable } from 'tsyringe'
import { ConfigError, CredentialError } from '@ust-sync/api'
import { isYamlFailure, readYamlFile } from '../../config/read-yaml.js'
import type { UstConfig } from '../../config/types.js'
import type { ProcessLogger } from '../../log/process-logger.js'
import { Redactor } from '../../log/redactor.js'
import { ConfigService } from '../config-service.js'
import { type ChooseOptions, CredentialService } from '../credential-service.js'
import { Tokens } from '../../tokens.js'
import type { BackendChoice } from '../../credentials/choose-backend.js'
import { setCommand } from '../../credentials/resolve-secrets.js'
import type { SecretSite } from '../../credentials/secret-sites.js'
import { canPrompt, promptHidden, readStdin } from '../../credentials/terminal-input.js'

/** What every `ust credentials` command is given (its flags as parsed: an absent flag is undefined). */
export interface CredentialsRequest {
  /** `-c/--config`; otherwise discovered from `cwd` (optional for set/get/delete with `--username`). */
  configFile?: string | undefined
  cwd: string
  encoding?: string | undefined
  /** `--backend`. */
  backend?: string | undefined
}

/** A secret addressed on the command line: KEY (the service name) and maybe `--username`. */
export interface EntryRequest extends CredentialsRequest {
  service: string
  username?: string | undefined
}

/** Where a secret lives, as the commands report it (never its value). */
export interface EntryAddress {
  backend: string
  /** How the backend was chosen. */
  chosenBy: string
  service: string
  account: string
  /** `file:line` of every `secure_X_key` reference to this service and account. */
  references: string[]
  warnings: string[]
}

/** Configuration as far as the credentials commands need it. */
export interface LoadedForCredentials {
  config?: UstConfig
  sites: SecretSite[]
  options: ChooseOptions
}

/**
 * The configuration side of the `ust credentials` commands: finds the main config, the backend it names
 * and the secret settings of every file; works out the account of KEY; chooses the backend.
 */
@injectable()
export class CredentialAdmin {
  constructor(
    readonly configs: ConfigService,
    readonly credentials: CredentialService,
    readonly redactor: Redactor,
    @inject(Tokens.Logger) readonly logger: ProcessLogger,
  ) {}

  /**
   * Loads the configuration when there is one. With `lenient` (an explicit `--username`), a configuration
   * that does not validate still gives its `credentials.backend`; otherwise its errors are reported.
   */
  async load(request: CredentialsRequest, lenient: boolean): Promise<LoadedForCredentials> {
    const file = await this.configs.find(request)
    const base = { flag: request.backend, interactive: canPrompt() }
    if (!file) return { sites: [], options: base }
    try {
      const { config, warnings } = await this.configs.load({ ...request, configFile: file })
      for (const warning of warnings) this.logger.warn(warning)
      return {
        config,
        sites: await this.configs.secretSites(config, request.encoding),
        options: {
          ...base,
          configured: config.credentials.backend,
          configFile: config.file,
          configDir: dirname(config.file),
        },
      }
    } catch (error) {
      if (!lenient || !(error instanceof ConfigError)) throw error
      const main = await readYamlFile(file, request.encoding)
      const configured = isYamlFailure(main)
        ? undefined
        : ((main.value.credentials as { backend?: unknown } | undefined)?.backend as string | undefined)
      this.logger.warn(`${file} does not validate (run \`ust config validate\`); only its credentials.backend is used`)
      return {
        sites: [],
        options: { ...base, configured: typeof configured === 'string' ? configured : undefined, configFile: file },
      }
    }
  }

  /** The account of KEY: `--username`, else the one account the config's references to KEY use. */
  async address(request: EntryRequest): Promise<{ address: EntryAddress; choice: BackendChoice }> {
    const loaded = await this.load(request, request.username !== undefined)
    const refs = loaded.sites.filter((s) => s.form === 'secure' && s.service === request.service)
    const accounts = [...new Set(refs.map((r) => r.account).filter((a): a is string => a !== undefined))]
    const warnings: string[] = []
    let account = request.username
    if (account === undefined) {
      if (accounts.length === 1) account = accounts[0]!
      else if (accounts.length === 0) {
        throw new ConfigError(
          `"${request.service}" is not used by any secure_*_key setting${loaded.config ? ` in ${loaded.config.files.join(', ')}` : ' (no config file found)'}, so its account is unknown`,
          {
            suggestions: [
              `give the account with --username (UST's keyring username: the UMAPI org_id, the LDAP username, ...)`,
              ...(loaded.config ? [] : ['or point at the config that uses it with -c FILE']),
            ],
          },
        )
      } else {
        throw new ConfigError(
          `"${request.service}" is used with several accounts (${accounts.join(', ')}); choose one with --username`,
        )
      }
    } else if (accounts.length > 0 && !accounts.includes(account)) {
      warnings.push(
        `the config uses "${request.service}" with account ${accounts.join(', ')}, not "${account}": ust sync will not read this entry`,
      )
    }
    const choice = await this.credentials.choose(loaded.options)
    const references = refs.filter((r) => r.account === account).map((r) => `${r.file}:${r.line}`)
    return {
      choice,
      address: {
        backend: choice.id,
        chosenBy: choice.chosenBy,
        service: request.service,
        account,
        references,
        warnings,
      },
    }
  }

  /**
   * The secret to store: from stdin (`--stdin`) or a hidden prompt asked twice (a mismatch stores nothing),
   * never from the command line.
   */
  async secretInput(fromStdin: boolean, address: EntryAddress): Promise<string> {
    let secret: string
    if (fromStdin) secret = await readStdin()
    else if (canPrompt()) {
      secret = await promptHidden(`Secret for service "${address.service}", account "${address.account}": `)
      // Nothing is echoed: a typo would be stored unseen, so the secret is asked twice.
      if (secret !== '' && (await promptHidden('Repeat the secret: ')) !== secret)
        throw new CredentialError('The two secrets typed differ; nothing was stored', {
          suggestions: ['run the command again and type the same secret twice'],
        })
    } else
      throw new CredentialError('No terminal to ask for the secret on', {
        suggestions: ['pipe it in with --stdin, e.g. `printf %s "$SECRET" | ust credentials set KEY --stdin`'],
      })
    if (secret === '') throw new CredentialError('The secret is empty; nothing was stored')
    this.redactor.add(secret)
    return secret
  }

  /** A miss: the error names key, service, account, backend and the command that creates the entry. */
  missing(address: EntryAddress, configFile?: string): CredentialError {
    return new CredentialError(
      `No secret in the credential backend "${address.backend}" (chosen by ${address.chosenBy}) for service "${address.service}", account "${address.account}"`,
      { suggestions: [`store it: ${setCommand(address, address.backend, configFile)}`] },
    )
  }
}
