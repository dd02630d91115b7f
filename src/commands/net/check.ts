import * as Flags from '@oclif/core/flags'
import { ExitCode } from '@ust-sync/api'
import { UstCommand } from '../../base-command.js'
import type { NetCheckResult } from '../../network/net-check.types.js'
import { NetCheckService } from '../../services/net-check-service.js'

export default class NetCheck extends UstCommand {
  static description =
    'Diagnose DNS, route, TCP, proxy, TLS certificates, HTTP and authentication for every endpoint the config uses'
  static examples = [
    '<%= config.bin %> net check',
    '<%= config.bin %> net check -c user-sync-config.yml --json',
    '<%= config.bin %> net check --host https://usermanagement.adobe.io',
  ]
  static flags = {
    config: Flags.string({
      char: 'c',
      aliases: ['config-filename'],
      description: 'main config file (default: searched from the current directory)',
    }),
    'config-file-encoding': Flags.string({ description: 'encoding of the config files', default: 'utf8' }),
    host: Flags.string({ description: 'also check this URL or host[:port] (repeatable)', multiple: true }),
    timeout: Flags.integer({ description: 'seconds to wait for each step', default: 10, min: 1 }),
  }

  async run(): Promise<NetCheckResult> {
    const { flags } = await this.parse(NetCheck)
    const service = this.services.resolve(NetCheckService)
    const result = await service.run({
      location: { configFile: flags.config, cwd: process.cwd(), encoding: flags['config-file-encoding'] },
      hosts: flags.host ?? [],
      timeoutMs: flags.timeout * 1000,
    })
    if (!this.jsonEnabled()) this.log(service.render(result))
    return this.finish(result, result.ok ? 0 : ExitCode.network)
  }
}
