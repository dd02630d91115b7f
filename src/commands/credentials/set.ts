import * as Flags from '@oclif/core/flags'
import { UstCommand } from '../../base-command.js'
import { credentialEntryFlags, credentialKeyArgs, entryOf } from '../../services/credential-flags.js'
import { CredentialsCommandService, type SetResult } from '../../services/credentials-command-service.js'

export default class CredentialsSet extends UstCommand {
  static description =
    'Store a secret in the credential backend, asked on the terminal without echo (or read from stdin); never given on the command line'
  static examples = [
    '<%= config.bin %> credentials set ust-umapi-client-secret',
    'printf %s "$SECRET" | <%= config.bin %> credentials set ust-ldap-password --username cn=reader --stdin --backend file',
  ]
  static args = credentialKeyArgs
  static flags = {
    ...UstCommand.encodingFlag,
    ...credentialEntryFlags,
    stdin: Flags.boolean({
      description: 'read the secret from stdin (one trailing newline is dropped)',
      default: false,
    }),
  }

  async run(): Promise<SetResult> {
    const { args, flags } = await this.parse(CredentialsSet)
    const result = await this.services.resolve(CredentialsCommandService).set({
      ...entryOf(args, flags),
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
