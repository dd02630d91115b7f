import * as Flags from '@oclif/core/flags'
import { UstCommand } from '../../base-command.js'
import { credentialEntryFlags, credentialKeyArgs, entryOf } from '../../services/credential-flags.js'
import { CredentialsCommandService, type GetResult } from '../../services/credentials-command-service.js'

export default class CredentialsGet extends UstCommand {
  static description = 'Check that a secret is in the credential backend (shown masked unless --reveal)'
  static examples = [
    '<%= config.bin %> credentials get ust-umapi-client-secret',
    '<%= config.bin %> credentials get ust-ldap-password --username cn=reader --reveal',
  ]
  static args = credentialKeyArgs
  static flags = {
    ...UstCommand.encodingFlag,
    ...credentialEntryFlags,
    reveal: Flags.boolean({ description: 'print the secret itself', default: false }),
  }

  async run(): Promise<GetResult> {
    const { args, flags } = await this.parse(CredentialsGet)
    const result = await this.services.resolve(CredentialsCommandService).get({
      ...entryOf(args, flags),
      reveal: flags.reveal,
    })
    for (const warning of result.warnings) this.warn(warning)
    if (result.revealed) this.log(result.value)
    else
      this.log(
        `service "${result.service}", account "${result.account}" in the ${result.backend} backend: ${result.value} (use --reveal to print it)`,
      )
    return result
  }
}
