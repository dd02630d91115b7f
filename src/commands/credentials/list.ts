import { ExitCode } from '@ust-sync/api'
import { UstCommand } from '../../base-command.js'
import { backendFlag, locationOf } from '../../services/credential-flags.js'
import { CredentialsCommandService, type ListResult } from '../../services/credentials-command-service.js'

export default class CredentialsList extends UstCommand {
  static description =
    'List every secret setting of the config files: file, key, backend, service, account, and whether the secret is present (never its value)'
  static examples = [
    '<%= config.bin %> credentials list -c user-sync-config.yml',
    '<%= config.bin %> credentials list --json',
  ]
  static flags = {
    ...UstCommand.encodingFlag,
    ...backendFlag,
  }

  async run(): Promise<ListResult> {
    const { flags } = await this.parse(CredentialsList)
    const result = await this.services.resolve(CredentialsCommandService).list({
      ...locationOf(flags),
    })
    if (result.backend) this.log(`credential backend: ${result.backend.id} (chosen by ${result.backend.chosenBy})`)
    if (result.backendError) this.warn(result.backendError)
    if (result.references.length === 0) this.log('No secret settings in the config files.')
    for (const r of result.references) {
      const where = r.service ? ` service "${r.service}", account "${r.account ?? '?'}"` : ''
      const status = r.status === 'plaintext' ? 'PLAIN TEXT in the file (run `ust credentials migrate`)' : r.status
      this.log(`${r.file}:${r.line}  ${r.setting}${where}: ${status}${r.detail ? ` (${r.detail})` : ''}`)
    }
    // A reference a sync could not resolve fails the command (exit 3), so a script or a scheduler notices.
    const failed = result.references.filter((r) => r.status === 'error' || r.status === 'missing')
    if (failed.length > 0) {
      if (this.jsonEnabled()) this.logJson(result)
      else
        this.logToStderr(`${failed.length} of ${result.references.length} secret settings cannot be read (see above)`)
      this.exit(ExitCode.credential)
    }
    return result
  }
}
