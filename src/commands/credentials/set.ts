import { Args, Flags } from '@oclif/core'
import { UstCommand } from '../../base-command.js'
import { CredentialsCommandService, type SetResult } from '../../services/credentials-command-service.js'

export default class CredentialsSet extends UstCommand {
  static description =
    'Store a secret in the credential backend, asked on the terminal without echo (or read from stdin); never given on the command line'
  static examples = [
    '<%= config.bin %> credentials set ust-umapi-client-secret',
    'printf %s "$SECRET" | <%= config.bin %> credentials set ust-ldap-password --username cn=reader --stdin --backend file',
  ]
  static args = {
    key: Args.string({ description: 'service name, as written in secure_X_key: KEY', required: true }),
  }
  static flags = {
    ...UstCommand.encodingFlag,
    backend: Flags.string({
      description: 'credential backend to use (overrides UST_CREDENTIAL_BACKEND and credentials.backend)',
    }),
    username: Flags.string({
      char: 'u',
      description: "account of the secret (UST's keyring username); default: the account the config uses for KEY",
    }),
    stdin: Flags.boolean({
      description: 'read the secret from stdin (one trailing newline is dropped)',
      default: false,
    }),
  }

  async run(): Promise<SetResult> {
    const { args, flags } = await this.parse(CredentialsSet)
    const result = await this.services.resolve(CredentialsCommandService).set({
      service: args.key,
      username: flags.username,
      backend: flags.backend,
      configFile: flags.config,
      encoding: flags['config-file-encoding'],
      cwd: process.cwd(),
      stdin: flags.stdin,
    })
    for (const warning of result.warnings) this.warn(warning)
    this.log(
      `Stored the secret for service "${result.service}", account "${result.account}" in the ${result.backend} backend (read back and checked).`,
    )
    if (result.references.length) this.log(`Used by: ${result.references.join(', ')}`)
    return result
  }
}
