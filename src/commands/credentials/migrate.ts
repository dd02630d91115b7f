import * as Flags from '@oclif/core/flags'
import { UstCommand } from '../../base-command.js'
import { backendFlag, locationOf } from '../../services/credential-flags.js'
import { CredentialsCommandService, type MigrateResult } from '../../services/credentials-command-service.js'

export default class CredentialsMigrate extends UstCommand {
  static description =
    'Move every plain-text secret of the config files into the credential backend and rewrite each file to secure_X_key (comments and layout kept, a 0600 backup made)'
  static examples = [
    '<%= config.bin %> credentials migrate --dry-run',
    '<%= config.bin %> credentials migrate -c user-sync-config.yml --backend file',
  ]
  static flags = {
    ...UstCommand.encodingFlag,
    ...backendFlag,
    'dry-run': Flags.boolean({ description: 'show what would be moved; change nothing', default: false }),
  }

  async run(): Promise<MigrateResult> {
    const { flags } = await this.parse(CredentialsMigrate)
    const result = await this.services.resolve(CredentialsCommandService).migrate({
      ...locationOf(flags),
      dryRun: flags['dry-run'],
      now: new Date(),
    })
    const todo = result.items.filter((i) => i.status !== 'skipped')
    if (todo.length === 0 && result.items.length === 0)
      this.log('No plain-text secrets in the config files: nothing to do.')
    for (const item of result.items) {
      const what = `${item.file}:${item.line} ${item.key}`
      if (item.status === 'skipped') this.warn(`${what}: skipped: ${item.reason}`)
      else
        this.log(
          `${what} → secure_${item.key.split('.').pop()}_key: ${item.service} (account "${item.account}")${item.status === 'would-store' ? ' [dry run]' : ''}`,
        )
    }
    if (result.backend) this.log(`credential backend: ${result.backend.id} (chosen by ${result.backend.chosenBy})`)
    // One line each, unwrapped: the reason lines and → steps as an error shows them.
    const [problem, ...steps] = result.backendProblem ?? []
    if (problem)
      for (const line of [`Warning: a run without --dry-run would stop here: ${problem}`, ...steps])
        this.logToStderr(line)
    const setting = result.backendSetting
    if (setting)
      this.log(
        `${result.dryRun ? 'would set' : 'set'} credentials.backend: ${setting.to} in ${setting.file}${setting.from ? ` (was ${setting.from})` : ''}, so that every run reads the secrets from where they now are`,
      )
    for (const f of result.files)
      this.log(f.backup ? `rewrote ${f.file} (backup: ${f.backup})` : `would rewrite ${f.file}`)
    return result
  }
}
