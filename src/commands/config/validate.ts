import { UstCommand } from '../../base-command.js'
import { ConfigCheckService } from '../../services/config-check-service.js'
import { ConfigService } from '../../services/config-service.js'

/** Result of `ust config validate`. */
export interface ValidateResult {
  valid: true
  files: string[]
  warnings: string[]
}

export default class ConfigValidate extends UstCommand {
  static description =
    'Load and validate the whole configuration (main file and every connector file, as each plugin reads it) without connecting anywhere or reading a secret'
  static examples = ['<%= config.bin %> config validate -c user-sync-config.yml']
  static flags = { ...UstCommand.encodingFlag }

  async run(): Promise<ValidateResult> {
    const { flags } = await this.parse(ConfigValidate)
    const { config, warnings } = await this.services
      .resolve(ConfigService)
      .load({ configFile: flags.config, cwd: process.cwd(), encoding: flags['config-file-encoding'] })
    for (const w of warnings) this.warn(w)
    await this.services.resolve(ConfigCheckService).check(config)
    this.log(`Configuration is valid: ${config.files.join(', ')}`)
    return { valid: true, files: config.files, warnings }
  }
}
