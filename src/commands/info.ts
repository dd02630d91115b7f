import { UstCommand } from '../base-command.js'
import { InfoService, type InfoResult } from '../services/info-service.js'

export default class Info extends UstCommand {
  static description = 'Show versions, platform, the config file in use, and every plugin with what it contributes'
  static examples = ['<%= config.bin %> info', '<%= config.bin %> info --json']
  async run(): Promise<InfoResult> {
    const { flags } = await this.parse(Info)
    const info = await this.services.resolve(InfoService).info({ configFile: flags.config, cwd: process.cwd() })
    this.log(`ust ${info.ust.version} (plugin contract v${info.ust.apiVersion}), node ${info.node}, ${info.platform}`)
    this.log(`data dir:    ${info.dataDir}`)
    this.log(`config file: ${info.configFile ?? '(none found)'}`)
    this.log('plugins:')
    for (const p of info.plugins) {
      const parts = [
        ...p.contributes.identitySources.map((id) => `identity source ${id}`),
        ...p.contributes.targets.map((id) => `target ${id}`),
        ...p.contributes.credentialBackends.map((id) => `credential backend ${id}`),
        ...p.contributes.mappingHooks.map((id) => `mapping hook ${id}`),
      ]
      this.log(`  ${p.name} ${p.version} (${p.type}): ${parts.join(', ') || 'no contributions'}`)
    }
    this.log('credential backends:')
    for (const b of info.credentials.backends) {
      const flags = [b.default ? 'default order' : 'used only when named', ...(b.readOnly ? ['read-only'] : [])]
      this.log(
        `  ${b.id} (${b.plugin}; ${flags.join(', ')}): ${b.available ? 'available' : 'UNAVAILABLE'}: ${b.detail}`,
      )
      for (const step of b.suggestions ?? []) this.log(`    → ${step}`)
    }
    const selected = info.credentials.selected
    this.log(
      'id' in selected
        ? `credential backend in use: ${selected.id} (chosen by ${selected.chosenBy})`
        : `credential backend in use: none: ${selected.error}`,
    )
    for (const warning of info.warnings) this.warn(warning)
    return info
  }
}
