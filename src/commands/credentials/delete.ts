import { UstCommand } from '../../base-command.js'
import { entryFlags, keyArg } from '../../credentials/command-flags.js'
import { CredentialAdmin } from '../../credentials/credential-admin.js'
import { type DeleteResult, deleteSecret } from '../../credentials/entry-operations.js'

export default class CredentialsDelete extends UstCommand {
  static description = 'Delete a secret from the credential backend'
  static examples = ['<%= config.bin %> credentials delete ust-umapi-client-secret']
  static args = keyArg
  static flags = entryFlags

  async run(): Promise<DeleteResult> {
    const { args, flags } = await this.parse(CredentialsDelete)
    const result = await deleteSecret(this.services.resolve(CredentialAdmin), {
      service: args.key,
      username: flags.username,
      backend: flags.backend,
      configFile: flags.config,
      cwd: process.cwd(),
    })
    for (const warning of result.warnings) this.warn(warning)
    this.log(
      `Deleted the secret for service "${result.service}", account "${result.account}" from the ${result.backend} backend.`,
    )
    return result
  }
}
