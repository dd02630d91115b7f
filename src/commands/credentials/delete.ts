import { UstCommand } from '../../base-command.js'
import { credentialEntryFlags, credentialKeyArgs, entryOf } from '../../services/credential-flags.js'
import { CredentialsCommandService, type DeleteResult } from '../../services/credentials-command-service.js'

export default class CredentialsDelete extends UstCommand {
  static description = 'Delete a secret from the credential backend'
  static examples = ['<%= config.bin %> credentials delete ust-umapi-client-secret']
  static args = credentialKeyArgs
  static flags = {
    ...UstCommand.encodingFlag,
    ...credentialEntryFlags,
  }

  async run(): Promise<DeleteResult> {
    const { args, flags } = await this.parse(CredentialsDelete)
    const result = await this.services.resolve(CredentialsCommandService).delete(entryOf(args, flags))
    for (const warning of result.warnings) this.warn(warning)
    this.log(
      `Deleted the secret for service "${result.service}", account "${result.account}" from the ${result.backend} backend.`,
    )
    return result
  }
}
